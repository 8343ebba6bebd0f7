package telegramtest

// General is the thread id of a forum's General topic: messages there
// carry no message_thread_id.
const General = 0

// Descriptions of the Bot API's refusals of a forum topic.
const (
	DescTopicClosed   = "Bad Request: TOPIC_CLOSED"
	DescTopicNotFound = "Bad Request: message thread not found"
)

// Forum makes chat a forum supergroup with an open General topic and
// returns the chat as updates will show it.
func (s *Server) Forum(chat Chat) Chat {
	chat.Type, chat.IsForum = ChatSupergroup, true
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[chat.ID] = chat
	if s.topics[chat.ID] == nil {
		s.topics[chat.ID] = map[int]bool{General: false}
	}
	return chat
}

// OpenTopic creates (or reopens) a topic of a forum made with Forum.
func (s *Server) OpenTopic(chatID int64, threadID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.topics[chatID] == nil {
		s.topics[chatID] = map[int]bool{General: false}
	}
	s.topics[chatID][threadID] = false
}

// CloseTopic closes a topic (General too): the bot's messages to it are
// refused with TOPIC_CLOSED, as for a bot without the right to manage
// topics.
func (s *Server) CloseTopic(chatID int64, threadID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.topics[chatID] == nil {
		s.topics[chatID] = map[int]bool{General: false}
	}
	s.topics[chatID][threadID] = true
}

// DeleteTopic removes a topic: messages to it fail with "message thread
// not found".
func (s *Server) DeleteTopic(chatID int64, threadID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.topics[chatID], threadID)
}

// topicRefusalLocked returns the description a sendMessage to the chat's
// thread is refused with, or "".
func (s *Server) topicRefusalLocked(chatID int64, thread int) string {
	topics, forum := s.topics[chatID]
	if !forum {
		if thread != 0 {
			return DescTopicNotFound
		}
		return ""
	}
	closed, ok := topics[thread]
	switch {
	case !ok:
		return DescTopicNotFound
	case closed:
		return DescTopicClosed
	}
	return ""
}

// TopicText builds a text message from a user in a topic of a forum made
// with Forum (threadID General: the General topic, which carries no
// thread id).
func TopicText(chat Chat, threadID int, from User, text string) Update {
	u := GroupText(chat, from, text)
	if threadID != General {
		u.Message.MessageThreadID, u.Message.IsTopicMessage = threadID, true
	}
	return u
}

// TextMention builds a group message whose text ends with a mention of
// who that carries their user id (Telegram's text_mention, for people
// picked from the member list, with or without a username).
func TextMention(chat Chat, from User, text string, who User) Update {
	u := GroupText(chat, from, text+" "+who.FirstName)
	units := 0
	for _, r := range text + " " {
		units++
		if r >= 0x10000 {
			units++
		}
	}
	u.Message.Entities = append(u.Message.Entities, MessageEntity{
		Type: "text_mention", Offset: units, Length: utf16Len(who.FirstName), User: &who,
	})
	return u
}

// BotMembership changes the bot's own membership of a chat as a user or
// group would (status StatusKicked in a private chat: the user blocked
// the bot; StatusMember: unblocked or added back; StatusLeft or
// StatusKicked in a group: removed) and queues the my_chat_member update
// Telegram sends for it. Sends to a chat the bot is out of are refused
// with 403 from then on.
func (s *Server) BotMembership(chat Chat, by User, status string) int64 {
	if chat.Type == "" {
		chat.Type = chatTypeByID(chat.ID)
	}
	old := StatusMember
	out := status == StatusKicked || status == StatusLeft
	if !out {
		old = StatusKicked
		if chat.Type != ChatPrivate {
			old = StatusLeft
		}
	}
	s.mu.Lock()
	switch {
	case out && chat.Type == ChatPrivate:
		s.blocked[chat.ID] = DescBlockedByUser
	case out:
		s.blocked[chat.ID] = "Forbidden: bot was kicked from the " + map[bool]string{true: "supergroup", false: "group"}[chat.Type == ChatSupergroup] + " chat"
	default:
		delete(s.blocked, chat.ID)
	}
	s.users[by.ID] = by
	date := s.now().Unix()
	s.mu.Unlock()
	u := Update{MyChatMember: &ChatMemberUpdated{
		Chat: chat, From: by, Date: date,
		OldChatMember: ChatMemberStatus{Status: old, User: s.Bot()},
		NewChatMember: ChatMemberStatus{Status: status, User: s.Bot()},
	}}
	return s.SendUpdate(u).UpdateID
}
