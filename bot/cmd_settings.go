package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// MemberSettings saves what a member set about themselves.
type MemberSettings interface {
	// UpdateMember saves the member's settings; with dropHealth it deletes
	// every piece of health data held about them in the same transaction.
	UpdateMember(ctx context.Context, m Member, dropHealth bool) error
	// MemberListed reports whether the member agreed to be named to the
	// club's coaches as one who gets the morning messages.
	MemberListed(ctx context.Context, memberID int64) (bool, error)
	// SetMemberListed saves that choice.
	SetMemberListed(ctx context.Context, memberID int64, listed bool) error
}

const settingsExample = "/settings tz Europe/Berlin nudge 07:00 units km"

// What a yes to the consent question leads on to, in its button data.
const (
	consentThenCheckIn = "ci"
	consentThenMaxHR   = "hr"
)

func settingsCommand(b *Bot) Command {
	return Command{
		Name:    "settings",
		Summary: "Your timezone, nudge time, units, level and privacy",
		Usage:   "/settings [tz ZONE] [nudge HH:MM] [nudges on|off] [units km|mi] [level L] [consent yes|no] [maxhr N] [age N] [listed yes|no]",
		Examples: []string{"/settings", settingsExample, "/settings level beginner", "/settings consent no",
			"/settings age 40 maxhr 188", "/settings listed yes"},
		Help: "With nothing after it, shows your settings. Change any of them, several at once: tz (an IANA timezone " +
			"such as Europe/Berlin, or club for the club's), nudge (the time of your morning message, HH:MM; it also " +
			"turns the message on), nudges on or off, units km or mi, level beginner, intermediate or advanced, " +
			"consent yes or no (may I keep health data?), maxhr (a measured maximum heart rate, or off), age, and listed yes or no " +
			"(may the club's coaches see your name among those who get the morning message? Off until you say yes; they always see counts). " +
			"If anything is wrong, nothing changes.",
		Options: []chat.Option{
			{Name: "tz", Description: "IANA timezone, e.g. Europe/Berlin", Type: chat.OptionString, Keyword: true, Autocomplete: true},
			{Name: "nudge", Description: "morning message time, HH:MM", Type: chat.OptionString, Keyword: true},
			{Name: "nudges", Description: "on or off", Type: chat.OptionString, Keyword: true, Choices: []string{"on", "off"}},
			{Name: "units", Description: "km or mi", Type: chat.OptionString, Keyword: true, Choices: []string{"km", "mi"}},
			{Name: "level", Description: "your running experience", Type: chat.OptionString, Keyword: true,
				Choices: []string{"beginner", "intermediate", "advanced"}},
			{Name: "consent", Description: "may I keep health data?", Type: chat.OptionString, Keyword: true, Choices: []string{"yes", "no"}},
			{Name: "maxhr", Description: "measured maximum heart rate", Type: chat.OptionInteger, Keyword: true},
			{Name: "age", Description: "your age in years", Type: chat.OptionInteger, Keyword: true},
			{Name: "listed", Description: "may coaches see your name among those getting morning messages?", Type: chat.OptionString, Keyword: true,
				Choices: []string{"yes", "no"}},
		},
		Private:      true,
		ButtonPrefix: "consent",
		Press:        b.pressConsent,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if r.Args == "" {
				listed, err := b.store.MemberListed(ctx, r.Member.ID)
				if err != nil {
					return nil, err
				}
				return []chat.Reply{{Text: settingsText(r, listed)}}, nil
			}
			ch, err := parseSettings(r.Args)
			if err != nil {
				return nil, err
			}
			return b.applySettings(ctx, r, ch)
		}),
	}
}

// settingsChange is what one /settings line asks for; nil means unchanged.
type settingsChange struct {
	TZ        *string
	NudgeTime *input.Clock
	Nudges    *bool
	Units     *coach.Units
	Level     *coach.Level
	Consent   *Consent
	MaxHR     *int
	Age       *int
	Listed    *bool
}

// parseSettings reads "key value" pairs. Every problem is reported
// together, and any problem rejects the whole line.
func parseSettings(args string) (settingsChange, error) {
	var ch settingsChange
	var problems []string
	f := strings.Fields(args)
	seen := map[string]bool{}
	for i := 0; i < len(f); i++ {
		key := strings.ToLower(strings.Trim(f[i], ":="))
		switch key {
		case "timezone", "zone":
			key = "tz"
		case "time", "nudge_time", "nudgetime":
			key = "nudge"
		case "max", "max_hr", "maxheartrate", "hrmax":
			key = "maxhr"
		case "unit":
			key = "units"
		case "list", "listing":
			key = "listed"
		}
		known := map[string]bool{"tz": true, "nudge": true, "nudges": true, "units": true, "level": true, "consent": true, "maxhr": true, "age": true, "listed": true}
		if !known[key] {
			problems = append(problems, fmt.Sprintf("%q is not a setting; the settings are tz, nudge, nudges, units, level, consent, maxhr, age and listed", f[i]))
			continue
		}
		if i+1 >= len(f) {
			problems = append(problems, fmt.Sprintf("%s needs a value after it", key))
			continue
		}
		i++
		val := f[i]
		if seen[key] {
			problems = append(problems, fmt.Sprintf("%s is there twice", key))
			continue
		}
		seen[key] = true
		low := strings.ToLower(val)
		switch key {
		case "tz":
			if low == "club" {
				empty := ""
				ch.TZ = &empty
				continue
			}
			tz, err := input.ParseTimezone(val)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			ch.TZ = &tz
		case "nudge":
			t, err := input.ParseClock(val)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			ch.NudgeTime = &t
		case "nudges":
			on, ok := onOff(low)
			if !ok {
				problems = append(problems, fmt.Sprintf("nudges is on or off, not %q", val))
				continue
			}
			ch.Nudges = &on
		case "listed":
			on, ok := onOff(low)
			if !ok {
				problems = append(problems, fmt.Sprintf("listed is yes or no, not %q", val))
				continue
			}
			ch.Listed = &on
		case "units":
			u, ok := coach.ParseUnits(low)
			if !ok {
				problems = append(problems, fmt.Sprintf("units are km or mi, not %q", val))
				continue
			}
			ch.Units = &u
		case "level":
			l, ok := coach.ParseLevel(low)
			if !ok {
				problems = append(problems, fmt.Sprintf("level is beginner, intermediate or advanced, not %q", val))
				continue
			}
			ch.Level = &l
		case "consent":
			var c Consent
			switch low {
			case "yes", "y", "on", "agree":
				c = ConsentYes
			case "no", "n", "off":
				c = ConsentNo
			default:
				problems = append(problems, fmt.Sprintf("consent is yes or no, not %q", val))
				continue
			}
			ch.Consent = &c
		case "maxhr", "age":
			if low == "off" || low == "none" {
				zero := 0
				if key == "age" {
					ch.Age = &zero
				} else {
					ch.MaxHR = &zero
				}
				continue
			}
			lo, hi, what := input.MinMaxHR, input.MaxMaxHR, "A measured maximum heart rate"
			if key == "age" {
				lo, hi, what = input.MinAge, input.MaxAge, "Age"
			}
			n, err := input.ParseInt(val, lo, hi, what)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			if key == "age" {
				ch.Age = &n
			} else {
				ch.MaxHR = &n
			}
		}
	}
	if len(problems) > 0 {
		return ch, Invalidf(settingsExample, "Nothing changed: %s.", strings.Join(problems, "; "))
	}
	return ch, nil
}

func onOff(s string) (bool, bool) {
	switch s {
	case "on", "yes", "true":
		return true, true
	case "off", "no", "false":
		return false, true
	}
	return false, false
}

// applySettings saves a parsed change, or nothing at all.
func (b *Bot) applySettings(ctx context.Context, r *Request, ch settingsChange) ([]chat.Reply, error) {
	old := r.Member
	m := old
	var done []string
	if ch.TZ != nil {
		m.TZ = *ch.TZ
		done = append(done, "timezone "+tzText(m.TZ, r.Club))
	}
	if ch.NudgeTime != nil {
		m.NudgeTime = *ch.NudgeTime
		if ch.Nudges == nil {
			m.Nudges = true
		}
		done = append(done, "morning message at "+m.NudgeTime.String())
	}
	if ch.Nudges != nil {
		m.Nudges = *ch.Nudges
		done = append(done, "morning messages "+onOffText(m.Nudges))
	} else if ch.NudgeTime != nil {
		done = append(done, "morning messages on")
	}
	if ch.Units != nil {
		m.Units = *ch.Units
		done = append(done, "units "+string(m.Units))
	}
	if ch.Level != nil {
		m.Level = *ch.Level
		done = append(done, "level "+string(m.Level))
	}
	if ch.Consent != nil {
		m.Consent = *ch.Consent
		done = append(done, "health-data consent "+string(m.Consent))
	}
	if ch.Age != nil {
		m.Age = *ch.Age
		done = append(done, "age "+numberOrUnset(m.Age))
	}
	// A maximum heart rate waiting for the consent question is not kept
	// anywhere; the rest of the line is saved and the reply says so.
	askConsent := 0
	if ch.Listed != nil {
		if *ch.Listed {
			done = append(done, "named to coaches as getting the morning message")
		} else {
			done = append(done, "not named to coaches")
		}
	}
	if ch.MaxHR != nil {
		if *ch.MaxHR > 0 && m.Consent != ConsentYes {
			if m.Consent != ConsentUnasked {
				return nil, Invalidf("/settings consent yes maxhr 188",
					"Nothing changed: a maximum heart rate is health data, and you said no to my keeping health data. To store it, say yes in the same line.")
			}
			askConsent = *ch.MaxHR
		} else {
			m.MaxHR = *ch.MaxHR
			done = append(done, "maximum heart rate "+numberOrUnset(m.MaxHR))
		}
	}
	if askConsent > 0 {
		q := consentQuestion(consentThenMaxHR)
		pending := fmt.Sprintf("Your maximum heart rate (%d) is health data, so I haven't kept it: if you press Yes, send /settings maxhr %d again. ", askConsent, askConsent)
		if len(done) == 0 {
			q.Text = "Nothing changed yet. " + pending + q.Text
			return []chat.Reply{q}, nil
		}
		if err := b.store.UpdateMember(ctx, m, false); err != nil {
			return nil, err
		}
		if ch.Listed != nil {
			if err := b.store.SetMemberListed(ctx, m.ID, *ch.Listed); err != nil {
				return nil, err
			}
		}
		r.Member = m
		q.Text = "Saved: " + strings.Join(done, ", ") + ". " + pending + q.Text
		return []chat.Reply{q}, nil
	}
	drop := m.Consent == ConsentNo && old.Consent != ConsentNo
	if drop {
		m.MaxHR = 0
	}
	if err := b.store.UpdateMember(ctx, m, drop); err != nil {
		return nil, err
	}
	if ch.Listed != nil {
		if err := b.store.SetMemberListed(ctx, m.ID, *ch.Listed); err != nil {
			return nil, err
		}
	}
	listed, err := b.store.MemberListed(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	r.Member = m
	text := "Saved: " + strings.Join(done, ", ") + "."
	if drop {
		text += "\nI've deleted the health data I held about you (check-ins, resting and maximum heart rate) and won't keep any from now on. Your verdicts still work from your log and your club's plan."
	}
	return []chat.Reply{{Text: text + "\n\n" + settingsText(r, listed)}}, nil
}

func settingsText(r *Request, listed bool) string {
	m := r.Member
	var sb strings.Builder
	sb.WriteString("Your settings:\n")
	fmt.Fprintf(&sb, "- timezone: %s\n", tzText(m.TZ, r.Club))
	fmt.Fprintf(&sb, "- morning message: %s at %s\n", onOffText(m.Nudges), m.NudgeTime)
	fmt.Fprintf(&sb, "- units: %s\n", orDefault(string(m.Units), "km"))
	fmt.Fprintf(&sb, "- level: %s\n", m.Level.Effective())
	consent := map[Consent]string{ConsentYes: "yes, I may keep it", ConsentNo: "no, I keep none", ConsentUnasked: "not asked yet"}[m.Consent]
	fmt.Fprintf(&sb, "- health data: %s\n", consent)
	fmt.Fprintf(&sb, "- age: %s\n", numberOrUnset(m.Age))
	if m.MaxHR > 0 {
		fmt.Fprintf(&sb, "- maximum heart rate: %d (measured)\n", m.MaxHR)
	} else {
		sb.WriteString("- maximum heart rate: not set (estimated as 220 − age)\n")
	}
	if listed {
		sb.WriteString("- named to the club's coaches as getting the morning message: yes\n")
	} else {
		sb.WriteString("- named to the club's coaches as getting the morning message: no (they see counts only)\n")
	}
	sb.WriteString("Change any of them, e.g. " + settingsExample)
	return sb.String()
}

func tzText(tz string, c Club) string {
	if tz == "" {
		return c.TZ + " (the club's)"
	}
	return tz
}

func onOffText(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

func numberOrUnset(n int) string {
	if n == 0 {
		return "not set"
	}
	return fmt.Sprint(n)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// consentQuestion asks whether health data may be kept; then says what a
// yes leads on to.
func consentQuestion(then string) chat.Reply {
	yes := "consent:yes"
	if then != "" {
		yes += ":" + then
	}
	return chat.Reply{
		Text: "May I keep health data about you? That's your check-in answers (sleep, soreness, energy, pain or illness) " +
			"and your resting and maximum heart rate. I use them only for your own advice, show them only to you, never in " +
			"a group, and /forgetme deletes everything. Without them I still give daily verdicts from your log and your club's plan.",
		Buttons: [][]chat.Button{{{Label: "Yes, keep it", Data: yes}, {Label: "No, thanks", Data: "consent:no"}}},
		Private: true,
	}
}

// pressConsent records the answer to the consent question.
func (b *Bot) pressConsent(ctx context.Context, r *Request, arg string) ([]chat.Reply, error) {
	answer, then, _ := strings.Cut(arg, ":")
	m := r.Member
	switch answer {
	case "yes":
		m.Consent = ConsentYes
		if err := b.store.UpdateMember(ctx, m, false); err != nil {
			return nil, err
		}
		r.Member = m
		const thanks = "Thanks: I'll keep your health data for your own advice only. /settings consent no deletes it again."
		switch then {
		case consentThenCheckIn:
			return b.startCheckIn(ctx, r, thanks)
		case consentThenMaxHR:
			return []chat.Reply{{Text: thanks + "\nNow send your maximum heart rate again, e.g. /settings maxhr 188."}}, nil
		}
		return []chat.Reply{{Text: thanks + "\nSend /checkin in the morning to tell me how you are."}}, nil
	case "no":
		drop := m.Consent != ConsentNo
		m.Consent, m.MaxHR = ConsentNo, 0
		if err := b.store.UpdateMember(ctx, m, drop); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: "OK: I won't keep any health data, and I've deleted any I had. Your verdicts still work from your log " +
			"and your club's plan. /settings consent yes if you change your mind."}}, nil
	}
	return nil, Errorf(CodeNotFound, "That button has expired. Send /settings consent yes or /settings consent no.")
}
