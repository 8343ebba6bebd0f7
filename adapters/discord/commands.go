package discord

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/shakeoutbot/shakeout/chat"
)

// Discord's limits on application commands.
const (
	maxDescription = 100
	maxChoices     = 25
	maxOptions     = 25
)

// commandNameRE is Discord's rule for slash command and option names
// (lower case is checked separately).
var commandNameRE = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)

func validName(s string) bool { return commandNameRE.MatchString(s) && strings.ToLower(s) == s }

// adminPermissions is default_member_permissions for coach commands: only
// members with Manage Server see them until a server admin says otherwise
// (which is why every call is checked again).
var adminPermissions int64 = discordgo.PermissionManageGuild

// slashCommands renders the registry as Discord application commands.
// Required options come first, as Discord demands; values are joined back in
// the registry's order. Choices become a fixed list (up to 25) or, beyond
// that, autocomplete. global adds the contexts: member commands work in the
// server and in DMs with the bot, coach commands only in a server.
func slashCommands(reg *chat.Catalog, global bool) ([]*discordgo.ApplicationCommand, []string) {
	var out []*discordgo.ApplicationCommand
	var skipped []string
	for _, c := range reg.Commands() {
		ac, err := slashCommand(c, global)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", c.Name, err))
			continue
		}
		out = append(out, ac)
	}
	return out, skipped
}

func slashCommand(c chat.Command, global bool) (*discordgo.ApplicationCommand, error) {
	if !validName(c.Name) {
		return nil, fmt.Errorf("name is not a valid Discord command name")
	}
	if len(c.Options) > maxOptions {
		return nil, fmt.Errorf("more than %d options", maxOptions)
	}
	ac := &discordgo.ApplicationCommand{
		Type:        discordgo.ChatApplicationCommand,
		Name:        c.Name,
		Description: truncate(c.Summary, maxDescription),
		Options:     []*discordgo.ApplicationCommandOption{},
	}
	if c.ClubAdmin {
		perm := adminPermissions
		ac.DefaultMemberPermissions = &perm
	}
	if global {
		ctxs := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
		if !c.ClubAdmin {
			ctxs = append(ctxs, discordgo.InteractionContextBotDM)
		}
		ac.Contexts = &ctxs
	}
	opts := slices.Clone(c.Options)
	sort.SliceStable(opts, func(i, j int) bool { return opts[i].Required && !opts[j].Required })
	for _, o := range opts {
		if !validName(o.Name) {
			return nil, fmt.Errorf("option %q is not a valid Discord option name", o.Name)
		}
		desc := o.Description
		if desc == "" {
			desc = o.Name
		}
		ao := &discordgo.ApplicationCommandOption{
			Type:        discordgo.ApplicationCommandOptionString,
			Name:        o.Name,
			Description: truncate(desc, maxDescription),
			Required:    o.Required,
		}
		switch o.Type {
		case chat.OptionInteger:
			ao.Type = discordgo.ApplicationCommandOptionInteger
		case chat.OptionUser:
			ao.Type = discordgo.ApplicationCommandOptionUser
		case chat.OptionAttachment:
			ao.Type = discordgo.ApplicationCommandOptionAttachment
		case chat.OptionChannel:
			// Only channels the bot can post a message in.
			ao.Type = discordgo.ApplicationCommandOptionChannel
			ao.ChannelTypes = []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews,
				discordgo.ChannelTypeGuildPublicThread, discordgo.ChannelTypeGuildPrivateThread, discordgo.ChannelTypeGuildNewsThread}
		}
		switch {
		case o.Autocomplete || len(o.Choices) > maxChoices:
			ao.Autocomplete = true
		case len(o.Choices) > 0:
			for _, ch := range o.Choices {
				choice, ok := optionChoice(ao.Type, ch)
				if !ok {
					// A choice that is not a number: offer the option as
					// text so every listed value stays selectable.
					ao.Type = discordgo.ApplicationCommandOptionString
					ao.Choices = nil
					for _, ch := range o.Choices {
						c, _ := optionChoice(ao.Type, ch)
						ao.Choices = append(ao.Choices, c)
					}
					break
				}
				ao.Choices = append(ao.Choices, choice)
			}
		}
		ac.Options = append(ac.Options, ao)
	}
	return ac, nil
}

func optionChoice(t discordgo.ApplicationCommandOptionType, v string) (*discordgo.ApplicationCommandOptionChoice, bool) {
	name := truncate(v, maxDescription)
	if t == discordgo.ApplicationCommandOptionInteger {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, false
		}
		return &discordgo.ApplicationCommandOptionChoice{Name: name, Value: n}, true
	}
	return &discordgo.ApplicationCommandOptionChoice{Name: name, Value: v}, true
}

// registerAttempts is how often Run tries to register the commands before
// carrying on with the ones Discord already has.
const registerAttempts = 3

// registerCommands replaces the application's commands with the registry's,
// in one bulk overwrite (globally, or in the configured server).
func (a *Adapter) registerCommands(ctx context.Context) {
	cmds, skipped := slashCommands(a.reg, a.guildID == "")
	for _, s := range skipped {
		a.log.Warn("command not registered on Discord", "command", s)
	}
	_, appID := a.ids()
	wait := time.Second
	for attempt := 1; ; attempt++ {
		_, err := a.rest.ApplicationCommandBulkOverwrite(appID, a.guildID, cmds, discordgo.WithContext(ctx))
		if err == nil {
			scope := "global"
			if a.guildID != "" {
				scope = "guild " + a.guildID
			}
			a.log.Info("discord slash commands registered", "count", len(cmds), "scope", scope)
			return
		}
		if attempt == registerAttempts || ctx.Err() != nil {
			a.log.Error("discord slash commands not registered; the previous ones stay", "error", restSummary(err))
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// commandArgs joins the option values of a slash command back into the
// text form the core parses: in the registry's order, keyword options as
// "name value".
func commandArgs(cmd chat.Command, known bool, opts []*discordgo.ApplicationCommandInteractionDataOption) string {
	values := map[string]string{}
	var order []string
	for _, o := range opts {
		values[o.Name] = strings.TrimSpace(optionValue(o))
		order = append(order, o.Name)
	}
	var parts []string
	if !known {
		for _, name := range order {
			if v := values[name]; v != "" {
				parts = append(parts, v)
			}
		}
		return strings.Join(parts, " ")
	}
	for _, o := range cmd.Options {
		v := values[o.Name]
		if v == "" || o.Type == chat.OptionAttachment {
			// A file is not text: it travels as Message.Attachment.
			continue
		}
		if o.Keyword {
			v = o.Name + " " + v
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " ")
}

func optionValue(o *discordgo.ApplicationCommandInteractionDataOption) string {
	switch v := o.Value.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// autocomplete answers an autocomplete interaction: the focused option's
// choices if the registry lists any, otherwise IANA timezone names (the one
// open-ended list the product completes).
func (a *Adapter) autocomplete(ctx context.Context, ic *discordgo.InteractionCreate) {
	data := ic.ApplicationCommandData()
	var focused *discordgo.ApplicationCommandInteractionDataOption
	for _, o := range data.Options {
		if o.Focused {
			focused = o
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if focused != nil {
		candidates := timezoneNames
		if cmd, ok := a.reg.Lookup(data.Name); ok {
			for _, o := range cmd.Options {
				if o.Name == focused.Name && len(o.Choices) > 0 {
					candidates = o.Choices
				}
			}
		}
		for _, m := range matchNames(candidates, optionValue(focused), maxChoices) {
			c, ok := optionChoice(focused.Type, m)
			if ok {
				choices = append(choices, c)
			}
		}
	}
	err := a.rest.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}, discordgo.WithContext(ctx))
	if err != nil {
		a.log.Warn("autocomplete answer failed", "command", data.Name, "error", restSummary(err))
	}
}

// matchNames returns up to limit names matching what the member typed, best
// first: exact, then prefix of the name, then prefix of its last part (the
// city), then anywhere. Case and spaces versus underscores do not matter.
func matchNames(names []string, typed string, limit int) []string {
	q := normalizeName(typed)
	var ranks [4][]string
	for _, n := range names {
		v := normalizeName(n)
		last := v
		if i := strings.LastIndex(v, "/"); i >= 0 {
			last = v[i+1:]
		}
		switch {
		case q == "":
			ranks[3] = append(ranks[3], n)
		case v == q:
			ranks[0] = append(ranks[0], n)
		case strings.HasPrefix(v, q):
			ranks[1] = append(ranks[1], n)
		case strings.HasPrefix(last, q):
			ranks[2] = append(ranks[2], n)
		case strings.Contains(v, q):
			ranks[3] = append(ranks[3], n)
		}
	}
	var out []string
	for _, r := range ranks {
		for _, n := range r {
			if len(out) == limit {
				return out
			}
			out = append(out, n)
		}
	}
	return out
}

func normalizeName(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "_")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
