package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/shakeoutbot/shakeout/chat"
)

// fakeREST is the unit tests' Discord REST API: it records the calls the
// adapter makes and answers from the fields a test sets before use.
type fakeREST struct {
	roles []*discordgo.Role
	// createErr, when set, decides each message created in a channel.
	createErr func(channelID string) error
	// dmErr fails opening a DM channel.
	dmErr error

	mu        sync.Mutex
	responds  []*discordgo.InteractionResponse
	edits     []string
	followups []*discordgo.WebhookParams
	created   []createdMessage
	uploads   [][]discordgo.File // the files of each multipart message, by created index
	dmOpens   []string
	roleReads int
	overwrite [][]*discordgo.ApplicationCommand
}

// createdMessage is one message posted through createMessage.
type createdMessage struct {
	channelID string
	body      messageCreate
}

func (f *fakeREST) ApplicationCommandBulkOverwrite(_, _ string, cmds []*discordgo.ApplicationCommand, _ ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.overwrite = append(f.overwrite, cmds)
	return cmds, nil
}

func (f *fakeREST) InteractionRespond(_ *discordgo.Interaction, r *discordgo.InteractionResponse, _ ...discordgo.RequestOption) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.responds = append(f.responds, r)
	return nil
}

func (f *fakeREST) InteractionResponseEdit(_ *discordgo.Interaction, e *discordgo.WebhookEdit, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.edits = append(f.edits, *e.Content)
	return &discordgo.Message{Content: *e.Content}, nil
}

func (f *fakeREST) FollowupMessageCreate(_ *discordgo.Interaction, _ bool, p *discordgo.WebhookParams, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.followups = append(f.followups, p)
	return &discordgo.Message{Content: p.Content}, nil
}

func (f *fakeREST) GuildRoles(string, ...discordgo.RequestOption) ([]*discordgo.Role, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roleReads++
	return f.roles, nil
}

func (f *fakeREST) UserChannelCreate(userID string, _ ...discordgo.RequestOption) (*discordgo.Channel, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dmOpens = append(f.dmOpens, userID)
	if f.dmErr != nil {
		return nil, f.dmErr
	}
	return &discordgo.Channel{ID: "dm-" + userID, Type: discordgo.ChannelTypeDM}, nil
}

func (f *fakeREST) RequestWithBucketID(method, url string, data any, _ string, _ ...discordgo.RequestOption) ([]byte, error) {
	body, ok := data.(messageCreate)
	if method != http.MethodPost || !ok {
		return nil, fmt.Errorf("unit fake: unexpected %s %s with %T", method, url, data)
	}
	channelID, ok := strings.CutSuffix(strings.TrimPrefix(url, discordgo.EndpointChannels), "/messages")
	if !ok {
		return nil, fmt.Errorf("unit fake: %s is no channel's messages", url)
	}
	if f.createErr != nil {
		if err := f.createErr(channelID); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	f.created = append(f.created, createdMessage{channelID: channelID, body: body})
	n := len(f.created)
	f.mu.Unlock()
	return json.Marshal(discordgo.Message{ID: fmt.Sprint(n), ChannelID: channelID, Content: body.Content})
}

func (f *fakeREST) ChannelMessageSendComplex(string, *discordgo.MessageSend, ...discordgo.RequestOption) (*discordgo.Message, error) {
	return nil, fmt.Errorf("unit fake: no uploads")
}

// restError is a Discord REST error with a JSON error code.
func restError(status, code int) error {
	return &discordgo.RESTError{Response: &http.Response{StatusCode: status},
		Message: &discordgo.APIErrorMessage{Code: code, Message: http.StatusText(status)}}
}

// echoCore answers each message with the replies a test set and keeps
// what it was asked.
type echoCore struct {
	catalog *chat.Catalog
	replies []chat.Reply

	mu   sync.Mutex
	seen []chat.Message
}

func (c *echoCore) Catalog() *chat.Catalog { return c.catalog }

func (c *echoCore) Handle(_ context.Context, m chat.Message) []chat.Reply {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, m)
	return append([]chat.Reply(nil), c.replies...)
}

// memDMs is a DMStore in memory.
type memDMs struct {
	mu sync.Mutex
	m  map[string]string
}

func (d *memDMs) SetDMChat(_ context.Context, _ chat.Platform, userID, chatID string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.m[userID] = chatID
	return nil
}

var unitCatalog = chat.NewCatalog([]chat.Command{
	{Name: "today", Summary: "Today's verdict"},
	{Name: "mydata", Summary: "What I keep about you", Private: true},
	{Name: "club", Summary: "Club settings", ClubAdmin: true, ButtonPrefix: "club"},
})

// newUnit builds an adapter on a fake REST API; the gateway is never
// opened.
func newUnit(t *testing.T, rest *fakeREST, core chat.Core, d Deps) *Adapter {
	t.Helper()
	d.Token, d.Core, d.REST = "unit-token", core, rest
	a, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
