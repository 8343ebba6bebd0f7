package bot

import (
	"context"

	"github.com/shakeoutbot/shakeout/chat"
)

// GroupArrivals is implemented by a store that can do, in one call and
// usually one read, what a message from a club's group needs before its
// command runs: EnsureClub, EnsureMember (home club the group's club) and
// SeenInClub. request uses it when the store has it, and the three calls
// otherwise; the result must be the same either way.
type GroupArrivals interface {
	// ArriveInGroup ensures the club of chatID (named name, in tz when it
	// is new) and the member userID (named userName, home club that club,
	// DM chat dmChatID when not empty), and notes the member as seen in the
	// club under handle (lower case, empty when unknown).
	ArriveInGroup(ctx context.Context, p chat.Platform, chatID, name, tz, userID, userName, dmChatID, handle string) (Club, Member, error)
}
