package bot

import (
	"context"
	"errors"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

// ErrNotFound is returned by stores when a row does not exist.
var ErrNotFound = errors.New("not found")

// Consent records a member's answer to the health-data question.
type Consent string

// The consent states. Health data is stored only under ConsentYes.
const (
	ConsentUnasked Consent = ""
	ConsentYes     Consent = "yes"
	ConsentNo      Consent = "no"
)

// Club is a running club: one group chat or server on one platform.
type Club struct {
	ID       int64
	Platform chat.Platform
	ChatID   string
	Name     string
	// TZ is the IANA timezone of the club's posts and calendar.
	TZ string
	// PostTime is the morning post's local time; PostOn switches it.
	PostTime input.Clock
	PostOn   bool
	Pattern  coach.WeekPattern
	// RecoveryEvery reminds coaches every Nth week (0: off), counted from
	// RecoveryAnchor, the Monday the rhythm was set.
	RecoveryEvery  int
	RecoveryAnchor coach.Date
	Unreachable    bool
	// PostChat is the channel the club's posts go to when it is not ChatID
	// itself (a Discord server's text channel or thread); PostThread is
	// the forum topic of the posts (Telegram), empty for General.
	PostChat   string
	PostThread string
	// AdminChat and AdminMember are where and by whom a coach command was
	// last used: a refused post is reported there.
	AdminChat   string
	AdminMember int64
}

// Postable reports whether the club's posts have somewhere to go: a group
// chat the bot is in, and on Discord, where a server is not a channel, a
// post channel chosen by a coach.
func (c Club) Postable() bool {
	if c.Direct() || c.Unreachable {
		return false
	}
	return c.Platform != chat.PlatformDiscord || c.PostChat != ""
}

// PostTarget is the chat the club's posts go to.
func (c Club) PostTarget() string {
	if c.PostChat != "" {
		return c.PostChat
	}
	return c.ChatID
}

// Direct reports whether the club is the pseudo club of direct messages of
// members who have not used the bot in a group yet.
func (c Club) Direct() bool { return c.ChatID == "" }

// Member is one person on one platform.
type Member struct {
	ID       int64
	Platform chat.Platform
	UserID   string
	Name     string
	// Username is the platform's unique handle (lower case), if any.
	Username string
	// ClubID is the member's home club: where they last spoke to the bot in a
	// group, used for direct messages.
	ClubID int64
	// TZ is the member's own timezone; empty means the club's.
	TZ string
	// NudgeTime is the member's local time for the morning message.
	NudgeTime input.Clock
	Nudges    bool
	Units     coach.Units
	Level     coach.Level
	Consent   Consent
	Age       int
	MaxHR     int
	// DMChatID is the member's direct-message chat, once known.
	DMChatID    string
	Unreachable bool
	CreatedAt   time.Time
}

// Directory finds or creates clubs and members.
type Directory interface {
	// EnsureClub returns the club for a platform chat, creating it with the
	// default timezone; chatID "" is the platform's direct-message club.
	EnsureClub(ctx context.Context, p chat.Platform, chatID, name, tz string) (Club, error)
	// EnsureMember returns the member, creating it; a non-zero homeClub
	// becomes the member's home club, and a non-empty dmChatID is remembered.
	EnsureMember(ctx context.Context, p chat.Platform, userID, name string, homeClub int64, dmChatID string) (Member, error)
	ClubByID(ctx context.Context, id int64) (Club, error)
	// UpdateClub saves a club's settings.
	UpdateClub(ctx context.Context, c Club) error
	// IsListedClubAdmin reports whether the member is on the club's coach list.
	IsListedClubAdmin(ctx context.Context, clubID, memberID int64) (bool, error)
}

// Inbox remembers platform updates already handled.
type Inbox interface {
	// FirstDelivery records the update and reports whether it is new.
	FirstDelivery(ctx context.Context, p chat.Platform, updateID string) (bool, error)
}

// UpdateUnits is implemented by a store that can make an inbound update
// one unit of work: its inbox record and every write its command makes are
// committed together, or none of them is. Handle uses it when the store has
// it, and Inbox otherwise.
type UpdateUnits interface {
	// BeginUpdate starts the update's unit. first is false for an update
	// already handled (drop it). The returned context carries the unit:
	// store writes made with it join the unit.
	BeginUpdate(ctx context.Context, p chat.Platform, updateID string) (context.Context, UpdateUnit, bool, error)
}

// ErrTryAgain is Finish's word that the update's writes were undone
// through no fault of its own (another update in the same group commit
// failed): nothing of it was kept, and Handle runs it again.
var ErrTryAgain = errors.New("undone with its group commit: handle it again")

// UpdateUnit is one update's unit of work.
type UpdateUnit interface {
	// Finish commits the unit (the inbox record with the command's writes)
	// or, without commit, undoes all of it so a redelivery runs the
	// command again. first is false when the update turned out to be
	// handled already; nothing of this run is kept then. ErrTryAgain
	// asks for the update to be handled again from the start.
	Finish(ctx context.Context, commit bool) (first bool, err error)
}

// ClubCalendar answers questions about a club's declared weeks.
type ClubCalendar interface {
	// RecoveryWeekOn reports whether the date is in a declared recovery week.
	RecoveryWeekOn(ctx context.Context, clubID int64, date coach.Date) (bool, error)
}

// Store is everything the core needs from storage; bot/sqlite implements it.
// Each embedded interface is declared next to the code that uses it.
type Store interface {
	Directory
	Inbox
	KnowledgeSearcher
	ClubCalendar
	outbox.Store
	ScheduleStore
	ClubAdmin
	TrainingLog
	CheckInStore
	PlanStore
	FlowStore
	MemberSettings
	MemberRecords
	Forgetter
	ReachStore
	IntervalsLinks
	ImportLog
	PlanAnswerStore
}
