package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

// RecoveryWeek is a week a coach declared easy for the whole club: seven
// days from Start on the club's calendar.
type RecoveryWeek struct {
	ID        int64
	ClubID    int64
	Start     coach.Date
	Note      string
	CreatedBy int64
}

// End is the last day of the week.
func (w RecoveryWeek) End() coach.Date { return w.Start.AddDays(6) }

// ClubAdmin is what the coach commands need from storage. Every method is
// scoped to one club, so one club's settings never show in another.
type ClubAdmin interface {
	// ClubAdmins lists the members on the club's coach list.
	ClubAdmins(ctx context.Context, clubID int64) ([]Member, error)
	// SetClubAdmin adds (on) or removes a member from the club's coach list and
	// reports whether anything changed.
	SetClubAdmin(ctx context.Context, clubID, memberID int64, on bool) (bool, error)
	// DeclareRecoveryWeek stores a week; a CodeConflict error when it
	// overlaps one already declared.
	DeclareRecoveryWeek(ctx context.Context, w RecoveryWeek) (RecoveryWeek, error)
	// CancelRecoveryWeek cancels the club's week that is running on or
	// starts after the date; ErrNotFound when there is none.
	CancelRecoveryWeek(ctx context.Context, clubID int64, from coach.Date) (RecoveryWeek, error)
	// CancelRecoveryWeekByID cancels one of the club's weeks; ErrNotFound
	// when the club has no such week that is not cancelled already.
	CancelRecoveryWeekByID(ctx context.Context, clubID, id int64) (RecoveryWeek, error)
	// RecoveryWeeksFrom lists the club's weeks that end on or after the
	// date, earliest first.
	RecoveryWeeksFrom(ctx context.Context, clubID int64, from coach.Date) ([]RecoveryWeek, error)
	// SetRecoveryRhythm saves the club's every-N-weeks setting and who gets
	// the reminders (memberID 0 when turned off), in one transaction.
	SetRecoveryRhythm(ctx context.Context, c Club, memberID int64) error
	// RecoveryReminderMember returns the coach who gets the reminders.
	RecoveryReminderMember(ctx context.Context, clubID int64) (Member, error)
	// CreateBroadcast stores a coach's announcement awaiting confirmation,
	// to go out at sendAt once confirmed (zero: straight away).
	CreateBroadcast(ctx context.Context, clubID, memberID int64, text string, sendAt, now time.Time) (int64, error)
	// TakeBroadcast ends a pending broadcast of the club created after
	// since: sent (enqueuing item, whose Reply.Text is filled from the
	// stored text and NotBefore from the send time) or cancelled. It returns
	// the text; ErrNotFound when there is no such pending broadcast, and
	// ErrPreviewExpired when it was created before since.
	TakeBroadcast(ctx context.Context, clubID, id int64, since time.Time, send bool, item outbox.Item, now time.Time) (string, error)
	// ScheduledBroadcasts lists the club's confirmed broadcasts that wait
	// for their send time, earliest first.
	ScheduledBroadcasts(ctx context.Context, clubID int64) ([]ScheduledBroadcast, error)
	// CancelScheduledBroadcast calls off a confirmed broadcast still waiting
	// for its time; ErrNotFound when it is not waiting any more.
	CancelScheduledBroadcast(ctx context.Context, clubID, id int64) error
	// NudgeRoster counts the members whose home club it is and those with
	// morning messages on, naming only those who agreed to be listed.
	NudgeRoster(ctx context.Context, clubID int64) (NudgeRoster, error)
}

// ScheduledBroadcast is a confirmed announcement waiting for its time.
type ScheduledBroadcast struct {
	ID     int64
	Text   string
	SendAt time.Time
}

// NudgeRoster is who in a club gets the morning messages: counts, and the
// names of only those members who chose to be listed.
type NudgeRoster struct {
	Members int
	On      int
	Listed  []string
}

// ClubPost is one morning post as the club will see it.
type ClubPost struct {
	Date    coach.Date
	Verdict coach.Verdict
	Text    string
	TipID   string
}

// tipWindow is how many days a tip stays out of a club's posts after it
// was used.
const tipWindow = 14

// clubPosts builds the club's posts for n days from `from`, exactly as the
// scheduler will send them: tips already chosen for a day are reused, and
// each new pick avoids the tips of the 14 days before it, including the
// ones picked earlier in the same run.
func (b *Bot) clubPosts(ctx context.Context, c Club, from coach.Date, n int) ([]ClubPost, error) {
	used, err := b.store.ClubTips(ctx, c.ID, from.AddDays(-tipWindow), from.AddDays(n-1))
	if err != nil {
		return nil, err
	}
	out := make([]ClubPost, 0, n)
	for i := range n {
		d := from.AddDays(i)
		rw, err := b.store.RecoveryWeekOn(ctx, c.ID, d)
		if err != nil {
			return nil, err
		}
		tipID, ok := used[d]
		if !ok {
			recent := map[string]bool{}
			for k := 1; k < tipWindow; k++ {
				if id, ok := used[d.AddDays(-k)]; ok {
					recent[id] = true
				}
			}
			tipID = pickTip(c.ID, d, recent)
			used[d] = tipID
		}
		out = append(out, buildClubPost(c, d, rw, tipID))
	}
	return out, nil
}

// buildClubPost writes the morning post for a day. It uses only the club's
// own settings: no member's data ever appears in it.
func buildClubPost(c Club, d coach.Date, recoveryWeek bool, tipID string) ClubPost {
	pattern := c.Pattern
	if pattern.IsZero() {
		pattern = coach.DefaultPattern()
	}
	res := coach.Decide(coach.Input{Today: d, Pattern: pattern, RecoveryWeek: recoveryWeek})
	plan := pattern.On(d)
	var why string
	switch {
	case recoveryWeek && plan == coach.DayRest:
		why = "It's a recovery week and the club's rest day: a full day off."
	case recoveryWeek && plan == coach.DayLong:
		why = "It's a recovery week, so the usual long run becomes a shorter, easy run and the training can sink in."
	case recoveryWeek && plan == coach.DayHard:
		why = "It's a recovery week, so today's usual hard session becomes easy running and the training can sink in."
	case recoveryWeek:
		why = "It's a recovery week: easy running at lower volume."
	case plan == coach.DayRest:
		why = "The club's rest day: fitness is built while you recover, not while you train."
	case plan == coach.DayLong:
		why = "The club's long-run day: hard because of the distance, easy in pace."
	case plan == coach.DayHard:
		why = "A hard day in the club's week, with easier days around it to absorb it."
	default:
		why = "An easy day in the club's week: it keeps the legs moving and makes room for the hard days."
	}
	var sb strings.Builder
	greeting := "Good morning!"
	if c.Name != "" {
		greeting = "Good morning, " + c.Name + "!"
	}
	fmt.Fprintf(&sb, "%s %s: %s\n", greeting, longDate(d), res.Verdict)
	fmt.Fprintf(&sb, "Why: %s\n", why)
	fmt.Fprintf(&sb, "Session: %s.\n", strings.TrimSuffix(upperFirstRune(res.Session.Text), "."))
	if e, ok := coach.EntryByID(tipID); ok {
		fmt.Fprintf(&sb, "Tip: %s %s\n", e.Title, shortTip(e.Answer))
	}
	sb.WriteString("Your own day may differ: /today looks at your logs and check-ins.")
	return ClubPost{Date: d, Verdict: res.Verdict, Text: sb.String(), TipID: tipID}
}

// pickTip chooses a knowledge-base entry for a club's day: a fixed walk
// through the entries that differs per club, skipping the recent ones.
func pickTip(clubID int64, d coach.Date, recent map[string]bool) string {
	entries := tipEntries()
	if len(entries) == 0 {
		return ""
	}
	days := d.Sub(coach.Date{Year: 2000, Month: time.January, Day: 1})
	n := len(entries)
	start := ((days*7+int(clubID)*13)%n + n) % n
	for i := range n {
		e := entries[(start+i)%n]
		if !recent[e.ID] {
			return e.ID
		}
	}
	return entries[start].ID
}

// situational marks entries that answer one runner's situation (after a
// race, in pain, after illness): good answers, odd morning tips for a whole
// club on an ordinary day.
var situational = regexp.MustCompile(`marathon|half|5k|10k|race|pain|stride|illness|not-recovered|elevated`)

// tipEntries are the knowledge-base entries fit for the club's morning tip.
func tipEntries() []coach.Entry {
	var out []coach.Entry
	for _, e := range coach.Entries() {
		if !situational.MatchString(e.ID) {
			out = append(out, e)
		}
	}
	return out
}

// shortTip is the first sentence of an answer, or the first two when the
// first is only a few words ("Yes.").
func shortTip(answer string) string {
	s := sentences(answer)
	if len(s) == 0 {
		return ""
	}
	if len(s) > 1 && len(s[0]) < 60 && len(s[0])+len(s[1]) < 300 {
		return s[0] + " " + s[1]
	}
	return s[0]
}

// sentences splits text after ".", "!" or "?" followed by a space and a
// capital letter, leaving abbreviations such as "e.g." alone.
func sentences(text string) []string {
	text = strings.Join(strings.Fields(text), " ")
	var out []string
	start := 0
	for i := 0; i+2 < len(text); i++ {
		ch := text[i]
		if (ch != '.' && ch != '!' && ch != '?') || text[i+1] != ' ' || !unicode.IsUpper(rune(text[i+2])) {
			continue
		}
		word := text[strings.LastIndexByte(text[:i], ' ')+1 : i]
		if ch == '.' && (strings.EqualFold(word, "e.g") || strings.EqualFold(word, "i.e") || word == "Dr" || word == "St") {
			continue
		}
		out = append(out, text[start:i+1])
		start = i + 2
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

func upperFirstRune(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

func recoveryNoteLine(w RecoveryWeek) string {
	if w.Note == "" {
		return ""
	}
	return "\nA word from the coaches: " + w.Note
}

// recoveryAnnounceText is posted to the club when a coach declares a week.
func recoveryAnnounceText(w RecoveryWeek) string {
	return fmt.Sprintf("Recovery week ahead: from %s to %s the club takes it easy. "+
		"The morning posts that week say EASY or REST only, and nobody's daily verdict goes above EASY: "+
		"easier weeks are when the training of the last ones turns into fitness.%s",
		longDate(w.Start), longDate(w.End()), recoveryNoteLine(w))
}

// recoveryEveText is posted the evening before a week starts.
func recoveryEveText(w RecoveryWeek) string {
	return fmt.Sprintf("Reminder: the club's recovery week starts tomorrow, %s, and runs to %s. "+
		"Easy running at lower volume, no hard sessions; enjoy the lighter legs.%s",
		longDate(w.Start), longDate(w.End()), recoveryNoteLine(w))
}

// recoveryCancelText tells the club a week is off.
func recoveryCancelText(w RecoveryWeek) string {
	return fmt.Sprintf("Change of plan: the recovery week from %s to %s is off, and the club's usual week applies again.",
		longDate(w.Start), longDate(w.End()))
}
