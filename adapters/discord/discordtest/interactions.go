package discordtest

import (
	"encoding/json"
	"time"
)

// Interaction builds an INTERACTION_CREATE payload in Discord's wire format.
// Start with SlashCommand or ButtonPress, place it with InGuild or InDM, then
// pass it to DispatchInteraction (or Dispatch("INTERACTION_CREATE", i)).
type Interaction struct {
	ID            string
	Token         string
	ApplicationID string
	Type          int // 2 application command, 3 message component
	GuildID       string
	ChannelID     string
	Member        *Member // set in guilds
	User          *User   // set in DMs
	Locale        string
	Data          map[string]any
	Message       map[string]any // the message a component belongs to
}

// CommandOption is one option value of a slash command invocation.
type CommandOption struct {
	Name       string
	Type       int // 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 11 attachment
	Value      any
	user       *User
	attachment *Attachment
}

// StringOption is a string (type 3) option value.
func StringOption(name, value string) CommandOption {
	return CommandOption{Name: name, Type: 3, Value: value}
}

// IntegerOption is an integer (type 4) option value.
func IntegerOption(name string, value int64) CommandOption {
	return CommandOption{Name: name, Type: 4, Value: value}
}

// UserOption is a user (type 6) option value. The interaction carries the
// user in resolved.users and, when dispatched in a guild the user is a
// member of, in resolved.members, as Discord does.
func UserOption(name string, u User) CommandOption {
	return CommandOption{Name: name, Type: 6, Value: u.ID, user: &u}
}

// ChannelOption is a channel (type 7) option value.
func ChannelOption(name, channelID string) CommandOption {
	return CommandOption{Name: name, Type: 7, Value: channelID}
}

// BooleanOption is a boolean (type 5) option value.
func BooleanOption(name string, value bool) CommandOption {
	return CommandOption{Name: name, Type: 5, Value: value}
}

func (s *Server) newInteraction(typ int) *Interaction {
	s.mu.Lock()
	id := s.nextID()
	s.mu.Unlock()
	return &Interaction{
		ID: id, Token: "itoken-" + id + "-" + randomHex(8), ApplicationID: s.cfg.appID,
		Type: typ, Locale: "en-US",
	}
}

// SlashCommand builds a CHAT_INPUT command invocation. The command ID is the
// one registered under that name when known.
func (s *Server) SlashCommand(name string, opts ...CommandOption) *Interaction {
	i := s.newInteraction(2)
	options := []any{}
	users := map[string]any{}
	files := map[string]any{}
	for _, o := range opts {
		options = append(options, map[string]any{"name": o.Name, "type": o.Type, "value": o.Value})
		if o.user != nil {
			users[o.user.ID] = o.user.wire()
		}
		if o.attachment != nil {
			files[o.attachment.ID] = o.attachment.wire()
		}
	}
	s.mu.Lock()
	cmdID := ""
	for _, cmds := range s.commands {
		for _, c := range cmds {
			if c.Name == name && c.Type == 1 {
				cmdID = c.ID
			}
		}
	}
	if cmdID == "" {
		cmdID = s.nextID()
	}
	s.mu.Unlock()
	i.Data = map[string]any{"id": cmdID, "name": name, "type": 1, "options": options}
	if len(users) > 0 || len(files) > 0 {
		res := map[string]any{}
		if len(users) > 0 {
			res["users"] = users
		}
		if len(files) > 0 {
			res["attachments"] = files
		}
		i.Data["resolved"] = res
	}
	return i
}

// resolveMembers adds resolved.members for user options naming members of
// the interaction's guild.
func (s *Server) resolveMembers(i *Interaction) {
	res, _ := i.Data["resolved"].(map[string]any)
	users, _ := res["users"].(map[string]any)
	if i.GuildID == "" || len(users) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gs := s.guilds[i.GuildID]
	if gs == nil {
		return
	}
	members := map[string]any{}
	for id := range users {
		if m, ok := gs.members[id]; ok {
			w := m.wire()
			delete(w, "user")
			members[id] = w
		}
	}
	res["members"] = members
}

// ButtonPress builds a button click (component_type 2) on the message with
// messageID; if the fake stored that message, its channel, content and
// components are included.
func (s *Server) ButtonPress(customID, messageID string) *Interaction {
	i := s.newInteraction(3)
	i.Data = map[string]any{"custom_id": customID, "component_type": 2}
	s.mu.Lock()
	defer s.mu.Unlock()
	if messageID == "" {
		return i
	}
	if m := s.byID[messageID]; m != nil {
		i.Message = s.messageJSON(m)
		i.ChannelID = m.ChannelID
	} else {
		i.Message = s.messageJSON(&Message{ID: messageID, CreatedAt: time.Now()})
	}
	return i
}

// InGuild places the interaction in a guild channel, invoked by member.
func (i *Interaction) InGuild(guildID, channelID string, member Member) *Interaction {
	i.GuildID, i.ChannelID, i.Member, i.User = guildID, channelID, &member, nil
	if member.Permissions == "" {
		i.Member.Permissions = "0"
	}
	if i.Data != nil && i.Type == 2 {
		i.Data["guild_id"] = guildID
	}
	return i
}

// InDM places the interaction in the bot's DM channel with user.
func (i *Interaction) InDM(channelID string, user User) *Interaction {
	i.GuildID, i.ChannelID, i.Member, i.User = "", channelID, nil, &user
	return i
}

// MarshalJSON encodes the interaction as Discord sends it.
func (i *Interaction) MarshalJSON() ([]byte, error) {
	w := map[string]any{
		"id": i.ID, "application_id": i.ApplicationID, "type": i.Type, "token": i.Token,
		"version": 1, "channel_id": i.ChannelID, "data": i.Data, "locale": i.Locale,
		"app_permissions": "562949953421311", "entitlements": []any{},
	}
	if i.Message != nil {
		msg := map[string]any{}
		for k, v := range i.Message {
			msg[k] = v
		}
		if msg["channel_id"] == "" || msg["channel_id"] == nil {
			msg["channel_id"] = i.ChannelID
		}
		w["message"] = msg
	}
	channel := map[string]any{"id": i.ChannelID}
	if i.GuildID != "" {
		w["guild_id"] = i.GuildID
		w["guild_locale"] = "en-US"
		w["context"] = 0
		w["authorizing_integration_owners"] = map[string]any{"0": i.GuildID}
		channel["type"], channel["guild_id"] = 0, i.GuildID
	} else {
		w["context"] = 1
		w["authorizing_integration_owners"] = map[string]any{"1": ""}
		channel["type"] = 1
	}
	w["channel"] = channel
	if i.Member != nil {
		w["member"] = i.Member.wire()
	}
	if i.User != nil {
		w["user"] = i.User.wire()
		w["authorizing_integration_owners"] = map[string]any{"1": i.User.ID}
	}
	return json.Marshal(w)
}

// DispatchInteraction sends i as INTERACTION_CREATE; see Dispatch.
func (s *Server) DispatchInteraction(i *Interaction) int {
	s.resolveMembers(i)
	return s.Dispatch("INTERACTION_CREATE", i)
}
