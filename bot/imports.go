package bot

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/shakeoutbot/shakeout/bot/activity"
	"github.com/shakeoutbot/shakeout/coach"
)

// ImportSource says where an imported session came from. Its values are
// stored.
type ImportSource string

// The sources of imported sessions.
const (
	ImportFile      ImportSource = "file"      // a watch file sent in chat
	ImportIntervals ImportSource = "intervals" // an activity read from intervals.icu
)

// ImportedSession is what a recording said about a session logged from it.
// Heart-rate figures are kept only with the member's consent to health
// data (0 otherwise).
type ImportedSession struct {
	SessionID int64
	Source    ImportSource
	// SourceID is the source's own id of the activity (intervals.icu's
	// "i12345"); empty for a file.
	SourceID    string
	Format      string // FIT, GPX, TCX; empty when not from a file
	Sport       string // activity.Sport
	Start       time.Time
	Elapsed     time.Duration
	Moving      time.Duration
	DistanceM   float64
	AvgHR       int
	MaxHR       int
	TRIMP       float64
	BandMinutes float64
}

// ImportLog stores imported sessions beside the training log.
type ImportLog interface {
	// AddImported stores s in the training log and x beside it, together,
	// and returns the session's id.
	AddImported(ctx context.Context, memberID int64, s LoggedSession, x ImportedSession, at time.Time) (int64, error)
	// ImportedNear returns the member's imported sessions that started
	// within window of start (either side).
	ImportedNear(ctx context.Context, memberID int64, start time.Time, window time.Duration) ([]ImportedSession, error)
	// ImportedSince returns, by session id, the member's imported
	// sessions whose logged session is dated on or after from.
	ImportedSince(ctx context.Context, memberID int64, from coach.Date) (map[int64]ImportedSession, error)
	// ImportedByID returns one of the member's imported sessions with its
	// logged session; ErrNotFound when the member has none with that id
	// (it was deleted, or never imported).
	ImportedByID(ctx context.Context, memberID, sessionID int64) (LoggedSession, ImportedSession, error)
}

// Duplicates: the same activity recorded once, seen again (sent twice, or
// once as a file and once from intervals.icu), starts within
// DupStartSlack of the first and lasts as long within DupDurationSlack or
// DupDurationShare, by elapsed or by moving time (services compute moving
// time differently, and some trim a few seconds off either end).
const (
	DupStartSlack    = 60 * time.Second
	DupDurationSlack = 60 * time.Second
	DupDurationShare = 0.02
)

// ImportOutcome is what ImportActivity did.
type ImportOutcome int

// The outcomes.
const (
	// ImportLogged: a new session was logged.
	ImportLogged ImportOutcome = iota + 1
	// ImportDuplicate: the activity was logged before; nothing stored.
	ImportDuplicate
)

// NoHRReason says why a session's load did not come from heart rate.
type NoHRReason int

// The reasons.
const (
	HRUsed      NoHRReason = iota // the load came from heart rate
	HRNone                        // the recording has no heart rate
	HRNoConsent                   // the member has not agreed to health data
	HRNoResting                   // no resting heart rate known (no check-in with one)
	HRNoMax                       // no maximum heart rate (measured, or age for 220 − age)
	HRTooLittle                   // the samples covered too little of the session
)

// ImportResult is what ImportActivity did, for the caller's reply
// (ImportReplies words it).
type ImportResult struct {
	Outcome ImportOutcome
	// Session is the session logged, or for a duplicate the one logged
	// before.
	Session  LoggedSession
	Imported ImportedSession
	// HR is the heart-rate load when NoHR is HRUsed.
	HR   coach.HRLoad
	NoHR NoHRReason
	// AskRPE: the load is the kind's usual effort × minutes until the
	// member taps their own effort (buttons).
	AskRPE bool
	// Race: the run looks like a race of RaceKm (coach.RaceLike), so the
	// reply asks "Was this a race?".
	Race   bool
	RaceKm float64
}

// ImportActivity logs a parsed activity for member m as a session. loc is
// the member's timezone (the session's date is the local date of its
// start), src and sourceID say where it came from, now is the clock. It
// stores nothing and returns an ImportDuplicate result when the member has
// an imported session with the same start and duration (DupStartSlack,
// DupDurationSlack), and an *activity.Error of kind activity.ErrFuture for
// an activity ending after now (plus activity.FutureSlack).
//
// The load: with heart-rate samples, the member's consent to health data,
// a resting heart rate (check-ins) and a maximum (measured, or 220 − age),
// the session's effort is read from its heart rate and it is hard when it
// spent coach.HardBandMinutes in the threshold band (coach.HeartRateLoad,
// coach.HRSessionRPE); its TRIMP is stored beside it. Otherwise the kind's
// usual effort stands and the result asks for the member's own (AskRPE);
// load is RPE × minutes either way.
func (b *Bot) ImportActivity(ctx context.Context, m Member, loc *time.Location, a activity.Activity, src ImportSource, sourceID string, now time.Time) (ImportResult, error) {
	var res ImportResult
	if end := a.Start.Add(a.Elapsed); end.After(now.Add(activity.FutureSlack)) {
		return res, &activity.Error{Kind: activity.ErrFuture, Format: a.Format,
			Detail: fmt.Sprintf("the activity ends at %s, after now", end.UTC().Format(time.RFC3339))}
	}
	near, err := b.store.ImportedNear(ctx, m.ID, a.Start, DupStartSlack)
	if err != nil {
		return res, err
	}
	for _, x := range near {
		if sameDuration(x.Elapsed, a.Elapsed) || sameDuration(x.Moving, a.Moving) {
			s, x, err := b.store.ImportedByID(ctx, m.ID, x.SessionID)
			if err != nil {
				return res, err
			}
			return ImportResult{Outcome: ImportDuplicate, Session: s, Imported: x}, nil
		}
	}

	minutes := a.Moving
	if minutes <= 0 {
		minutes = a.Timer
	}
	if minutes <= 0 {
		minutes = a.Elapsed
	}
	s := LoggedSession{TZ: loc.String()}
	s.Date = coach.DateOf(a.Start.In(loc))
	s.Kind = a.Sport.Kind()
	s.Minutes = math.Round(minutes.Minutes()*10) / 10
	s.DistanceKm = math.Round(a.DistanceM) / 1000
	x := ImportedSession{Source: src, SourceID: sourceID, Format: string(a.Format), Sport: string(a.Sport),
		Start: a.Start.UTC().Truncate(time.Second), Elapsed: a.Elapsed.Truncate(time.Second),
		Moving: a.Moving.Truncate(time.Second), DistanceM: a.DistanceM}

	res.NoHR = HRNone
	if a.HasHR {
		res.NoHR, err = b.heartRateLoad(ctx, m, a, s.Date, &res)
		if err != nil {
			return res, err
		}
	}
	if res.NoHR == HRUsed {
		rest, maxHR, _, _ := b.heartRates(ctx, m, s.Date)
		s.RPE = coach.HRSessionRPE(a.AvgHR, rest, maxHR, res.HR)
		s.RPEGiven = true
		if a.Sport == activity.SportRun && res.HR.Hard {
			s.Kind = coach.HardRunKind(a.HR, res.HR.BandBPM)
		}
		x.AvgHR, x.MaxHR = a.AvgHR, a.MaxHR
		x.TRIMP, x.BandMinutes = res.HR.TRIMP, math.Round(res.HR.BandMinutes*10)/10
	}
	if s.RPE == 0 {
		s.RPE = s.Kind.DefaultRPE()
		res.AskRPE = true
	}
	if a.Sport == activity.SportRun {
		res.RaceKm, res.Race = coach.RaceLike(s.DistanceKm, res.HR, res.NoHR == HRUsed, 0)
	}
	id, err := b.store.AddImported(ctx, m.ID, s, x, now)
	if err != nil {
		return res, err
	}
	s.ID, x.SessionID = id, id
	res.Outcome, res.Session, res.Imported = ImportLogged, s, x
	return res, nil
}

// heartRateLoad fills res.HR from the activity's samples when the member's
// consent and heart rates allow, and says why not otherwise.
func (b *Bot) heartRateLoad(ctx context.Context, m Member, a activity.Activity, date coach.Date, res *ImportResult) (NoHRReason, error) {
	if m.Consent != ConsentYes {
		return HRNoConsent, nil
	}
	rest, maxHR, why, err := b.heartRates(ctx, m, date)
	if err != nil || why != HRUsed {
		return why, err
	}
	l, ok := coach.HeartRateLoad(a.HR, rest, maxHR, a.Moving, coach.TRIMPNeutral)
	if !ok || l.Coverage < coach.HRCoverageMin {
		return HRTooLittle, nil
	}
	res.HR = l
	return HRUsed, nil
}

// heartRates returns the member's resting heart rate (the check-in
// baseline, else the latest check-in's) and maximum (measured, else
// 220 − age) for a session on date. Both are health data: the caller has
// checked consent.
func (b *Bot) heartRates(ctx context.Context, m Member, date coach.Date) (rest, maxHR int, why NoHRReason, err error) {
	maxHR = m.MaxHR
	if maxHR <= 0 && m.Age > 0 {
		maxHR = 220 - m.Age
	}
	if maxHR <= 0 {
		return 0, 0, HRNoMax, nil
	}
	cis, err := b.store.CheckInsSince(ctx, m.ID, date.AddDays(-checkInHistoryDays))
	if err != nil {
		return 0, 0, HRNone, err
	}
	if base, ok := coach.Baseline(cis, date.AddDays(1)); ok {
		return base, maxHR, HRUsed, nil
	}
	for i := len(cis) - 1; i >= 0; i-- {
		if cis[i].RestingHR > 0 {
			return cis[i].RestingHR, maxHR, HRUsed, nil
		}
	}
	return 0, maxHR, HRNoResting, nil
}

// sameDuration reports whether two durations of one activity match by the
// duplicate rule; a zero duration matches nothing.
func sameDuration(a, b time.Duration) bool {
	if a <= 0 || b <= 0 {
		return false
	}
	d := (a - b).Abs()
	return d <= DupDurationSlack || float64(d) <= DupDurationShare*float64(max(a, b))
}
