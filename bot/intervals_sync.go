package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/shakeoutbot/shakeout/bot/activity"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// DefaultSyncBound is how long the morning messages wait, at most, for the
// intervals.icu syncs before them. A sync that takes longer is cut off and
// the messages go with what is already known.
const DefaultSyncBound = 8 * time.Second

const (
	// syncParallel is how many members' syncs run at once; the client
	// paces the calls to the service's rate limit.
	syncParallel = 4
	// firstSyncDays is how far back the first sync after /connect reads.
	firstSyncDays = 7
	// syncOverlapDays re-reads the day of the last sync, for activities
	// uploaded after it; activities already taken in are skipped by id.
	syncOverlapDays = 1
	// askDays: an activity read from intervals.icu gets its follow-up
	// questions (effort, "Was this a race?") only when it is from today or
	// the askDays before; an answer about an older one changes little.
	askDays = 2
)

// icuSync is the intervals.icu link's machinery inside the Bot.
type icuSync struct {
	api    IntervalsAPI
	sealer Sealer
	bound  time.Duration
}

func (s *icuSync) enabled() bool { return s.api != nil && s.sealer != nil }

// syncBeforeMorning reads new intervals.icu data for the linked members
// among the morning slots about to be sent, at most the sync bound, so the
// verdicts use it. A failed or slow sync is logged and never holds the
// messages back longer than that.
func (b *Bot) syncBeforeMorning(ctx context.Context, slots []Slot, now time.Time) {
	if !b.icu.enabled() {
		return
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, s := range slots {
		if s.Job.Kind == JobMorning && !seen[s.Job.Member.ID] {
			seen[s.Job.Member.ID] = true
			ids = append(ids, s.Job.Member.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	linked, err := b.store.LinkedMembers(ctx, ids)
	if err != nil {
		b.log.Warn("intervals sync", "error", err)
		return
	}
	if len(linked) == 0 {
		return
	}
	bound := b.icu.bound
	if bound <= 0 {
		bound = DefaultSyncBound
	}
	// The least recently synced first: members whose sync the bound cut
	// short one morning come first the next.
	due := make([]int64, 0, len(linked))
	for _, id := range ids {
		if _, ok := linked[id]; ok {
			due = append(due, id)
		}
	}
	sort.SliceStable(due, func(i, j int) bool { return linked[due[i]].Before(linked[due[j]]) })
	fetchCtx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	sem := make(chan struct{}, syncParallel)
	var wg sync.WaitGroup
	started := 0
start:
	for _, id := range due {
		// A slot is taken in order, so the order above holds.
		select {
		case sem <- struct{}{}:
		case <-fetchCtx.Done():
			break start
		}
		started++
		wg.Go(func() {
			defer func() { <-sem }()
			if _, err := b.syncMember(fetchCtx, ctx, id, now, true); err != nil {
				b.log.Warn("intervals sync", "member_id", id, "error", err)
			}
		})
	}
	if started < len(due) {
		b.log.Warn("intervals syncs cut off by the bound; they go first next time", "skipped", len(due)-started, "bound_ms", bound.Milliseconds())
	}
	wg.Wait()
}

// SyncResult is what one sync took in.
type SyncResult struct {
	Activities int
	Stubs      int
	Wellness   int
	// Skipped says why nothing was read: "" when the service was asked.
	Skipped string
	// Messages for the member (notes about the link, the questions about
	// new activities) when the sync was asked not to queue them: /sync
	// answers with them.
	Messages []chat.Reply
}

// syncMember reads the member's new activities (and wellness, with their
// consent) from intervals.icu and logs them. Calls to the service use
// fetchCtx, which the sync bound cuts short; writes use ctx, so what was
// read is stored whole. With queue, what the member should be told goes
// into the outbox as it arises, under keys of its own, before the flag
// saying it was told is stored: a restart neither loses nor repeats it.
// Without queue (/sync) it is returned in the result's Messages.
func (b *Bot) syncMember(fetchCtx, ctx context.Context, memberID int64, now time.Time, queue bool) (SyncResult, error) {
	var res SyncResult
	l, err := b.store.IntervalsLink(ctx, memberID)
	if errors.Is(err, ErrNotFound) {
		res.Skipped = "no link"
		return res, nil
	}
	if err != nil {
		return res, err
	}
	if l.State != LinkOK {
		res.Skipped = "broken"
		return res, nil
	}
	if now.Before(l.NotBefore) {
		res.Skipped = "rate limited"
		return res, nil
	}
	m, err := b.store.ScheduleMember(ctx, memberID)
	if err != nil {
		return res, err
	}
	tell := &syncTeller{b: b, m: m, queue: queue, now: now, res: &res, link: linkTag(l)}
	var clubTZ string
	if m.ClubID != 0 {
		if c, err := b.store.ClubByID(ctx, m.ClubID); err == nil {
			clubTZ = c.TZ
		}
	}
	loc := b.zoneOf(m.TZ, clubTZ)
	today := coach.DateOf(now.In(loc))
	oldest := today.AddDays(-firstSyncDays)
	if !l.LastSync.IsZero() {
		oldest = coach.DateOf(l.LastSync.In(loc)).AddDays(-syncOverlapDays)
	}
	key, err := b.icu.sealer.Open(l.KeySealed, linkAD(memberID, l.AthleteID))
	if err != nil {
		// The host's secret key changed: the stored key is unreadable,
		// which for the member is a link to make again.
		b.log.Error("intervals key cannot be opened (was SHAKEOUT_SECRET_KEY changed?)", "member_id", memberID)
		return res, b.linkRefused(ctx, tell, &l, unreadableNote(l.AthleteID))
	}
	acts, err := b.icu.api.Activities(fetchCtx, l.AthleteID, string(key), oldest, today)
	if err != nil {
		return res, b.syncFailed(ctx, tell, &l, now, err)
	}
	for _, a := range acts {
		if a.Stub {
			res.Stubs++
			continue
		}
		// The activity is marked taken only once it is logged and its
		// questions queued: a stop in between reads it again next time,
		// and the import's dedupe and the questions' outbox keys keep that
		// from logging or asking twice.
		taken, err := b.store.IntervalsActivityTaken(ctx, memberID, a.ID)
		if err != nil {
			return res, err
		}
		if taken {
			continue
		}
		logged, err := b.importIntervalsActivity(fetchCtx, ctx, tell, loc, a, string(key), now)
		if errors.Is(err, ErrIntervalsKey) {
			return res, b.syncFailed(ctx, tell, &l, now, err)
		}
		if err != nil {
			return res, err
		}
		if _, err := b.store.TakeIntervalsActivity(ctx, memberID, a.ID, now); err != nil {
			return res, err
		}
		if logged {
			res.Activities++
		}
	}
	if m.Consent == ConsentYes {
		from := oldest
		if !l.WellnessThrough.IsZero() && !l.WellnessThrough.Before(from) {
			from = l.WellnessThrough.AddDays(1)
		}
		if !from.After(today) {
			days, err := b.icu.api.Wellness(fetchCtx, l.AthleteID, string(key), from, today)
			if err != nil {
				return res, b.syncFailed(ctx, tell, &l, now, err)
			}
			for _, w := range days {
				ci, ok := checkInFromWellness(w)
				if !ok || w.Date.Before(from) || w.Date.After(today) {
					continue
				}
				if err := b.store.AddCheckIn(ctx, memberID, ci, loc.String(), now); err != nil {
					return res, err
				}
				res.Wellness++
			}
			l.WellnessThrough = today
		}
	}
	if res.Stubs > 0 && !l.StubTold {
		if err := tell.say(ctx, "stubs:"+tell.link, chat.Reply{Text: stubNote, Private: true}); err != nil {
			return res, err
		}
		l.StubTold = true
	}
	l.LastSync = now
	if err := b.store.UpdateIntervalsLink(ctx, l); err != nil {
		return res, err
	}
	b.log.Info("intervals sync", "member_id", memberID, "activities", res.Activities, "stubs", res.Stubs, "wellness_days", res.Wellness)
	return res, nil
}

// syncFailed records what a failed call means for the link: a refused key
// breaks it, a 429 holds further calls until its Retry-After. It returns
// the error for the log.
func (b *Bot) syncFailed(ctx context.Context, tell *syncTeller, l *IntervalsLink, now time.Time, err error) error {
	var rl *IntervalsRateLimited
	switch {
	case errors.Is(err, ErrIntervalsKey):
		if e := b.linkRefused(ctx, tell, l, brokenNote(l.AthleteID)); e != nil {
			return e
		}
		return err
	case errors.As(err, &rl):
		l.NotBefore = now.Add(rl.RetryAfter)
		if e := b.store.UpdateIntervalsLink(ctx, *l); e != nil {
			return e
		}
		return err
	}
	return err
}

// linkRefused marks the link broken and tells the member, once, with
// note.
func (b *Bot) linkRefused(ctx context.Context, tell *syncTeller, l *IntervalsLink, note string) error {
	l.State = LinkBroken
	if !l.BrokenTold {
		if err := tell.say(ctx, "broken:"+tell.link, chat.Reply{Text: note, Private: true}); err != nil {
			return err
		}
		l.BrokenTold = true
	}
	b.log.Warn("intervals link broken: the key was refused", "member_id", l.MemberID)
	return b.store.UpdateIntervalsLink(ctx, *l)
}

const stubNote = "Some of your activities on intervals.icu came there from Strava, and intervals.icu may not share " +
	"Strava's data through its API, so I skipped them. Connect your watch's own app (Garmin Connect, COROS, Polar, " +
	"Suunto) to intervals.icu and new runs come through; until then, log those with /log. I won't mention this again."

func brokenNote(athlete string) string {
	return fmt.Sprintf("intervals.icu no longer accepts the API key you linked for athlete %s (it was deleted or "+
		"replaced), so I've stopped reading your training from there. Make a new key at intervals.icu → Settings → "+
		"Developer settings and send /connect intervals %s YOUR_NEW_KEY to me here, in this private chat. "+
		"/disconnect removes the link.", athlete, athlete)
}

func unreadableNote(athlete string) string {
	return fmt.Sprintf("I can no longer read the intervals.icu key you linked for athlete %s: this bot's host changed "+
		"the secret key that keeps it encrypted. Please send /connect intervals %s YOUR_KEY to me here, in this private "+
		"chat, to link it again (/disconnect removes the link).", athlete, athlete)
}

var (
	namedIntervals = regexp.MustCompile(`(?i)interval|\brep(s|eats)?\b|\b\d+\s*[x×]\s*\d+|fartlek|track`)
	namedTempo     = regexp.MustCompile(`(?i)tempo|threshold`)
	namedHills     = regexp.MustCompile(`(?i)\bhills?\b`)
)

// The long-run line for an imported run: at least this far or this long.
const (
	longRunKm      = 16.0
	longRunMinutes = 90.0
)

// importIntervalsActivity logs one listed activity through the shared
// import service (ImportActivity: duplicates of a file sent in chat are
// skipped there, heart-rate load is worked out there). With the member's
// consent to health data, the activity's heart-rate samples are read
// first. It reports whether a new session was logged.
func (b *Bot) importIntervalsActivity(fetchCtx, ctx context.Context, tell *syncTeller, loc *time.Location, a IntervalsActivity, key string, now time.Time) (bool, error) {
	m := tell.m
	act := activity.Activity{Sport: sportOf(a.Type), SportName: strings.ToLower(a.Type), Start: a.Start.UTC(),
		Elapsed: time.Duration(a.ElapsedSec) * time.Second, Moving: time.Duration(a.MovingSec) * time.Second,
		DistanceM: a.DistanceM, AvgHR: a.AvgHR, MaxHR: a.MaxHR}
	act.Timer = act.Moving
	if act.Elapsed < act.Moving {
		act.Elapsed = act.Moving
	}
	if act.Elapsed <= 0 && act.DistanceM <= 0 {
		return false, nil
	}
	if m.Consent == ConsentYes && a.AvgHR > 0 {
		hr, err := b.icu.api.HeartRate(fetchCtx, a.ID, key)
		switch {
		case errors.Is(err, ErrIntervalsKey):
			return false, err
		case err != nil:
			// The summary is still worth logging; the load then comes
			// from the effort.
			b.log.Warn("intervals heart rate", "member_id", m.ID, "error", err)
		case len(hr) >= 2:
			act.HR, act.HasHR = hr, true
		}
	}
	res, err := b.ImportActivity(ctx, m, loc, act, ImportIntervals, a.ID, now)
	var ae *activity.Error
	if errors.As(err, &ae) {
		b.log.Warn("intervals activity not logged", "member_id", m.ID, "error", err)
		return false, nil
	}
	if err != nil || res.Outcome != ImportLogged {
		return false, err
	}
	s, changed := adjustImported(res.Session, a, m, res.NoHR == HRUsed)
	if changed {
		if err := b.store.UpdateSession(ctx, m.ID, s); err != nil {
			return false, err
		}
	}
	today := coach.DateOf(now.In(loc))
	if s.Date.Before(today.AddDays(-askDays)) {
		// The first sync reads a week back: older sessions are logged
		// with their usual effort, without a question each.
		return true, nil
	}
	workout := namedIntervals.MatchString(a.Name) || namedTempo.MatchString(a.Name) || namedHills.MatchString(a.Name)
	for _, q := range intervalsQuestions(res, s, act.Sport, workout, m.Units, today) {
		if err := tell.say(ctx, "a"+a.ID+":"+q.key, q.reply); err != nil {
			return true, err
		}
	}
	return true, nil
}

// intervalsQuestion is a follow-up about an activity read from
// intervals.icu, under the part of its outbox key that names it.
type intervalsQuestion struct {
	key   string
	reply chat.Reply
}

// intervalsQuestions are the follow-ups a file sent in chat gets, for an
// activity read from intervals.icu: its effort buttons when neither heart
// rate nor the athlete's RPE there gave one, and "Was this a race?" for a
// run at a race distance and race-like effort (from heart rate, else from
// that RPE), unless its name calls it a workout (intervals, tempo,
// hills). Each names the session, since it arrives unasked.
func intervalsQuestions(res ImportResult, s LoggedSession, sport activity.Sport, workout bool, u coach.Units, today coach.Date) []intervalsQuestion {
	var out []intervalsQuestion
	named := func(key string, r chat.Reply) {
		r.Text = "New from intervals.icu: " + describeSession(s, u, today) + ".\n" + r.Text
		out = append(out, intervalsQuestion{key: key, reply: r})
	}
	if res.AskRPE && !s.RPEGiven {
		named("rpe", rpeQuestion(s))
	}
	km, race := res.RaceKm, res.Race
	if !race && sport == activity.SportRun && res.NoHR != HRUsed && s.RPEGiven {
		km, race = coach.RaceLike(s.DistanceKm, coach.HRLoad{}, false, s.RPE)
	}
	if race && !workout && s.Kind != coach.KindRace {
		named("race", raceQuestion(s, km, u))
	}
	return out
}

// sportOf maps the service's sport to an activity.Sport.
func sportOf(t string) activity.Sport {
	switch strings.ToLower(t) {
	case "run", "trailrun", "virtualrun", "treadmill":
		return activity.SportRun
	case "ride", "virtualride", "gravelride", "mountainbikeride", "ebikeride":
		return activity.SportRide
	case "swim", "openwaterswim":
		return activity.SportSwim
	}
	return activity.SportOther
}

// adjustImported adds what intervals.icu knows beyond a recording: the
// athlete's own RPE there (it stands like a tapped RPE), and, without a
// heart-rate load, an effort from the average heart rate (with consent
// and a known maximum) and a run's kind from its name or length.
func adjustImported(s LoggedSession, a IntervalsActivity, m Member, hrUsed bool) (LoggedSession, bool) {
	before := s
	switch {
	case a.RPE >= 1 && a.RPE <= 10:
		s.RPE, s.RPEGiven = a.RPE, true
	case !hrUsed && m.Consent == ConsentYes && a.AvgHR > 0:
		if maxHR := memberMaxHR(m); maxHR > 0 {
			s.RPE, s.RPEGiven = rpeFromHR(a.AvgHR, maxHR), true
		}
	}
	if !hrUsed && sportOf(a.Type) == activity.SportRun {
		switch {
		case namedIntervals.MatchString(a.Name):
			s.Kind = coach.KindIntervals
		case namedTempo.MatchString(a.Name):
			s.Kind = coach.KindTempo
		case namedHills.MatchString(a.Name):
			s.Kind = coach.KindHills
		case s.DistanceKm >= longRunKm || s.Minutes >= longRunMinutes:
			s.Kind = coach.KindLong
		case s.RPEGiven && s.RPE >= 7:
			s.Kind = coach.KindTempo
		}
		if !s.RPEGiven {
			s.RPE = s.Kind.DefaultRPE()
		}
	}
	return s, s != before
}

// memberMaxHR is the member's measured maximum heart rate, else 220 − age,
// else 0.
func memberMaxHR(m Member) int {
	if m.MaxHR > 0 {
		return m.MaxHR
	}
	if m.Age > 0 {
		return 220 - m.Age
	}
	return 0
}

// rpeFromHR reads an effort from a session's average heart rate as a
// share of the maximum: the usual correspondence of %HRmax bands to the
// 1–10 scale (easy running below about 75%, threshold around 85–90%).
func rpeFromHR(avg, maxHR int) int {
	f := float64(avg) / float64(maxHR)
	switch {
	case f < 0.65:
		return 2
	case f < 0.72:
		return 3
	case f < 0.78:
		return 4
	case f < 0.83:
		return 5
	case f < 0.87:
		return 6
	case f < 0.91:
		return 7
	case f < 0.95:
		return 8
	}
	return 9
}

// checkInFromWellness turns a wellness day into check-in data: resting
// heart rate as it is; soreness from the service's 1–4 scale to the
// check-in's 1–5; energy as the inverse of fatigue; sleep from its
// quality (1–4, 1 great) or else its hours. HRV has no place in a
// check-in and is not kept.
func checkInFromWellness(w IntervalsWellness) (coach.CheckIn, bool) {
	ci := coach.CheckIn{Date: w.Date}
	if w.RestingHR >= 25 && w.RestingHR <= 120 {
		ci.RestingHR = w.RestingHR
	}
	if w.Soreness >= 1 && w.Soreness <= 4 {
		ci.Soreness = scale4to5(w.Soreness)
	}
	if w.Fatigue >= 1 && w.Fatigue <= 4 {
		ci.Energy = 6 - scale4to5(w.Fatigue)
	}
	switch {
	case w.SleepQuality >= 1 && w.SleepQuality <= 4:
		ci.Sleep = 6 - scale4to5(w.SleepQuality)
	case w.SleepSecs > 0:
		h := float64(w.SleepSecs) / 3600
		switch {
		case h < 5:
			ci.Sleep = 1
		case h < 6:
			ci.Sleep = 2
		case h < 7:
			ci.Sleep = 3
		case h < 8:
			ci.Sleep = 4
		default:
			ci.Sleep = 5
		}
	}
	ok := ci.RestingHR > 0 || ci.Soreness > 0 || ci.Energy > 0 || ci.Sleep > 0
	return ci, ok
}

// scale4to5 maps 1..4 onto 1..5: 1, 2, 4, 5.
func scale4to5(v int) int { return int(math.Round(1 + float64(v-1)*4/3)) }
