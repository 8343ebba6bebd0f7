package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// CheckInStore keeps readiness check-ins: health data, stored only with the
// member's consent (the caller checks it).
type CheckInStore interface {
	AddCheckIn(ctx context.Context, memberID int64, c coach.CheckIn, tz string, at time.Time) error
	// CheckInsSince returns check-ins dated on or after from, oldest first.
	CheckInsSince(ctx context.Context, memberID int64, from coach.Date) ([]coach.CheckIn, error)
}

const checkInExample = "/checkin sleep 2 soreness 4 energy 3 rhr 58"

// checkInTTL is how long a check-in's buttons stay valid.
const checkInTTL = 30 * time.Minute

// The check-in's questions, in order, by their id in button data.
const (
	stepSleep    = "sl"
	stepSoreness = "so"
	stepEnergy   = "en"
	stepFlag     = "fl"
)

// checkInState is a button check-in's answers so far.
type checkInState struct {
	Date     string `json:"date"`
	Sleep    int    `json:"sleep,omitempty"`
	Soreness int    `json:"soreness,omitempty"`
	Energy   int    `json:"energy,omitempty"`
}

func (s checkInState) next() string {
	switch {
	case s.Sleep == 0:
		return stepSleep
	case s.Soreness == 0:
		return stepSoreness
	case s.Energy == 0:
		return stepEnergy
	}
	return stepFlag
}

func checkinCommand(b *Bot) Command {
	return Command{
		Name:     "checkin",
		Summary:  "Morning readiness: sleep, soreness, energy, resting HR",
		Usage:    "/checkin [sleep N] [soreness N] [energy N] [rhr N] [pain|ill|chest]",
		Examples: []string{"/checkin", checkInExample, "/checkin rhr 52", "/checkin pain"},
		Help: "A few taps on how you are this morning: sleep, soreness and energy from 1 to 5, and whether anything " +
			"hurts sharply or you feel ill. Or type it: sleep, soreness and energy 1–5, rhr (resting heart rate, " +
			"25–120), and pain, ill or chest for a red flag. It shapes today's verdict. This is health data: I keep " +
			"it only if you agree, and only you see it.",
		Options: []chat.Option{
			{Name: "sleep", Description: "1 (very badly) to 5 (very well)", Type: chat.OptionInteger, Keyword: true},
			{Name: "soreness", Description: "1 (not sore) to 5 (very sore)", Type: chat.OptionInteger, Keyword: true},
			{Name: "energy", Description: "1 (empty) to 5 (full)", Type: chat.OptionInteger, Keyword: true},
			{Name: "rhr", Description: "resting heart rate this morning, 25–120", Type: chat.OptionInteger, Keyword: true},
			{Name: "flag", Description: "pain, ill or chest", Type: chat.OptionString, Choices: []string{"pain", "ill", "chest"}},
		},
		Private:      true,
		ButtonPrefix: "ci",
		Press:        b.pressCheckIn,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if r.Args == "" {
				switch r.Member.Consent {
				case ConsentYes:
					return b.startCheckIn(ctx, r, "")
				case ConsentNo:
					return nil, Errorf(CodeConflict, "You chose not to let me keep health data, so there's no check-in to store. "+
						"/settings consent yes changes that. You can still type one, e.g. %s, and I'll use it for today's verdict without keeping it.", checkInExample)
				}
				return []chat.Reply{consentQuestion(consentThenCheckIn)}, nil
			}
			ci, err := parseCheckIn(r.Args)
			if err != nil {
				return nil, err
			}
			ci.Date = r.Today()
			if r.Member.Consent != ConsentYes {
				return b.checkInWithoutConsent(ctx, r, ci)
			}
			if err := b.store.AddCheckIn(ctx, r.Member.ID, ci, r.Location().String(), r.Now); err != nil {
				return nil, err
			}
			return b.afterCheckIn(ctx, r, ci)
		}),
	}
}

// checkInWithoutConsent uses a typed check-in for today's verdict without
// storing it.
func (b *Bot) checkInWithoutConsent(ctx context.Context, r *Request, ci coach.CheckIn) ([]chat.Reply, error) {
	if ci.Flag != coach.FlagNone {
		// A red flag holds for the rest of the day, in memory only, so a
		// later /today or morning message doesn't prescribe running.
		b.flags.set(r.Member.ID, ci.Date, ci.Flag)
	}
	v, err := b.verdict(ctx, r.Member, r.Club, r.Now, ci)
	if err != nil {
		return nil, err
	}
	note := "I haven't kept this check-in: you said no to storing health data (/settings consent yes changes that). " +
		"Here is today's verdict with it taken into account:"
	if r.Member.Consent == ConsentUnasked {
		note = "I haven't kept this check-in: health data needs your yes first (question below). " +
			"Here is today's verdict with it taken into account:"
	}
	out := []chat.Reply{{Text: note}, {Text: verdictText(v), Private: true}}
	if r.Member.Consent == ConsentUnasked {
		out = append(out, consentQuestion(""))
	}
	return out, nil
}

// startCheckIn opens a button check-in and asks its first question.
func (b *Bot) startCheckIn(ctx context.Context, r *Request, lead string) ([]chat.Reply, error) {
	st := checkInState{Date: r.Today().String()}
	raw, _ := json.Marshal(st)
	id, err := b.store.StartFlow(ctx, Flow{MemberID: r.Member.ID, Kind: FlowCheckIn, State: string(raw), Expires: r.Now.Add(checkInTTL)}, r.Now)
	if err != nil {
		return nil, err
	}
	q := checkInQuestion(id, st)
	if lead != "" {
		q.Text = lead + "\n\n" + q.Text
	}
	return []chat.Reply{q}, nil
}

// checkInQuestion is the next question of a check-in, with its buttons.
func checkInQuestion(id int64, st checkInState) chat.Reply {
	step := st.next()
	data := func(v string) string { return fmt.Sprintf("ci:%d:%s:%s", id, step, v) }
	scale := func() [][]chat.Button {
		row := make([]chat.Button, 0, input.MaxScore)
		for n := input.MinScore; n <= input.MaxScore; n++ {
			row = append(row, chat.Button{Label: strconv.Itoa(n), Data: data(strconv.Itoa(n))})
		}
		return [][]chat.Button{row}
	}
	switch step {
	case stepSleep:
		return chat.Reply{Text: "Check-in (1 of 4). How did you sleep last night? 1 = very badly, 5 = very well.", Buttons: scale()}
	case stepSoreness:
		return chat.Reply{Text: "Check-in (2 of 4). How sore are your legs? 1 = not at all, 5 = very sore.", Buttons: scale()}
	case stepEnergy:
		return chat.Reply{Text: "Check-in (3 of 4). How is your energy? 1 = empty, 5 = full of it.", Buttons: scale()}
	}
	return chat.Reply{Text: "Check-in (4 of 4). Anything of these today? Sharp pain means pain that is sharp or changes how you run.",
		Buttons: [][]chat.Button{
			{{Label: "None of these", Data: data("none")}, {Label: "Sharp pain", Data: data("pain")}},
			{{Label: "Feeling ill", Data: data("illness")}, {Label: "Chest or breathing", Data: data("chest")}},
		}}
}

// pressCheckIn records one answer: arg is "<flow id>:<question>:<value>".
func (b *Bot) pressCheckIn(ctx context.Context, r *Request, arg string) ([]chat.Reply, error) {
	idText, rest, _ := strings.Cut(arg, ":")
	step, value, _ := strings.Cut(rest, ":")
	f, err := b.activeFlow(ctx, r, FlowCheckIn, idText, "check-in", "/checkin")
	if err != nil {
		return nil, err
	}
	var st checkInState
	if err := json.Unmarshal([]byte(f.State), &st); err != nil {
		return nil, fmt.Errorf("check-in flow %d: %w", f.ID, err)
	}
	if step != st.next() {
		q := checkInQuestion(f.ID, st)
		q.Text = "I already have that answer. " + q.Text
		return []chat.Reply{q}, nil
	}
	if step == stepFlag {
		flag, ok := coach.ParseFlag(value)
		if !ok {
			return nil, errStaleFlow("check-in", "/checkin")
		}
		date, err := coach.ParseDate(st.Date)
		if err != nil {
			return nil, fmt.Errorf("check-in flow %d: %w", f.ID, err)
		}
		ci := coach.CheckIn{Date: date, Sleep: st.Sleep, Soreness: st.Soreness, Energy: st.Energy, Flag: flag}
		if err := b.store.AddCheckIn(ctx, r.Member.ID, ci, r.Location().String(), r.Now); err != nil {
			return nil, err
		}
		if err := b.store.EndFlow(ctx, f.ID); err != nil {
			return nil, err
		}
		return b.afterCheckIn(ctx, r, ci)
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < input.MinScore || n > input.MaxScore {
		return nil, errStaleFlow("check-in", "/checkin")
	}
	switch step {
	case stepSleep:
		st.Sleep = n
	case stepSoreness:
		st.Soreness = n
	case stepEnergy:
		st.Energy = n
	}
	raw, _ := json.Marshal(st)
	f.State, f.Expires = string(raw), r.Now.Add(checkInTTL)
	if err := b.store.UpdateFlow(ctx, f); err != nil {
		return nil, err
	}
	return []chat.Reply{checkInQuestion(f.ID, st)}, nil
}

// afterCheckIn confirms a stored check-in and gives the day's verdict.
func (b *Bot) afterCheckIn(ctx context.Context, r *Request, ci coach.CheckIn) ([]chat.Reply, error) {
	text := "Check-in saved: " + describeCheckIn(ci) + "."
	if ci.RestingHR == 0 {
		text += " Add your resting heart rate if you measured it: /checkin rhr 52."
	}
	rep, err := b.TodayReply(ctx, r.Member, r.Club, r.Now)
	if err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: text}, rep}, nil
}

// describeCheckIn lists a check-in's answers in words.
func describeCheckIn(ci coach.CheckIn) string {
	var parts []string
	if ci.Sleep > 0 {
		parts = append(parts, fmt.Sprintf("sleep %d", ci.Sleep))
	}
	if ci.Soreness > 0 {
		parts = append(parts, fmt.Sprintf("soreness %d", ci.Soreness))
	}
	if ci.Energy > 0 {
		parts = append(parts, fmt.Sprintf("energy %d", ci.Energy))
	}
	if ci.RestingHR > 0 {
		parts = append(parts, fmt.Sprintf("resting heart rate %d", ci.RestingHR))
	}
	switch ci.Flag {
	case coach.FlagPain:
		parts = append(parts, "sharp pain")
	case coach.FlagIllness:
		parts = append(parts, "feeling ill")
	case coach.FlagChest:
		parts = append(parts, "chest or breathing symptoms")
	}
	return strings.Join(parts, ", ")
}

// parseCheckIn reads the typed form: sleep, soreness and energy 1–5, rhr
// 25–120, and a red flag word, in any order.
func parseCheckIn(args string) (coach.CheckIn, error) {
	var ci coach.CheckIn
	f := strings.Fields(strings.NewReplacer("=", " ", ":", " ", ",", " ").Replace(strings.ToLower(args)))
	seen := map[string]bool{}
	for i := 0; i < len(f); i++ {
		key := f[i]
		switch key {
		case "sore":
			key = "soreness"
		case "resting", "hr", "resting_hr", "restinghr":
			key = "rhr"
		case "flag":
			if i+1 >= len(f) {
				return ci, Invalidf("/checkin pain", "flag needs pain, ill or chest after it.")
			}
			i++
			key = f[i]
		}
		if fl, ok := coach.ParseFlag(key); ok && key != "" {
			if seen["flag"] {
				return ci, Invalidf("/checkin pain", "Give one flag at most: pain, ill or chest.")
			}
			seen["flag"] = true
			ci.Flag = fl
			continue
		}
		lo, hi := input.MinScore, input.MaxScore
		what := map[string]string{"sleep": "Sleep", "soreness": "Soreness", "energy": "Energy", "rhr": "Resting heart rate"}[key]
		if what == "" {
			return ci, Invalidf(checkInExample, "I don't understand %q in a check-in. Use sleep, soreness and energy (1–5), rhr (resting heart rate) and pain, ill or chest.", f[i])
		}
		if key == "rhr" {
			lo, hi = input.MinRestingHR, input.MaxRestingHR
		}
		if seen[key] {
			return ci, Invalidf(checkInExample, "You gave %s twice; give it once.", key)
		}
		seen[key] = true
		if i+1 >= len(f) {
			return ci, Invalidf(checkInExample, "%s needs a number after it, from %d to %d.", what, lo, hi)
		}
		i++
		n, err := input.ParseInt(f[i], lo, hi, what)
		if err != nil {
			return ci, Invalidf(checkInExample, "%s.", err.Error())
		}
		switch key {
		case "sleep":
			ci.Sleep = n
		case "soreness":
			ci.Soreness = n
		case "energy":
			ci.Energy = n
		case "rhr":
			ci.RestingHR = n
		}
	}
	if len(seen) == 0 {
		return ci, Invalidf(checkInExample, "That check-in has nothing in it.")
	}
	return ci, nil
}
