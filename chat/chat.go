// Package chat is the contract between the core and the chat adapters: the
// platforms, what a member sent (Message), what goes back (Reply, Button),
// where a scheduled message goes (Recipient) and the command specs that
// adapters render as menus and slash commands. It imports only the standard
// library, so an adapter can depend on it without depending on the core.
package chat

import (
	"time"
)

// Platform names a chat platform. Its values are stored.
type Platform string

// The platforms Shakeout speaks on.
const (
	PlatformConsole  Platform = "console"
	PlatformTelegram Platform = "telegram"
	PlatformDiscord  Platform = "discord"
)

// Message is one thing a member did: a command, a question or a button press,
// already translated from the platform's own shape by an adapter.
type Message struct {
	Platform Platform
	// UpdateID is the platform's id of the update; a redelivered update with an
	// id already seen is dropped. Empty means the platform cannot redeliver.
	UpdateID string
	// ClubChatID is the group chat or server the club lives in; empty in a
	// direct message, where the member's home club is used.
	ClubChatID string
	// ClubName is a human name for a new club (group title, server name).
	ClubName string
	// ChatID is where the message came from (the group or the DM).
	ChatID string
	// ThreadID is the forum topic (Telegram message_thread_id) the message
	// was sent in; empty outside topics. Replies go to the same topic.
	ThreadID string
	// UserID identifies the member on the platform; UserName is for display.
	UserID   string
	UserName string
	// UserHandle is the sender's unique platform handle (Telegram
	// @username, without the @); empty when they have none.
	UserHandle string
	// Target is the person the message names by platform id (a Telegram
	// text mention or reply, a Discord user option), resolved by the
	// adapter; nil when it names nobody that way.
	Target *UserRef
	// Private is true in a direct message.
	Private bool
	// PlatformAdmin is the adapter's fresh check that the sender administers
	// the group or server; the club's own coach list is checked by the core.
	PlatformAdmin bool
	// Command is the command name without the slash ("today"); empty for free
	// text, which is treated as a question.
	Command string
	// Args is the text after the command, or the whole free text.
	Args string
	// Button is the data of a pressed button; when set, Command is ignored.
	Button string
	// Attachment is a file sent with the message; nil for none. A message
	// with a file and no command goes to the import command.
	Attachment *Attachment
	// Time is when the platform says the message was sent; zero means now.
	Time time.Time
}

// Reply is one message the bot sends back.
type Reply struct {
	Text string
	// Buttons are offered under the text, one row each inner slice.
	Buttons [][]Button
	// Private replies carry personal or health data: adapters send them as a
	// direct message or an ephemeral response, never into a group.
	Private bool
	// Alert marks a short refusal of a button press that concerns only the
	// presser: adapters show it as a callback alert or an ephemeral reply,
	// never as a message in the group.
	Alert bool `json:",omitempty"`
}

// UserRef is a person a message names by the platform's user id.
type UserRef struct {
	UserID string
	Name   string
	// Checked is set when the adapter asked the platform whether the user
	// belongs to the group or server; InChat is its answer.
	Checked bool
	InChat  bool
}

// Button is a choice under a reply. Data is a short id the core routes by
// (at most 64 bytes, Telegram's limit); it never carries state.
type Button struct {
	Label string
	Data  string
}

// MaxButtonData is the longest Button.Data any platform accepts, in bytes.
const MaxButtonData = 64

// Recipient is where a scheduled message goes.
type Recipient struct {
	Platform Platform
	ChatID   string
	// UserID is set for a personal message; ChatID is then the member's DM
	// chat if known, or empty for the adapter to open one.
	UserID  string
	Private bool
	// ThreadID is the forum topic inside ChatID (Telegram); empty for none.
	ThreadID string
}
