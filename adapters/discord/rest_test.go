package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// These tests run the adapter against fakeREST, the small interface of
// discordgo calls it makes; the tests on discordtest's HTTP and gateway
// fake cover the wire and the whole run.

func slash(guildID, name string, member *discordgo.Member, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.InteractionCreate {
	ic := &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{
		ID: "i-" + name, Type: discordgo.InteractionApplicationCommand, GuildID: guildID, ChannelID: "c-1",
		Data: discordgo.ApplicationCommandInteractionData{Name: name, Options: opts},
	}}
	if guildID != "" {
		ic.Member = member
	} else {
		ic.User = member.User
	}
	return ic
}

var maya = &discordgo.Member{User: &discordgo.User{ID: "u-1", Username: "maya", GlobalName: "Maya"}}

func TestUnitSlashCommandIsDeferredThenEdited(t *testing.T) {
	t.Parallel()
	rest := &fakeREST{}
	core := &echoCore{catalog: unitCatalog, replies: []chat.Reply{{Text: "Easy 40 minutes."}, {Text: "Sleep well tonight."}}}
	a := newUnit(t, rest, core, Deps{})
	a.onInteraction(context.Background(), slash("g-1", "today", maya))

	if len(rest.responds) != 1 || rest.responds[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource ||
		rest.responds[0].Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Fatalf("responses = %+v, want one public deferral", rest.responds)
	}
	if len(core.seen) != 1 || core.seen[0].Command != "today" || core.seen[0].ClubChatID != "g-1" || core.seen[0].UserName != "Maya" || core.seen[0].Private {
		t.Errorf("the core saw %+v, want Maya's /today in server g-1", core.seen)
	}
	if len(rest.edits) != 1 || rest.edits[0] != "Easy 40 minutes." {
		t.Errorf("edits = %q, want the first reply in the deferred response", rest.edits)
	}
	if len(rest.followups) != 1 || rest.followups[0].Content != "Sleep well tonight." || rest.followups[0].Flags != 0 {
		t.Errorf("follow-ups = %+v, want the second reply, public", rest.followups)
	}
}

func TestUnitPersonalCommandIsEphemeralInAServer(t *testing.T) {
	t.Parallel()
	rest := &fakeREST{}
	a := newUnit(t, rest, &echoCore{catalog: unitCatalog, replies: []chat.Reply{{Text: "I keep your runs.", Private: true}}}, Deps{})
	a.onInteraction(context.Background(), slash("g-1", "mydata", maya))
	if len(rest.responds) != 1 || rest.responds[0].Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("responses = %+v, want an ephemeral deferral", rest.responds)
	}
	if len(rest.edits) != 1 || rest.edits[0] != "I keep your runs." || len(rest.followups) != 0 {
		t.Errorf("edits %q, follow-ups %d; want the answer in the ephemeral response itself", rest.edits, len(rest.followups))
	}
}

func TestUnitCoachRoleIsResolvedOnceAndCached(t *testing.T) {
	t.Parallel()
	rest := &fakeREST{roles: []*discordgo.Role{{ID: "r-9", Name: "Coaches"}, {ID: "r-2", Name: "Runners"}}}
	core := &echoCore{catalog: unitCatalog, replies: []chat.Reply{{Text: "ok"}}}
	a := newUnit(t, rest, core, Deps{AdminRole: "coaches"})
	withRole := &discordgo.Member{User: &discordgo.User{ID: "u-2", Username: "sam"}, Roles: []string{"r-2", "r-9"}}
	without := &discordgo.Member{User: &discordgo.User{ID: "u-3", Username: "kit"}, Roles: []string{"r-2"}}
	manager := &discordgo.Member{User: &discordgo.User{ID: "u-4", Username: "lee"}, Permissions: discordgo.PermissionManageGuild}
	ctx := context.Background()
	a.onInteraction(ctx, slash("g-1", "club", withRole))
	a.onInteraction(ctx, slash("g-1", "club", without))
	a.onInteraction(ctx, slash("g-1", "club", manager))
	var admin []bool
	for _, m := range core.seen {
		admin = append(admin, m.PlatformAdmin)
	}
	if len(admin) != 3 || !admin[0] || admin[1] || !admin[2] {
		t.Errorf("PlatformAdmin = %v, want [true false true] (role, no role, Manage Server)", admin)
	}
	if rest.roleReads != 1 {
		t.Errorf("%d role lookups, want 1 (cached for %s)", rest.roleReads, roleCacheFor)
	}
}

func TestUnitNudgeOpensTheDMOnceAndCarriesANonce(t *testing.T) {
	t.Parallel()
	rest := &fakeREST{}
	dms := &memDMs{m: map[string]string{}}
	a := newUnit(t, rest, &echoCore{catalog: unitCatalog}, Deps{DMs: dms})
	ctx := context.Background()
	for id := int64(41); id <= 42; id++ {
		o := outbox.Outgoing{ID: id, To: chat.Recipient{Platform: chat.PlatformDiscord, UserID: "u-1", Private: true},
			Reply: chat.Reply{Text: "Morning! Easy today.", Buttons: [][]chat.Button{{{Label: "Done", Data: "club:done"}}}}}
		if err := a.Send(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if len(rest.dmOpens) != 1 || dms.m["u-1"] != "dm-u-1" {
		t.Errorf("DM opened %d times, stored %v; want once, remembered", len(rest.dmOpens), dms.m)
	}
	if len(rest.created) != 2 {
		t.Fatalf("%d messages created, want 2", len(rest.created))
	}
	for i, c := range rest.created {
		want := nonce("o", []string{"41", "42"}[i], 0)
		if c.channelID != "dm-u-1" || c.body.Nonce != want || !c.body.EnforceNonce || len(c.body.Components) != 1 {
			t.Errorf("message %d: channel %s nonce %q enforce %v, %d component rows; want dm-u-1, %q, enforced, the button",
				i, c.channelID, c.body.Nonce, c.body.EnforceNonce, len(c.body.Components), want)
		}
		if am := c.body.AllowedMentions; am == nil || len(am.Parse) != 0 {
			t.Errorf("message %d pings someone: %+v", i, am)
		}
	}
}

func TestUnitSendErrorsFollowTheOutboxContract(t *testing.T) {
	t.Parallel()
	post := outbox.Outgoing{ID: 7, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: "c-runs"}, Reply: chat.Reply{Text: "Club run at 7"}}
	nudge := outbox.Outgoing{ID: 8, To: chat.Recipient{Platform: chat.PlatformDiscord, UserID: "u-1", Private: true}, Reply: chat.Reply{Text: "Morning"}}
	cases := []struct {
		name  string
		o     outbox.Outgoing
		err   error
		check func(error) bool
	}{
		{"missing permission in the club's channel", post, restError(http.StatusForbidden, codeMissingPermissions),
			func(err error) bool {
				var r *outbox.RefusedError
				return errors.As(err, &r) && strings.Contains(r.Fix, "/club channel")
			}},
		{"member closed their DMs", nudge, restError(http.StatusForbidden, codeCannotMessageUser),
			func(err error) bool { return errors.Is(err, outbox.ErrUnreachable) }},
		{"rate limited", post, &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{TooManyRequests: &discordgo.TooManyRequests{RetryAfter: 3 * time.Second}}},
			func(err error) bool {
				var r *outbox.RetryAfterError
				return errors.As(err, &r) && r.After == 3*time.Second
			}},
		{"server error", post, restError(http.StatusInternalServerError, 0),
			func(err error) bool {
				var r *outbox.RefusedError
				return err != nil && !errors.Is(err, outbox.ErrUnreachable) && !errors.As(err, &r)
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rest := &fakeREST{createErr: func(string) error { return c.err }}
			a := newUnit(t, rest, &echoCore{catalog: unitCatalog}, Deps{})
			if err := a.Send(context.Background(), c.o); !c.check(err) {
				t.Errorf("Send = %v", err)
			}
		})
	}

	// An unreachable member's DM channel is forgotten and the next
	// interaction carries a one-time hint.
	rest := &fakeREST{createErr: func(string) error { return restError(http.StatusForbidden, codeCannotMessageUser) }}
	a := newUnit(t, rest, &echoCore{catalog: unitCatalog, replies: []chat.Reply{{Text: "Easy."}}}, Deps{})
	_ = a.Send(context.Background(), nudge)
	rest.createErr = nil
	a.onInteraction(context.Background(), slash("g-1", "today", maya))
	a.onInteraction(context.Background(), slash("g-1", "today", maya))
	hints := 0
	for _, f := range rest.followups {
		if f.Content == dmHint {
			hints++
		}
	}
	if hints != 1 {
		t.Errorf("the DM hint was shown %d times, want once", hints)
	}
}

func TestUnitCommandsAreRegisteredInOneOverwrite(t *testing.T) {
	t.Parallel()
	rest := &fakeREST{}
	a := newUnit(t, rest, &echoCore{catalog: unitCatalog}, Deps{GuildID: "g-1"})
	a.registerCommands(context.Background())
	if len(rest.overwrite) != 1 {
		t.Fatalf("%d bulk overwrites, want 1", len(rest.overwrite))
	}
	var names []string
	for _, c := range rest.overwrite[0] {
		names = append(names, c.Name)
	}
	if strings.Join(names, " ") != "today mydata club" {
		t.Errorf("registered %v, want today mydata club", names)
	}
}
