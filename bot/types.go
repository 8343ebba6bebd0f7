package bot

import "github.com/shakeoutbot/shakeout/chat"

// The contract types live in package chat; these aliases keep the core's
// own code short.
type (
	Platform  = chat.Platform
	Message   = chat.Message
	Reply     = chat.Reply
	UserRef   = chat.UserRef
	Button    = chat.Button
	Recipient = chat.Recipient
)

// The platforms Shakeout speaks on.
const (
	PlatformConsole  = chat.PlatformConsole
	PlatformTelegram = chat.PlatformTelegram
	PlatformDiscord  = chat.PlatformDiscord
)

// MaxButtonData is the longest Button.Data any platform accepts, in bytes.
const MaxButtonData = chat.MaxButtonData
