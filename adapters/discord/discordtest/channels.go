package discordtest

import (
	"encoding/json"
	"net/http"
)

// channelState is what the fake knows of a channel.
type channelState struct {
	guildID string // "" for a DM channel
	deleted bool
	denied  bool // the bot lacks Send Messages there
}

// AddChannel creates a text channel (or thread) in a guild. Channels the
// fake sees in dispatched interactions and messages, and DM channels it
// opened, exist without it; messages to any other id are refused with 404
// Unknown Channel (10003), as Discord does: a guild's own id in particular
// is not a channel.
func (s *Server) AddChannel(guildID, channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[channelID] = &channelState{guildID: guildID}
}

// AddDMChannel records an existing DM channel with a user, as if opened
// in an earlier run.
func (s *Server) AddDMChannel(userID, channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.openDM(userID, channelID)
}

// DeleteChannel deletes a channel: messages to it fail with 404 10003.
func (s *Server) DeleteChannel(channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[channelID]
	if c == nil {
		c = &channelState{}
		s.channels[channelID] = c
	}
	c.deleted = true
}

// DenySend takes the bot's Send Messages permission in a channel away
// (deny false gives it back): messages there fail with 403 Missing
// Permissions (50013).
func (s *Server) DenySend(channelID string, deny bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[channelID]
	if c == nil {
		c = &channelState{}
		s.channels[channelID] = c
	}
	c.denied = deny
}

// channelRefusalLocked is the answer to a message sent to a channel the
// bot cannot post in, or nil.
func (s *Server) channelRefusalLocked(channelID string) *reply {
	if _, dm := s.dmUser[channelID]; dm {
		return nil
	}
	c := s.channels[channelID]
	switch {
	case c == nil || c.deleted:
		r := apiError(http.StatusNotFound, 10003, "Unknown Channel")
		return &r
	case c.denied:
		r := apiError(http.StatusForbidden, 50013, "Missing Permissions")
		return &r
	}
	return nil
}

// seeChannel records the guild channel an event happened in.
func (s *Server) seeChannel(b []byte) {
	var in struct {
		ChannelID string `json:"channel_id"`
		GuildID   string `json:"guild_id"`
	}
	if json.Unmarshal(b, &in) != nil || in.ChannelID == "" || in.GuildID == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[in.ChannelID]; !ok {
		s.channels[in.ChannelID] = &channelState{guildID: in.GuildID}
	}
}
