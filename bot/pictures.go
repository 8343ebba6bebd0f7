package bot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/shakeoutbot/shakeout/bot/chart"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// Image is a picture on a reply.
type Image = chat.Image

// PictureStore is what the pictures need beyond the Store: the members a
// club picture counts, and the coaches' choice to attach it to the morning
// club post.
type PictureStore interface {
	// ConsentingMembers lists the members whose home club it is and who
	// agreed to health data.
	ConsentingMembers(ctx context.Context, clubID int64) ([]Member, error)
	// ClubPictureMorning reports whether the morning club post carries the
	// club picture.
	ClubPictureMorning(ctx context.Context, clubID int64) (bool, error)
	// SetClubPictureMorning turns that on or off.
	SetClubPictureMorning(ctx context.Context, clubID int64, on bool) error
}

// pictureStore is the store's PictureStore, or an error saying the store
// keeps no pictures' settings.
func (b *Bot) pictureStore() (PictureStore, error) {
	ps, ok := b.store.(PictureStore)
	if !ok {
		return nil, errors.New("the store does not implement bot.PictureStore")
	}
	return ps, nil
}

// privateName is the member's name for a picture's title when the request
// came from a private chat, and empty elsewhere: a picture asked for in a
// group is sent privately, but its title names no one all the same.
func (r *Request) privateName() string {
	if r.Msg.Private {
		return r.Member.Name
	}
	return ""
}

// weekChartDays is how far back /week reads sessions for its picture: the
// 28 days shown and the 27 before, so both average lines are true rolling
// averages from the first bar.
const weekChartDays = 2*chart.WeekDays - 1

// dayKinds says what each day up to today with a logged session was, for
// /week's picture, caption and text alike: hard when a session on it was
// hard by its effort (coach.Session.Hard, as the verdicts judge), easy when
// it had training and nothing hard, rest when only rest was logged. A day
// with nothing logged is absent (kindOn calls it unlogged): it may have
// been a rest day or a run that went unrecorded, so it is counted as
// neither.
func dayKinds(logged []LoggedSession, today coach.Date) map[coach.Date]chart.DayKind {
	kind := map[coach.Date]chart.DayKind{}
	for _, s := range logged {
		if s.Date.After(today) {
			continue
		}
		switch {
		case s.Kind == coach.KindRest:
			if kind[s.Date] == "" {
				kind[s.Date] = chart.DayRest
			}
		case s.Session.Hard():
			kind[s.Date] = chart.DayHard
		case kind[s.Date] != chart.DayHard:
			kind[s.Date] = chart.DayEasy
		}
	}
	return kind
}

// kindOn is the day's kind from dayKinds, unlogged when nothing was logged.
func kindOn(kind map[coach.Date]chart.DayKind, day coach.Date) chart.DayKind {
	if k, ok := kind[day]; ok {
		return k
	}
	return chart.DayUnlogged
}

// weekPicture draws the member's last 28 days. name goes in the title; the
// caller passes it only when the answer is read in a private chat.
func weekPicture(logged []LoggedSession, today coach.Date, name string) (*Image, error) {
	load := map[coach.Date]float64{}
	kind := dayKinds(logged, today)
	var sessions []coach.Session
	for _, s := range logged {
		if s.Date.After(today) {
			continue
		}
		load[s.Date] += s.Load()
		if today.Sub(s.Date) <= historyDays {
			sessions = append(sessions, s.Session)
		}
	}
	first := today.AddDays(-(chart.WeekDays - 1))
	d := chart.WeekData{}
	if name != "" {
		d.Title = fmt.Sprintf("%s's training load, last 28 days", name)
	}
	for day := first.AddDays(-(chart.WeekDays - 1)); day.Before(first); day = day.AddDays(1) {
		d.Earlier = append(d.Earlier, load[day])
	}
	for day := first; !day.After(today); day = day.AddDays(1) {
		d.Days = append(d.Days, chart.Day{Date: day, Load: load[day], Kind: kindOn(kind, day)})
	}
	// The same tests /week's text flags with.
	l := coach.Loads(sessions, today)
	if l.Last7 >= coach.LoadSpikeFloor && ((l.Prev7 > 0 && l.WeekOverWeek > coach.LoadSpikeWeekOverWeek) ||
		(l.HistoryDays >= coach.ChronicHistoryDays && l.ACWR > coach.LoadSpikeACWR)) {
		d.Flags = append(d.Flags, chart.FlagLoadSpike)
	}
	if l.Monotony > coach.MonotonyHigh && l.Sessions7 > 0 {
		d.Flags = append(d.Flags, chart.FlagMonotony)
	}
	png, err := chart.Week(d)
	if err != nil {
		return nil, fmt.Errorf("week picture: %w", err)
	}
	caption, err := chart.WeekSummary(d)
	if err != nil {
		return nil, fmt.Errorf("week picture: %w", err)
	}
	return &Image{PNG: png, Name: "week.png", Caption: caption}, nil
}

// recoveryPicture draws the plan as a strip of days, each with the answer
// that counted on it (answers, by day); today's tile says Hurting while the
// plan is on hold, whatever was stored.
func recoveryPicture(p Plan, answers map[coach.Date]coach.Feedback, today coach.Date, name string) (*Image, error) {
	d := chart.PlanData{Today: today, Title: fmt.Sprintf("%s recovery", upperFirstRune(p.State.Name()))}
	if name != "" {
		d.Title = fmt.Sprintf("%s's %s recovery", name, p.State.Name())
	}
	for _, s := range p.State.Steps() {
		if len(d.Days) == chart.MaxPlanDays {
			break
		}
		pd := chart.PlanDay{Date: p.State.RaceDate.AddDays(s.Day), Day: s.Day, Verdict: s.Verdict}
		if !pd.Date.After(today) {
			pd.Answer = answers[pd.Date]
		}
		if p.State.Hurting && pd.Date == today {
			pd.Answer = coach.FeedbackHurting
		}
		d.Days = append(d.Days, pd)
	}
	png, err := chart.Recovery(d)
	if err != nil {
		return nil, fmt.Errorf("recovery picture: %w", err)
	}
	caption, err := chart.RecoverySummary(d)
	if err != nil {
		return nil, fmt.Errorf("recovery picture: %w", err)
	}
	return &Image{PNG: png, Name: "recovery.png", Caption: caption}, nil
}

// clubData counts today's verdicts of the club's members who agreed to
// health data, and the day of those in a post-race plan. It holds counts
// only: no name or member id leaves this function.
func (b *Bot) clubData(ctx context.Context, c Club, now time.Time) (chart.ClubData, error) {
	ps, err := b.pictureStore()
	if err != nil {
		return chart.ClubData{}, err
	}
	members, err := ps.ConsentingMembers(ctx, c.ID)
	if err != nil {
		return chart.ClubData{}, err
	}
	d := chart.ClubData{Date: coach.DateOf(now.In(b.zoneOf(c.TZ)))}
	days := map[int]int{}
	for _, m := range members {
		v, err := b.verdict(ctx, m, c, now)
		if err != nil {
			return chart.ClubData{}, err
		}
		switch v.Result.Verdict {
		case coach.VerdictEasy:
			d.Easy++
		case coach.VerdictRest:
			d.Rest++
		case coach.VerdictHard:
			d.Hard++
		default:
			continue
		}
		d.Contributors++
		if v.Plan != nil {
			if s, ok := v.Plan.State.StepOn(v.Today); ok {
				days[s.Day]++
			}
		}
	}
	for day, n := range days {
		d.InPlan = append(d.InPlan, chart.PlanCount{Day: day, Members: n})
	}
	sort.Slice(d.InPlan, func(i, j int) bool { return d.InPlan[i].Day < d.InPlan[j].Day })
	return d, nil
}

// clubPicture draws the club's morning; a *chart.TooFewMembersError when
// fewer than chart.MinClubMembers members contribute.
func (b *Bot) clubPicture(ctx context.Context, c Club, now time.Time) (*Image, error) {
	d, err := b.clubData(ctx, c, now)
	if err != nil {
		return nil, err
	}
	png, err := chart.Club(d)
	if err != nil {
		return nil, err
	}
	caption, err := chart.ClubSummary(d)
	if err != nil {
		return nil, err
	}
	return &Image{PNG: png, Name: "club.png", Caption: caption}, nil
}

// withPicture puts img on the first reply. A picture that could not be
// drawn is logged and left out: the text answer still goes.
func (b *Bot) withPicture(replies []chat.Reply, img *Image, err error) []chat.Reply {
	if err != nil {
		b.log.Error("picture failed", "error", err)
		return replies
	}
	if len(replies) > 0 && img != nil {
		replies[0].Image = img
	}
	return replies
}

// attachClubPicture adds the club picture to the morning club post when the
// coaches turned it on and enough members contribute; otherwise the post
// goes as text, as before.
func (b *Bot) attachClubPicture(ctx context.Context, c Club, now time.Time, r *chat.Reply) error {
	ps, err := b.pictureStore()
	if err != nil {
		return err
	}
	on, err := ps.ClubPictureMorning(ctx, c.ID)
	if err != nil || !on {
		return err
	}
	img, err := b.clubPicture(ctx, c, now)
	if errors.Is(err, chart.ErrTooFewMembers) {
		return nil
	}
	if err != nil {
		return err
	}
	r.Image = img
	return nil
}

// WeekPicture draws the member's last 28 days as /week does, titled with
// their name, for `shakeout chart`. It reads and never writes.
func (b *Bot) WeekPicture(ctx context.Context, m Member, now time.Time) (*Image, error) {
	today, err := b.memberToday(ctx, m, now)
	if err != nil {
		return nil, err
	}
	logged, err := b.store.SessionsSince(ctx, m.ID, today.AddDays(-weekChartDays))
	if err != nil {
		return nil, err
	}
	return weekPicture(logged, today, m.Name)
}

// RecoveryPicture draws the member's running post-race plan as /recovery
// does; ErrNotFound without one.
func (b *Bot) RecoveryPicture(ctx context.Context, m Member, now time.Time) (*Image, error) {
	today, err := b.memberToday(ctx, m, now)
	if err != nil {
		return nil, err
	}
	p, err := b.activePlan(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, fmt.Errorf("%s has no recovery plan running: %w", m.Name, ErrNotFound)
	}
	answers, err := b.store.PlanAnswers(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return recoveryPicture(*p, answers, today, m.Name)
}

// ClubPicture draws the club's morning as /club today does; an error
// matching chart.ErrTooFewMembers below the threshold.
func (b *Bot) ClubPicture(ctx context.Context, c Club, now time.Time) (*Image, error) {
	return b.clubPicture(ctx, c, now)
}

// memberToday is the member's local date at now, in their zone or their
// home club's.
func (b *Bot) memberToday(ctx context.Context, m Member, now time.Time) (coach.Date, error) {
	var c Club
	if m.ClubID != 0 {
		var err error
		if c, err = b.store.ClubByID(ctx, m.ClubID); err != nil && !errors.Is(err, ErrNotFound) {
			return coach.Date{}, err
		}
	}
	return b.requestFor(m, c, now).Today(), nil
}
