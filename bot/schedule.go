package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

// JobKind is what a daily scheduled job does. Its values are part of the
// stored idempotency keys.
type JobKind string

// The daily jobs.
const (
	// JobClubPost is the club's morning post at its post time.
	JobClubPost JobKind = "club_post"
	// JobMorning is a member's personal morning message at their nudge
	// time: the day's step of an active post-race plan, or else, for members
	// with nudges on, their /today verdict.
	JobMorning JobKind = "morning"
	// JobRecoveryEve reminds the club the evening before a recovery week.
	JobRecoveryEve JobKind = "recovery_eve"
	// JobRecoveryRhythm reminds the coach who asked for it, every Nth week,
	// that a recovery week is due.
	JobRecoveryRhythm JobKind = "recovery_rhythm"
)

// The local times of the jobs that have no setting of their own.
var (
	DefaultNudgeTime = input.Clock{Hour: 7}
	DefaultPostTime  = input.Clock{Hour: 6, Minute: 30}
	RecoveryEveTime  = input.Clock{Hour: 18}
	RecoveryRhythmAt = input.Clock{Hour: 9}
)

const (
	slotKeepDays      = 14
	recoveryMaxAhead  = 180
	recoveryNoteLimit = 300
)

// Job is one daily slot kind for one club or member: at At, local time in
// Zone, every day. Club and Member are a snapshot for scheduling;
// RunJob reads them afresh before building a message.
type Job struct {
	Kind   JobKind
	Club   Club
	Member Member
	Zone   *time.Location
	At     input.Clock
	// Since is when the club or member appeared: slots before it never
	// existed, so they are neither sent nor counted as missed.
	Since time.Time
}

// Slot is one occurrence of a job: the local calendar date it belongs to
// and the instant it falls due.
type Slot struct {
	// Job points into the scheduler's job list: slots are made for every
	// job every minute, and a Job (club and member) is large to copy.
	Job  *Job
	Date coach.Date
	Due  time.Time
}

// Key is the slot's idempotency key: what, who and the local date. It is
// the same however often, and whenever, the slot is looked at.
func (s Slot) Key() string {
	who := fmt.Sprintf("c%d", s.Job.Club.ID)
	if s.Job.Kind == JobMorning {
		who = fmt.Sprintf("m%d", s.Job.Member.ID)
	}
	return string(s.Job.Kind) + ":" + who + ":" + s.Date.String()
}

// SlotStatus is what became of a slot. Its values are stored.
type SlotStatus string

// The slot outcomes.
const (
	SlotEnqueued SlotStatus = "enqueued"
	SlotSkipped  SlotStatus = "skipped"
	SlotMissed   SlotStatus = "missed"
)

// SlotRecord is a slot's outcome with what it enqueued, stored together.
type SlotRecord struct {
	Key    string
	Status SlotStatus
	Due    time.Time
	Items  []outbox.Item
	// Tip is the knowledge-base entry a club post carried.
	Tip *ClubTip
}

// ClubTip remembers the tip of a club's post on a local date.
type ClubTip struct {
	ClubID  int64
	Date    coach.Date
	EntryID string
}

// ScheduledClub is a club with the time it first appeared.
type ScheduledClub struct {
	Club      Club
	CreatedAt time.Time
}

// ScheduleStore is what the scheduled jobs need from storage.
type ScheduleStore interface {
	// ScheduleClubs returns every club with a group chat.
	ScheduleClubs(ctx context.Context) ([]ScheduledClub, error)
	// ScheduleMembers returns every member not marked unreachable.
	ScheduleMembers(ctx context.Context) ([]Member, error)
	// ScheduleMember returns one member by id.
	ScheduleMember(ctx context.Context, id int64) (Member, error)
	// HandledSlots returns which of the keys already have an outcome.
	HandledSlots(ctx context.Context, keys []string) (map[string]bool, error)
	// RecordSlot stores a slot's outcome, its outbox items and its tip in one
	// transaction, and reports false (storing nothing) when the key already
	// had an outcome.
	RecordSlot(ctx context.Context, r SlotRecord, now time.Time) (bool, error)
	// RecordSlots is RecordSlot for many records in one transaction; it
	// reports for each whether it was new.
	RecordSlots(ctx context.Context, rs []SlotRecord, now time.Time) ([]bool, error)
	// PruneSlots forgets outcomes of slots due before the instant.
	PruneSlots(ctx context.Context, before time.Time) error
	// ClubTips returns the tips a club's posts carried on dates from..to.
	ClubTips(ctx context.Context, clubID int64, from, to coach.Date) (map[coach.Date]string, error)
}

// Jobs lists every daily job there is now. The scheduler works out which
// of their slots are due.
func (b *Bot) Jobs(ctx context.Context) ([]Job, error) {
	clubs, err := b.store.ScheduleClubs(ctx)
	if err != nil {
		return nil, fmt.Errorf("schedule clubs: %w", err)
	}
	members, err := b.store.ScheduleMembers(ctx)
	if err != nil {
		return nil, fmt.Errorf("schedule members: %w", err)
	}
	byID := map[int64]Club{}
	var jobs []Job
	for _, sc := range clubs {
		c := sc.Club
		byID[c.ID] = c
		if !c.Postable() {
			continue
		}
		loc := b.zoneOf(c.TZ)
		if c.PostOn {
			jobs = append(jobs, Job{Kind: JobClubPost, Club: c, Zone: loc, At: c.PostTime, Since: sc.CreatedAt})
		}
		weeks, err := b.store.RecoveryWeeksFrom(ctx, c.ID, coach.DateOf(b.now().In(loc)).AddDays(-1))
		if err != nil {
			return nil, fmt.Errorf("schedule recovery weeks: %w", err)
		}
		if len(weeks) > 0 {
			jobs = append(jobs, Job{Kind: JobRecoveryEve, Club: c, Zone: loc, At: RecoveryEveTime, Since: sc.CreatedAt})
		}
		if c.RecoveryEvery > 0 && !c.RecoveryAnchor.IsZero() {
			jobs = append(jobs, Job{Kind: JobRecoveryRhythm, Club: c, Zone: loc, At: RecoveryRhythmAt, Since: sc.CreatedAt})
		}
	}
	for _, m := range members {
		if m.Unreachable {
			continue
		}
		c := byID[m.ClubID]
		jobs = append(jobs, Job{Kind: JobMorning, Club: c, Member: m, Zone: b.zoneOf(m.TZ, c.TZ), At: m.NudgeTime, Since: m.CreatedAt})
	}
	return jobs, nil
}

// HandledSlots reports which slot keys already have an outcome.
func (b *Bot) HandledSlots(ctx context.Context, keys []string) (map[string]bool, error) {
	return b.store.HandledSlots(ctx, keys)
}

// DefaultCatchUp is how late a slot may be sent: a bot that was down for
// less than this sends the morning's messages when it comes back.
const DefaultCatchUp = 2 * time.Hour

// TooLate reports whether a slot that fell due at due is past the catch-up
// window at now, so it is recorded as missed rather than sent.
func TooLate(due, now time.Time, catchUp time.Duration) bool {
	return now.Sub(due) > catchUp
}

// SlotsResult counts what RunSlots did.
type SlotsResult struct {
	// Enqueued is how many slots put a new message in the outbox.
	Enqueued int
	// Missed is how many slots were recorded as missed (too late to send).
	Missed int
}

// slotLedger is the process's index of the stored slot outcomes: the keys
// it has seen recorded, by due instant, so a slot looked at every minute
// costs the store nothing once it has an outcome. The store's record is
// the truth; this only saves asking it.
type slotLedger struct {
	mu        sync.Mutex // one RunSlots at a time
	done      map[string]time.Time
	lastPrune time.Time
}

// RunSlots deals with slots that have fallen due: each slot without an
// outcome is sent (its message built and put in the outbox under the slot's
// key) when at most the catch-up window late, and recorded as missed, or
// skipped when it would have sent nothing, when later. Calls run one at a
// time, and every outcome is stored under the slot's key, so repeated or
// concurrent calls add nothing. Once a day it forgets old outcomes.
func (b *Bot) RunSlots(ctx context.Context, slots []Slot, now time.Time) (SlotsResult, error) {
	l := &b.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done == nil {
		l.done = map[string]time.Time{}
	}
	var res SlotsResult
	var due []Slot
	var keys []string
	for _, sl := range slots {
		if _, ok := l.done[sl.Key()]; !ok {
			due = append(due, sl)
			keys = append(keys, sl.Key())
		}
	}
	var errs []error
	if len(due) > 0 {
		handled, err := b.store.HandledSlots(ctx, keys)
		if err != nil {
			return res, err
		}
		var send []Slot
		for _, sl := range due {
			key := sl.Key()
			switch {
			case handled[key]:
			case !TooLate(sl.Due, now, b.catchUp):
				send = append(send, sl)
				continue
			default:
				missed, err := b.missSlot(ctx, sl, now)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if missed {
					res.Missed++
				}
			}
			l.done[key] = sl.Due
		}
		if len(send) > 0 {
			dueAt := make(map[string]time.Time, len(send))
			for _, sl := range send {
				dueAt[sl.Key()] = sl.Due
			}
			// Linked members' intervals.icu data first, so their verdicts
			// use it; bounded, and a failure only logs.
			b.syncBeforeMorning(ctx, send, now)
			done, n, err := b.sendSlots(ctx, send, now)
			if err != nil {
				errs = append(errs, err)
			}
			res.Enqueued += n
			for _, key := range done {
				l.done[key] = dueAt[key]
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return res, err
	}
	b.pruneSlots(ctx, now)
	return res, nil
}

// pruneSlots, once a day, drops remembered keys that can no longer come up
// (older than two days) and forgets stored outcomes older than the
// catch-up could ever reach, keeping two weeks for diagnosis. The caller
// holds the ledger.
func (b *Bot) pruneSlots(ctx context.Context, now time.Time) {
	l := &b.ledger
	if now.Sub(l.lastPrune) < 24*time.Hour && !now.Before(l.lastPrune) {
		return
	}
	for k, due := range l.done {
		if now.Sub(due) > 48*time.Hour {
			delete(l.done, k)
		}
	}
	if err := b.store.PruneSlots(ctx, now.AddDate(0, 0, -slotKeepDays)); err != nil {
		b.log.Error("prune schedule slots", "error", err)
		return
	}
	l.lastPrune = now
}

// missSlot records a slot that fell due too long ago to be worth sending
// (the bot was down) and logs it once when it would have sent something.
// Slots that would have sent nothing are recorded as skipped, quietly.
// It reports whether the slot was recorded as missed.
func (b *Bot) missSlot(ctx context.Context, s Slot, now time.Time) (bool, error) {
	rec := SlotRecord{Key: s.Key(), Status: SlotMissed, Due: s.Due}
	var err error
	switch s.Job.Kind {
	case JobClubPost:
		err = b.clubPostSlot(ctx, s, &rec)
	case JobRecoveryEve:
		err = b.recoveryEveSlot(ctx, s, &rec)
	case JobRecoveryRhythm:
		err = b.recoveryRhythmSlot(ctx, s, &rec)
	case JobMorning:
		// Building a plan step would end a finished plan, so judge by the
		// nudge setting and whether a plan's steps were asked for.
		if !s.Job.Member.Nudges {
			var p *Plan
			if p, err = b.activePlan(ctx, s.Job.Member.ID); err == nil && (p == nil || !p.SendSteps) {
				rec.Status = SlotSkipped
			}
		}
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", s.Key(), err)
	}
	if s.Job.Kind != JobMorning && len(rec.Items) == 0 {
		rec.Status = SlotSkipped
	}
	rec.Items, rec.Tip = nil, nil
	ok, err := b.store.RecordSlot(ctx, rec, now)
	if err != nil {
		return false, err
	}
	if ok && rec.Status == SlotMissed {
		p := s.Job.Club.Platform
		if s.Job.Kind == JobMorning {
			p = s.Job.Member.Platform
		}
		b.log.Warn("scheduled message missed", "job", s.Key(), "platform", p, "late_min", int(now.Sub(s.Due).Minutes()))
	}
	return ok && rec.Status == SlotMissed, nil
}

// slotBatch is how many slot outcomes one transaction records: enough to
// spread the cost of a commit, few enough not to hold the writer for long
// while members are talking to the bot.
const slotBatch = 100

// sendSlots builds the slots' messages and records them with their outbox
// items, a batch per transaction. It returns the keys of the slots dealt
// with (a slot whose message could not be built or recorded is left for the
// next call) and how many put something new in the outbox.
func (b *Bot) sendSlots(ctx context.Context, slots []Slot, now time.Time) (done []string, enqueued int, err error) {
	var errs []error
	ctx = withTickMemo(ctx)
	recs := make([]SlotRecord, 0, min(len(slots), slotBatch))
	flush := func() {
		if len(recs) == 0 {
			return
		}
		fresh, err := b.store.RecordSlots(ctx, recs, now)
		if err != nil {
			errs = append(errs, err)
		} else {
			for i, r := range recs {
				done = append(done, r.Key)
				if fresh[i] && r.Status == SlotEnqueued {
					enqueued++
				}
			}
		}
		recs = recs[:0]
	}
	for _, s := range slots {
		rec, err := b.buildSlot(ctx, s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs = append(recs, rec)
		if len(recs) == slotBatch {
			flush()
		}
	}
	flush()
	return done, enqueued, errors.Join(errs...)
}

// buildSlot makes the slot's outbox items without storing anything.
func (b *Bot) buildSlot(ctx context.Context, s Slot) (SlotRecord, error) {
	rec := SlotRecord{Key: s.Key(), Status: SlotSkipped, Due: s.Due}
	var err error
	switch s.Job.Kind {
	case JobClubPost:
		err = b.clubPostSlot(ctx, s, &rec)
	case JobMorning:
		err = b.morningSlot(ctx, s, &rec)
	case JobRecoveryEve:
		err = b.recoveryEveSlot(ctx, s, &rec)
	case JobRecoveryRhythm:
		err = b.recoveryRhythmSlot(ctx, s, &rec)
	default:
		return rec, fmt.Errorf("unknown job %q", s.Job.Kind)
	}
	if err != nil {
		return rec, fmt.Errorf("%s: %w", s.Key(), err)
	}
	if len(rec.Items) > 0 {
		rec.Status = SlotEnqueued
	}
	return rec, nil
}

// freshClub reads the club again and reports whether it can receive posts.
func (b *Bot) freshClub(ctx context.Context, id int64) (Club, bool, error) {
	c, err := b.store.ClubByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Club{}, false, nil
	}
	if err != nil {
		return Club{}, false, err
	}
	return c, c.Postable(), nil
}

func clubRecipient(c Club) chat.Recipient {
	return chat.Recipient{Platform: c.Platform, ChatID: c.PostTarget(), ThreadID: c.PostThread}
}

func memberRecipient(m Member) chat.Recipient {
	return chat.Recipient{Platform: m.Platform, ChatID: m.DMChatID, UserID: m.UserID, Private: true}
}

func (b *Bot) clubPostSlot(ctx context.Context, s Slot, rec *SlotRecord) error {
	c, ok, err := b.freshClub(ctx, s.Job.Club.ID)
	if err != nil || !ok || !c.PostOn {
		return err
	}
	posts, err := b.clubPosts(ctx, c, s.Date, 1)
	if err != nil {
		return err
	}
	p := posts[0]
	rec.Items = []outbox.Item{{Key: rec.Key, To: clubRecipient(c), Reply: chat.Reply{Text: p.Text}, ClubID: c.ID}}
	if err := b.attachClubPicture(ctx, c, s.Due, &rec.Items[0].Reply); err != nil {
		return err
	}
	if p.TipID != "" {
		rec.Tip = &ClubTip{ClubID: c.ID, Date: s.Date, EntryID: p.TipID}
	}
	return nil
}

// morningSlot sends a member's post-race step when a plan is running and
// otherwise, with nudges on, their verdict. One personal message a morning:
// on plan days the step is the verdict; the morning after the plan's last
// day the summary comes with the day's verdict. A member with nudges off
// gets only the steps of a plan they asked to have sent (and its summary),
// then nothing.
func (b *Bot) morningSlot(ctx context.Context, s Slot, rec *SlotRecord) error {
	m, err := b.store.ScheduleMember(ctx, s.Job.Member.ID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil || m.Unreachable {
		return err
	}
	var c Club
	if m.ClubID != 0 {
		c, err = b.clubByID(ctx, m.ClubID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	if c.ID == 0 {
		c = Club{Platform: m.Platform, TZ: b.defaultTZ.String()}
	}
	// Morning messages go only to members who have them on, or whose plan
	// they asked to have sent: /stop means stop, for both.
	plan, err := b.activePlan(ctx, m.ID)
	if err != nil {
		return err
	}
	planSteps := plan != nil && (m.Nudges || plan.SendSteps)
	if !m.Nudges && !planSteps {
		return nil
	}
	var reply chat.Reply
	ok := false
	if planSteps {
		if reply, ok, err = b.PlanStepReply(ctx, m, c, s.Due); err != nil {
			return err
		}
	}
	if !ok {
		if !m.Nudges {
			return nil
		}
		if reply, err = b.TodayReply(ctx, m, c, s.Due); err != nil {
			return err
		}
	}
	reply.Private = true
	rec.Items = []outbox.Item{{Key: rec.Key, To: memberRecipient(m), Reply: reply, ClubID: c.ID, MemberID: m.ID}}
	return nil
}

func (b *Bot) recoveryEveSlot(ctx context.Context, s Slot, rec *SlotRecord) error {
	c, ok, err := b.freshClub(ctx, s.Job.Club.ID)
	if err != nil || !ok {
		return err
	}
	weeks, err := b.store.RecoveryWeeksFrom(ctx, c.ID, s.Date.AddDays(1))
	if err != nil {
		return err
	}
	for _, w := range weeks {
		if w.Start == s.Date.AddDays(1) {
			rec.Items = []outbox.Item{{Key: rec.Key, To: clubRecipient(c), Reply: chat.Reply{Text: recoveryEveText(w)}, ClubID: c.ID}}
		}
	}
	return nil
}

// recoveryRhythmSlot reminds on the Monday of the last build week of each
// cycle of N weeks, counted from the anchor Monday, so the Nth week can be
// the recovery week; not when one is already declared for it.
func (b *Bot) recoveryRhythmSlot(ctx context.Context, s Slot, rec *SlotRecord) error {
	c, ok, err := b.freshClub(ctx, s.Job.Club.ID)
	if err != nil || !ok || c.RecoveryEvery <= 0 || c.RecoveryAnchor.IsZero() {
		return err
	}
	weeks := s.Date.Sub(c.RecoveryAnchor) / 7
	if s.Date.Weekday() != time.Monday || s.Date.Before(c.RecoveryAnchor) || weeks%c.RecoveryEvery != c.RecoveryEvery-1 {
		return nil
	}
	next := s.Date.AddDays(7)
	if on, err := b.store.RecoveryWeekOn(ctx, c.ID, next); err != nil || on {
		return err
	}
	admin, err := b.store.RecoveryReminderMember(ctx, c.ID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil || admin.Unreachable {
		return err
	}
	text := fmt.Sprintf("Recovery-week reminder for %s: next week, from %s, would be week %d of your %d-week rhythm, the easy one. "+
		"Declare it in the club's chat with /recoveryweek %s, change the rhythm with /recoveryweek every N, or stop these reminders with /recoveryweek every off.",
		clubName(c), longDate(next), c.RecoveryEvery, c.RecoveryEvery, next)
	rec.Items = []outbox.Item{{Key: rec.Key, To: memberRecipient(admin), Reply: chat.Reply{Text: text, Private: true}, ClubID: c.ID, MemberID: admin.ID}}
	return nil
}

func clubName(c Club) string {
	if c.Name != "" {
		return c.Name
	}
	return "the club"
}

// longDate writes a date as "Monday 15 June".
func longDate(d coach.Date) string {
	return fmt.Sprintf("%s %d %s", d.Weekday(), d.Day, d.Month)
}
