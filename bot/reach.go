package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// ReachStore is what the core needs to know who belongs to a club, where
// its posts go and who can be reached.
type ReachStore interface {
	// SeenInClub records that the member spoke in the club's chat, and the
	// member's platform handle (lower case; "" keeps the stored one).
	SeenInClub(ctx context.Context, clubID, memberID int64, username string) error
	// IsClubMember reports whether the member has spoken in the club's chat.
	IsClubMember(ctx context.Context, clubID, memberID int64) (bool, error)
	// MemberByUsername finds the member with that handle; ErrNotFound when
	// nobody has it.
	MemberByUsername(ctx context.Context, p chat.Platform, username string) (Member, error)
	// MemberByID finds a member by row id; ErrNotFound.
	MemberByID(ctx context.Context, id int64) (Member, error)
	// MemberByUserID finds a member by platform user id; ErrNotFound.
	MemberByUserID(ctx context.Context, p chat.Platform, userID string) (Member, error)
	// ClubByChat finds the club whose chat or post channel is chatID.
	ClubByChat(ctx context.Context, p chat.Platform, chatID string) (Club, error)
	// SetClubReachable marks the club whose chat is chatID reachable or
	// not and reports whether that changed anything.
	SetClubReachable(ctx context.Context, p chat.Platform, chatID string, reachable bool) (Club, bool, error)
	// SetMemberReachable does the same for a member's direct chat.
	SetMemberReachable(ctx context.Context, p chat.Platform, userID string, reachable bool) (bool, error)
	// SetDMChat remembers a member's direct-message channel, opened by the
	// bot; it changes nothing about reachability.
	SetDMChat(ctx context.Context, p chat.Platform, userID, chatID string) error
	// FirstRefusal records that the coaches are being told about a refused
	// post to chatID and reports whether that is news (false: told already).
	FirstRefusal(ctx context.Context, clubID int64, chatID string) (bool, error)
	// NoteClubAdminUse records where and by whom a coach command was used; a
	// non-empty defaultPost becomes the post channel when none is set.
	NoteClubAdminUse(ctx context.Context, clubID, memberID int64, chatID, defaultPost string) error
}

// noteClubAdmin records a successful coach check: where the coach was, and on
// platforms where a club's chat is a server rather than a channel, the
// channel becomes the post channel if the club has none yet.
func (r *Request) noteClubAdmin(ctx context.Context) {
	c := r.Club
	chat := r.Msg.ChatID
	if r.Msg.Private || chat == "" || r.Member.ID == 0 {
		return
	}
	defaultPost := ""
	if chat != c.ChatID && c.PostChat == "" {
		defaultPost = chat
	}
	if c.AdminChat == chat && c.AdminMember == r.Member.ID && defaultPost == "" {
		return
	}
	if err := r.bot.store.NoteClubAdminUse(ctx, c.ID, r.Member.ID, chat, defaultPost); err != nil {
		r.bot.log.Warn("note coach use", "platform", c.Platform, "chat_id", chat, "error", err)
		return
	}
	r.Club.AdminChat, r.Club.AdminMember = chat, r.Member.ID
	if defaultPost != "" {
		r.Club.PostChat = defaultPost
	}
}

// PostRefused tells a club's coaches, once per refused chat, that a post
// to the club was refused for good and what to fix. The dispatcher calls
// it for club messages that come back as a *outbox.RefusedError or unreachable.
func (b *Bot) PostRefused(ctx context.Context, o outbox.Outgoing, cause error) {
	if o.To.Private {
		return
	}
	c, err := b.store.ClubByChat(ctx, o.To.Platform, o.To.ChatID)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			b.log.Error("refused post: find club", "platform", o.To.Platform, "chat_id", o.To.ChatID, "error", err)
		}
		return
	}
	fix := ""
	var re *outbox.RefusedError
	if errors.As(cause, &re) {
		fix = re.Fix
	}
	if fix == "" {
		fix = "I can't post in the club's chat any more: I may have been removed or blocked there. Add me back (or let me post again), and the morning posts resume."
	}
	b.tellClubAdmins(ctx, c, o.To.ChatID, "The club post for "+clubName(c)+" didn't go out. "+fix)
}

// ClubReach records that the bot was removed from (reachable false) or
// added back to a club's chat, as the platform announced it. A removal is
// reported to the coaches once.
func (b *Bot) ClubReach(ctx context.Context, p chat.Platform, chatID string, reachable bool) error {
	c, changed, err := b.store.SetClubReachable(ctx, p, chatID, reachable)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	b.log.Info("club reachability changed", "platform", p, "chat_id", chatID, "reachable", reachable, "changed", changed)
	if changed && !reachable {
		b.tellClubAdmins(ctx, c, chatID, "I was removed from "+clubName(c)+", so its morning posts and notices stopped. "+
			"Add me to the group again and they resume on their own; nothing else needs doing.")
	}
	return nil
}

// MemberReach records that a member blocked (reachable false) or
// unblocked the bot, as the platform announced it.
func (b *Bot) MemberReach(ctx context.Context, p chat.Platform, userID string, reachable bool) error {
	changed, err := b.store.SetMemberReachable(ctx, p, userID, reachable)
	if err != nil {
		return err
	}
	if changed {
		b.log.Info("member reachability changed", "platform", p, "user_id", userID, "reachable", reachable)
	}
	return nil
}

// tellClubAdmins sends a notice about the club to the coaches: in the chat
// where a coach command was last used when that is not the refused one,
// otherwise by direct message to that coach and everyone on the coach
// list. They hear once per refused chat, until the post target changes or
// the bot is added back.
func (b *Bot) tellClubAdmins(ctx context.Context, c Club, refused, text string) {
	now := b.now()
	first, err := b.store.FirstRefusal(ctx, c.ID, refused)
	if err != nil {
		b.log.Error("refused post: record", "platform", c.Platform, "chat_id", refused, "error", err)
		return
	}
	if !first {
		b.log.Info("refused post; coaches were told already", "platform", c.Platform, "chat_id", refused)
		return
	}
	var items []outbox.Item
	if c.AdminChat != "" && c.AdminChat != refused && c.AdminChat != c.ChatID {
		items = append(items, outbox.Item{
			Key: fmt.Sprintf("refused:%d:%s:%d:chat", c.ID, refused, now.Unix()), ClubID: c.ID,
			To:    chat.Recipient{Platform: c.Platform, ChatID: c.AdminChat},
			Reply: chat.Reply{Text: text},
		})
	} else {
		coaches, err := b.store.ClubAdmins(ctx, c.ID)
		if err != nil {
			b.log.Error("refused post: list coaches", "platform", c.Platform, "chat_id", refused, "error", err)
			return
		}
		if c.AdminMember != 0 {
			seen := false
			for _, m := range coaches {
				seen = seen || m.ID == c.AdminMember
			}
			if !seen {
				if m, err := b.store.MemberByID(ctx, c.AdminMember); err == nil {
					coaches = append(coaches, m)
				}
			}
		}
		for _, m := range coaches {
			if m.Unreachable {
				continue
			}
			items = append(items, outbox.Item{
				Key: fmt.Sprintf("refused:%d:%s:%d:m%d", c.ID, refused, now.Unix(), m.ID), ClubID: c.ID, MemberID: m.ID,
				To:    memberRecipient(m),
				Reply: chat.Reply{Text: text, Private: true},
			})
		}
	}
	if len(items) == 0 {
		b.log.Warn("refused post: no coach to tell", "platform", c.Platform, "chat_id", refused)
		return
	}
	n, err := b.store.Enqueue(ctx, items, now)
	if err != nil {
		b.log.Error("refused post: tell coaches", "platform", c.Platform, "chat_id", refused, "error", err)
		return
	}
	if n > 0 {
		b.log.Info("coaches told about a refused post", "platform", c.Platform, "chat_id", refused, "count", n)
	}
}

// mentionRef reads a member reference typed as text: a Discord mention
// "<@123>" or "<@!123>", a bare numeric id, or "@handle". It returns the
// id or the lower-case handle; display names are never accepted.
func mentionRef(s string) (id, handle string) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		s = strings.TrimPrefix(strings.TrimSuffix(s[2:], ">"), "!")
		if s != "" && !strings.ContainsAny(s, " <>@") {
			return s, ""
		}
		return "", ""
	}
	if digits(s) {
		return s, ""
	}
	if h := strings.TrimPrefix(s, "@"); validHandle(h) {
		return "", strings.ToLower(h)
	}
	return "", ""
}

func digits(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validHandle is the alphabet of a platform handle: up to 32 of a-z, 0-9
// and _ (Telegram usernames; console names).
func validHandle(h string) bool {
	if h == "" || len(h) > 32 {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
