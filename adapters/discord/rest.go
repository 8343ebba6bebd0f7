package discord

import "github.com/bwmarrin/discordgo"

// REST is the part of discordgo's session the adapter calls over HTTP.
// The gateway (Open, Close, the event handlers) stays on the
// *discordgo.Session; every REST call goes through this interface, which
// that session satisfies and New uses unless Deps.REST is set. Unit tests
// set it to a small in-package fake; the loopback fake in discordtest
// serves the whole protocol for the fault, load and end-to-end tests.
//
// Errors are discordgo's: a *discordgo.RESTError carries Discord's JSON
// error code, a *discordgo.RateLimitError a 429 (the adapter asks for it
// with discordgo.WithRetryOnRatelimit(false) instead of sleeping).
type REST interface {
	ApplicationCommandBulkOverwrite(appID, guildID string, cmds []*discordgo.ApplicationCommand, opts ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error)
	InteractionRespond(ic *discordgo.Interaction, r *discordgo.InteractionResponse, opts ...discordgo.RequestOption) error
	InteractionResponseEdit(ic *discordgo.Interaction, e *discordgo.WebhookEdit, opts ...discordgo.RequestOption) (*discordgo.Message, error)
	FollowupMessageCreate(ic *discordgo.Interaction, wait bool, p *discordgo.WebhookParams, opts ...discordgo.RequestOption) (*discordgo.Message, error)
	GuildRoles(guildID string, opts ...discordgo.RequestOption) ([]*discordgo.Role, error)
	UserChannelCreate(userID string, opts ...discordgo.RequestOption) (*discordgo.Channel, error)
	// RequestWithBucketID creates messages: discordgo's MessageSend has no
	// nonce, so createMessage posts its own body (a messageCreate).
	RequestWithBucketID(method, url string, data any, bucketID string, opts ...discordgo.RequestOption) ([]byte, error)
	// RequestRaw creates a message with a picture: the same body as
	// RequestWithBucketID's, nonce included, as payload_json beside the
	// file in a multipart body.
	RequestRaw(method, url, contentType string, b []byte, bucketID string, sequence int, opts ...discordgo.RequestOption) ([]byte, error)
	// ChannelMessageSendComplex posts a message with files (multipart),
	// for messages that come with an image or a document.
	ChannelMessageSendComplex(channelID string, m *discordgo.MessageSend, opts ...discordgo.RequestOption) (*discordgo.Message, error)
}

var _ REST = (*discordgo.Session)(nil)
