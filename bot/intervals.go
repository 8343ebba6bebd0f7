package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/coach"
)

// IntervalsAPI is what the core needs of intervals.icu: an athlete's
// activities and wellness days between two local dates, read with the
// athlete's personal API key. internal/intervals implements it over HTTP;
// main wires it in. Errors are ErrIntervalsKey for a key the service
// refuses (401, 403), a *IntervalsRateLimited for a 429, anything else for
// a failure that may pass.
type IntervalsAPI interface {
	Activities(ctx context.Context, athleteID, key string, oldest, newest coach.Date) ([]IntervalsActivity, error)
	Wellness(ctx context.Context, athleteID, key string, oldest, newest coach.Date) ([]IntervalsWellness, error)
	// HeartRate returns an activity's heart-rate samples (its streams),
	// none when it has no heart rate.
	HeartRate(ctx context.Context, activityID, key string) ([]coach.HRSample, error)
}

// ErrIntervalsKey is the service's refusal of an athlete id and key: the
// key is wrong, revoked, or belongs to another athlete.
var ErrIntervalsKey = errors.New("intervals.icu refused the athlete id and API key")

// IntervalsRateLimited is a 429 from the service: no call before RetryAfter
// has passed.
type IntervalsRateLimited struct {
	RetryAfter time.Duration
}

func (e *IntervalsRateLimited) Error() string {
	return fmt.Sprintf("intervals.icu rate limit: retry after %s", e.RetryAfter)
}

// IntervalsActivity is one activity as the service lists it.
type IntervalsActivity struct {
	ID string
	// Start is the instant it started; Date is the calendar date of its
	// local start as the service shows it.
	Start time.Time
	Date  coach.Date
	// Type is the service's sport ("Run", "Ride", "Swim", ...).
	Type string
	Name string
	// MovingSec and ElapsedSec are seconds; DistanceM metres.
	MovingSec  int
	ElapsedSec int
	DistanceM  float64
	AvgHR      int
	MaxHR      int
	// RPE is the athlete's own effort rating (1-10) on the service, 0 when
	// not given.
	RPE int
	// Stub is an activity the service lists but cannot share through its
	// API (synced from Strava): only its id and date are known.
	Stub bool
}

// IntervalsWellness is one day of the service's wellness record; zero
// means not recorded. Soreness and Fatigue are the service's 1-4 scales
// (1 low), SleepQuality its 1-4 scale (1 great).
type IntervalsWellness struct {
	Date         coach.Date
	RestingHR    int
	HRV          float64
	SleepSecs    int
	SleepQuality int
	Soreness     int
	Fatigue      int
}

// Sealer encrypts secrets kept at rest (an intervals.icu API key). The
// associated data binds a sealed value to its row, so it cannot be moved
// to another member's.
type Sealer interface {
	Seal(plain, associated []byte) ([]byte, error)
	Open(sealed, associated []byte) ([]byte, error)
}

// LinkState is a link's health. Its values are stored.
type LinkState string

// The link states.
const (
	LinkOK LinkState = "ok"
	// LinkBroken: the service refused the key; nothing is fetched until
	// the member connects again.
	LinkBroken LinkState = "broken"
)

// IntervalsLink is a member's link to intervals.icu. KeySealed is the API
// key sealed with the host's secret key; it is opened only to call the
// service.
type IntervalsLink struct {
	MemberID  int64
	AthleteID string
	KeySealed []byte
	State     LinkState
	// LastSync is when activities were last read; zero before the first
	// sync. WellnessThrough is the last wellness day taken in.
	LastSync        time.Time
	WellnessThrough coach.Date
	// NotBefore is when the service allows the next call (its Retry-After).
	NotBefore time.Time
	// BrokenTold and StubTold: the member has been told that the key was
	// refused, and that Strava-synced activities can't be read.
	BrokenTold bool
	StubTold   bool
}

// IntervalsLinks stores members' intervals.icu links and which activities
// were taken from them.
type IntervalsLinks interface {
	// SaveIntervalsLink creates or replaces the member's link.
	SaveIntervalsLink(ctx context.Context, l IntervalsLink, now time.Time) error
	// IntervalsLink returns the member's link; ErrNotFound without one.
	IntervalsLink(ctx context.Context, memberID int64) (IntervalsLink, error)
	// UpdateIntervalsLink saves a link's state, sync marks and told flags.
	UpdateIntervalsLink(ctx context.Context, l IntervalsLink) error
	// DeleteIntervalsLink removes the member's link and reports whether
	// there was one.
	DeleteIntervalsLink(ctx context.Context, memberID int64) (bool, error)
	// LinkedMembers returns which of the members have a link, with when
	// each last synced (zero for never).
	LinkedMembers(ctx context.Context, memberIDs []int64) (map[int64]time.Time, error)
	// IntervalsActivityTaken reports whether the activity was taken in
	// for the member already.
	IntervalsActivityTaken(ctx context.Context, memberID int64, activityID string) (bool, error)
	// TakeIntervalsActivity records that the activity was taken in for the
	// member and reports false when it already had been.
	TakeIntervalsActivity(ctx context.Context, memberID int64, activityID string, now time.Time) (bool, error)
}

// linkAD is the associated data a member's sealed key is bound to.
func linkAD(memberID int64, athleteID string) []byte {
	return fmt.Appendf(nil, "intervals.icu:%d:%s", memberID, athleteID)
}
