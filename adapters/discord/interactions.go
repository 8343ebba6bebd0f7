package discord

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/shakeoutbot/shakeout/adapters/limit"
	"github.com/shakeoutbot/shakeout/chat"
)

// dmHint is shown once, privately, to a member whose personal nudge could
// not be delivered because Discord refused the DM.
const dmHint = "I couldn't send you a direct message, so your personal nudges didn't reach you. " +
	"To get them, allow direct messages from members of this server (click the server name → Privacy Settings → Direct Messages), " +
	"and I'll try again with the next one."

// privatelyAnswered stands in a public deferred response whose answer
// turned out to be personal and went to an ephemeral follow-up instead.
const privatelyAnswered = "I've answered you privately."

// coolingDown answers, privately, an interaction from a member in the
// inbound limit's cool-down: Discord shows an error unless every
// interaction is answered, and an ephemeral answer costs no channel's
// message budget.
const coolingDown = "Still pausing after your burst of messages; try again in a moment."

// optionTarget is the member a user-typed option names, with whether they
// are in the server: Discord resolves a user option to a member only for
// members of the server the command was used in.
func optionTarget(cmd chat.Command, data discordgo.ApplicationCommandInteractionData) *chat.UserRef {
	for _, spec := range cmd.Options {
		if spec.Type != chat.OptionUser {
			continue
		}
		for _, o := range data.Options {
			if o.Name != spec.Name || o.Type != discordgo.ApplicationCommandOptionUser {
				continue
			}
			id := optionValue(o)
			ref := &chat.UserRef{UserID: id, Checked: data.Resolved != nil}
			if data.Resolved != nil {
				if u := data.Resolved.Users[id]; u != nil {
					if u.Bot {
						return &chat.UserRef{UserID: id, Name: displayName(u), Checked: true}
					}
					ref.Name = displayName(u)
				}
				_, ref.InChat = data.Resolved.Members[id]
			}
			return ref
		}
	}
	return nil
}

// emptyAnswer fills a deferred response when the core had nothing to say
// (a redelivered interaction), so the "thinking" indicator ends.
const emptyAnswer = "Done."

func (a *Adapter) onInteraction(ctx context.Context, ic *discordgo.InteractionCreate) {
	switch ic.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(ctx, ic)
	case discordgo.InteractionApplicationCommand:
		a.slashCommand(ctx, ic)
	case discordgo.InteractionMessageComponent:
		a.buttonPress(ctx, ic)
	}
}

// interactionMessage maps who and where of an interaction.
func (a *Adapter) interactionMessage(ic *discordgo.InteractionCreate) chat.Message {
	m := chat.Message{
		Platform:   chat.PlatformDiscord,
		UpdateID:   ic.ID,
		ClubChatID: ic.GuildID,
		ChatID:     ic.ChannelID,
		Private:    ic.GuildID == "",
	}
	var u *discordgo.User
	switch {
	case ic.Member != nil && ic.Member.User != nil:
		u = ic.Member.User
	case ic.User != nil:
		u = ic.User
	}
	if u != nil {
		m.UserID, m.UserName = u.ID, displayName(u)
	}
	if ic.GuildID != "" {
		m.ClubName = a.guildName(ic.GuildID)
	}
	return m
}

func displayName(u *discordgo.User) string {
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}

// slashCommand answers a slash command: it defers at once (so the 3-second
// window never depends on the core), runs the core, then edits the deferred
// response with the first part and sends the rest as follow-ups. Personal
// commands are deferred as ephemeral in servers.
func (a *Adapter) slashCommand(ctx context.Context, ic *discordgo.InteractionCreate) {
	start := time.Now()
	data := ic.ApplicationCommandData()
	cmd, known := a.reg.Lookup(data.Name)
	inGuild := ic.GuildID != ""
	ephemeral := inGuild && known && cmd.Private
	var flags discordgo.MessageFlags
	if ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	err := a.rest.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: flags},
	}, discordgo.WithContext(ctx))
	m := a.interactionMessage(ic)
	log := a.log.With("chat_id", m.ChatID, "user_id", m.UserID, "command", data.Name)
	if err != nil {
		// Without an acknowledgement the token cannot be used: nothing
		// can be answered, and the core must not act on it unseen.
		log.Warn("interaction not acknowledged", "error", restSummary(err))
		return
	}
	m.Command = data.Name
	m.Args = commandArgs(cmd, known, data.Options)
	m.Attachment = interactionAttachment(cmd, known, data)
	m.PlatformAdmin = a.platformAdmin(ctx, ic)
	if known && inGuild {
		m.Target = optionTarget(cmd, data)
	}
	var parts []part
	switch a.limit.Check(chat.PlatformDiscord, m.UserID) {
	case limit.Admit:
		parts = renderReplies(a.core.Handle(ctx, m))
	case limit.Notice:
		log.Info("member over the inbound limit; cooling down")
		parts = []part{{text: a.limit.SlowDownText(), private: true}}
	default:
		parts = []part{{text: coolingDown, private: true}}
	}
	a.answer(ctx, ic, log, parts, true, ephemeral)
	log.Debug("interaction answered", "duration_ms", time.Since(start).Milliseconds())
}

// buttonPress answers a button: a deferred update (type 6) acknowledges it
// without changing the message the button sits on, so the club's post or
// the member's earlier answer stays as it was, and the core's replies
// arrive as new follow-up messages, ephemeral in a server: a press is one
// member's answer and concerns only them.
func (a *Adapter) buttonPress(ctx context.Context, ic *discordgo.InteractionCreate) {
	data := ic.MessageComponentData()
	m := a.interactionMessage(ic)
	log := a.log.With("chat_id", m.ChatID, "user_id", m.UserID, "command", "button")
	err := a.rest.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredMessageUpdate,
	}, discordgo.WithContext(ctx))
	if err != nil {
		log.Warn("button press not acknowledged", "error", restSummary(err))
		return
	}
	m.Button = data.CustomID
	m.PlatformAdmin = a.platformAdmin(ctx, ic)
	var parts []part
	switch a.limit.Check(chat.PlatformDiscord, m.UserID) {
	case limit.Admit:
		parts = renderReplies(a.core.Handle(ctx, m))
	case limit.Notice:
		parts = []part{{text: a.limit.SlowDownText(), private: true}}
	default:
		parts = []part{{text: coolingDown, private: true}}
	}
	if ic.GuildID != "" {
		for i := range parts {
			parts[i].private = true
		}
	}
	a.answer(ctx, ic, log, parts, false, false)
}

// answer delivers the parts of an interaction's answer, in order. With a
// deferred message pending, the first part edits it unless it is personal
// and the deferral was public; everything else is a follow-up, ephemeral
// when personal (in a server). A pending DM hint is added at the end.
func (a *Adapter) answer(ctx context.Context, ic *discordgo.InteractionCreate, log *slog.Logger, parts []part, pending, ephemeral bool) {
	inGuild := ic.GuildID != ""
	if userID := a.interactionMessage(ic).UserID; userID != "" && a.takeHint(userID) && inGuild {
		parts = append(parts, part{text: dmHint, private: true})
	}
	for _, p := range parts {
		private := inGuild && p.private
		if pending {
			pending = false
			text := p.text
			comps := p.components
			if private && !ephemeral {
				text, comps = privatelyAnswered, nil
			}
			edited := p
			edited.text, edited.components = text, comps
			if private && !ephemeral {
				edited.image = nil
			}
			if err := a.editOriginalPart(ctx, ic, edited); err != nil {
				log.Warn("interaction response edit failed", "error", restSummary(err))
				return
			}
			if !private || ephemeral {
				continue
			}
		}
		var flags discordgo.MessageFlags
		if private {
			flags = discordgo.MessageFlagsEphemeral
		}
		_, err := a.rest.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{
			Content: p.text, Components: p.components, AllowedMentions: noMentions(), Flags: flags,
			Embeds: p.embeds(), Files: p.files(),
		}, discordgo.WithContext(ctx))
		if err != nil {
			log.Warn("interaction follow-up failed", "error", restSummary(err))
			return
		}
	}
	if pending {
		if err := a.editOriginal(ctx, ic, emptyAnswer, nil); err != nil {
			log.Warn("interaction response edit failed", "error", restSummary(err))
		}
	}
}

func (a *Adapter) editOriginal(ctx context.Context, ic *discordgo.InteractionCreate, text string, comps []discordgo.MessageComponent) error {
	edit := &discordgo.WebhookEdit{Content: &text, AllowedMentions: noMentions()}
	if len(comps) > 0 {
		edit.Components = &comps
	}
	_, err := a.rest.InteractionResponseEdit(ic.Interaction, edit, discordgo.WithContext(ctx))
	return err
}

// takeHint reports whether a DM hint is pending for the user and clears it.
func (a *Adapter) takeHint(userID string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.dmHints[userID] {
		return false
	}
	delete(a.dmHints, userID)
	return true
}

// roleCacheFor is how long resolved coach role ids are trusted.
const roleCacheFor = 5 * time.Minute

// platformAdmin is the fresh check of server rights behind coach commands:
// Manage Server or Administrator in the permissions Discord computed for
// this interaction, or the configured coach role. The core also accepts the
// club's own coach list.
func (a *Adapter) platformAdmin(ctx context.Context, ic *discordgo.InteractionCreate) bool {
	if ic.GuildID == "" || ic.Member == nil {
		return false
	}
	p := ic.Member.Permissions
	if p&discordgo.PermissionAdministrator != 0 || p&discordgo.PermissionManageGuild != 0 {
		return true
	}
	role := strings.TrimSpace(a.adminRole)
	if role == "" {
		return false
	}
	if slices.Contains(ic.Member.Roles, role) {
		return true
	}
	for _, id := range a.rolesNamed(ctx, ic.GuildID, role) {
		if slices.Contains(ic.Member.Roles, id) {
			return true
		}
	}
	return false
}

// rolesNamed resolves a role name to the server's role ids, cached briefly.
func (a *Adapter) rolesNamed(ctx context.Context, guildID, name string) []string {
	a.mu.Lock()
	c, ok := a.roles[guildID]
	a.mu.Unlock()
	if ok && a.now().Sub(c.fetched) < roleCacheFor {
		return c.ids
	}
	roles, err := a.rest.GuildRoles(guildID, discordgo.WithContext(ctx))
	if err != nil {
		a.log.Warn("coach role lookup failed", "chat_id", guildID, "error", restSummary(err))
		return c.ids
	}
	var ids []string
	for _, r := range roles {
		if strings.EqualFold(r.Name, name) {
			ids = append(ids, r.ID)
		}
	}
	a.mu.Lock()
	a.roles[guildID] = roleCache{ids: ids, fetched: a.now()}
	a.mu.Unlock()
	return ids
}
