package telegramtest

import "encoding/json"

// Chat types as the Bot API spells them.
const (
	ChatPrivate    = "private"
	ChatGroup      = "group"
	ChatSupergroup = "supergroup"
	ChatChannel    = "channel"
)

// Member statuses as getChatMember returns them.
const (
	StatusCreator       = "creator"
	StatusAdministrator = "administrator"
	StatusMember        = "member"
	StatusRestricted    = "restricted"
	StatusLeft          = "left"
	StatusKicked        = "kicked"
)

// User is the Bot API User object.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is the Bot API Chat object.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

// MessageEntity is the Bot API MessageEntity object; Offset and Length
// count UTF-16 code units.
type MessageEntity struct {
	Type     string `json:"type"`
	Offset   int    `json:"offset"`
	Length   int    `json:"length"`
	URL      string `json:"url,omitempty"`
	User     *User  `json:"user,omitempty"`
	Language string `json:"language,omitempty"`
}

// LinkPreviewOptions is the Bot API LinkPreviewOptions object.
type LinkPreviewOptions struct {
	IsDisabled       bool   `json:"is_disabled,omitempty"`
	URL              string `json:"url,omitempty"`
	PreferSmallMedia bool   `json:"prefer_small_media,omitempty"`
	PreferLargeMedia bool   `json:"prefer_large_media,omitempty"`
	ShowAboveText    bool   `json:"show_above_text,omitempty"`
}

// InlineKeyboardButton is the Bot API InlineKeyboardButton object, reduced
// to the fields a chat bot uses; CopyText is kept because go-telegram/bot
// always sends it.
type InlineKeyboardButton struct {
	Text              string          `json:"text"`
	URL               string          `json:"url,omitempty"`
	CallbackData      string          `json:"callback_data,omitempty"`
	WebApp            json.RawMessage `json:"web_app,omitempty"`
	LoginURL          json.RawMessage `json:"login_url,omitempty"`
	SwitchInlineQuery *string         `json:"switch_inline_query,omitempty"`
	SwitchCurrentChat *string         `json:"switch_inline_query_current_chat,omitempty"`
	SwitchChosenChat  json.RawMessage `json:"switch_inline_query_chosen_chat,omitempty"`
	CopyText          *CopyTextButton `json:"copy_text,omitempty"`
	CallbackGame      json.RawMessage `json:"callback_game,omitempty"`
	Pay               bool            `json:"pay,omitempty"`
}

// CopyTextButton is the Bot API CopyTextButton object.
type CopyTextButton struct {
	Text string `json:"text"`
}

// InlineKeyboardMarkup is the Bot API InlineKeyboardMarkup object, the
// only markup a Message carries.
type InlineKeyboardMarkup struct {
	InlineKeyboard [][]InlineKeyboardButton `json:"inline_keyboard"`
}

// Message is the Bot API Message object, reduced to text messages.
type Message struct {
	MessageID          int                   `json:"message_id"`
	MessageThreadID    int                   `json:"message_thread_id,omitempty"`
	IsTopicMessage     bool                  `json:"is_topic_message,omitempty"`
	From               *User                 `json:"from,omitempty"`
	Date               int64                 `json:"date"`
	Chat               Chat                  `json:"chat"`
	ReplyToMessage     *Message              `json:"reply_to_message,omitempty"`
	EditDate           int64                 `json:"edit_date,omitempty"`
	Text               string                `json:"text,omitempty"`
	Entities           []MessageEntity       `json:"entities,omitempty"`
	Document           *Document             `json:"document,omitempty"`
	Caption            string                `json:"caption,omitempty"`
	CaptionEntities    []MessageEntity       `json:"caption_entities,omitempty"`
	LinkPreviewOptions *LinkPreviewOptions   `json:"link_preview_options,omitempty"`
	ReplyMarkup        *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// CallbackQuery is the Bot API CallbackQuery object.
type CallbackQuery struct {
	ID              string   `json:"id"`
	From            User     `json:"from"`
	Message         *Message `json:"message,omitempty"`
	InlineMessageID string   `json:"inline_message_id,omitempty"`
	ChatInstance    string   `json:"chat_instance"`
	Data            string   `json:"data,omitempty"`
}

// Update is the Bot API Update object for the kinds a chat bot handles;
// SendRawUpdate injects any other kind.
type Update struct {
	UpdateID      int64          `json:"update_id"`
	Message       *Message       `json:"message,omitempty"`
	EditedMessage *Message       `json:"edited_message,omitempty"`
	CallbackQuery *CallbackQuery `json:"callback_query,omitempty"`
	// MyChatMember reports a change of the bot's own membership.
	MyChatMember *ChatMemberUpdated `json:"my_chat_member,omitempty"`
}

// ChatMemberUpdated is the Bot API ChatMemberUpdated object.
type ChatMemberUpdated struct {
	Chat          Chat             `json:"chat"`
	From          User             `json:"from"`
	Date          int64            `json:"date"`
	OldChatMember ChatMemberStatus `json:"old_chat_member"`
	NewChatMember ChatMemberStatus `json:"new_chat_member"`
}

// ChatMemberStatus is the Bot API ChatMember object, reduced to its status.
type ChatMemberStatus struct {
	Status   string `json:"status"`
	User     User   `json:"user"`
	IsMember bool   `json:"is_member,omitempty"`
}

// BotCommand is the Bot API BotCommand object.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// CommandScope is the Bot API BotCommandScope object; Type is "default"
// when the request named no scope.
type CommandScope struct {
	Type   string `json:"type"`
	ChatID int64  `json:"chat_id,omitempty"`
	UserID int64  `json:"user_id,omitempty"`
}
