package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

const hrExample = "/hr 23 50"

func hrCommand(b *Bot) Command {
	return Command{
		Name:     "hr",
		Summary:  "Your recovery-run heart-rate ceiling, with the working",
		Usage:    "/hr <age> <resting hr> | /hr <resting hr> | /hr",
		Examples: []string{hrExample, "/hr 40 58", "/hr 52", "/hr"},
		Help: "Works out the heart rate to stay under on recovery runs by the heart-rate-reserve (Karvonen) method at " +
			"65%: (maximum − resting) × 0.65 + resting, with maximum = 220 − age unless you set a measured one " +
			"(/settings maxhr 188). Age 10–100, resting heart rate 25–120. With nothing after it I use your age from " +
			"/settings and your resting heart rate from your check-ins; with one number (/hr 52) it is your resting heart rate and your age comes from /settings.",
		Options: []chat.Option{
			{Name: "age", Description: "your age in years, 10–100", Type: chat.OptionInteger},
			{Name: "resting", Description: "resting heart rate, 25–120", Type: chat.OptionInteger},
		},
		Private: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			age, resting, err := b.hrInputs(ctx, r)
			if err != nil {
				return nil, err
			}
			maxHR := 0
			if r.Member.Consent == ConsentYes {
				maxHR = r.Member.MaxHR
			}
			h := coach.RecoveryHR(age, resting, maxHR)
			if h.Ceiling == 0 {
				return nil, Invalidf(hrExample, "%s", h.Working)
			}
			var sb strings.Builder
			fmt.Fprintf(&sb, "Recovery runs: stay at or under %d bpm.\n", h.Ceiling)
			fmt.Fprintf(&sb, "Working (heart-rate reserve at 65%%): %s\n", h.Working)
			fmt.Fprintf(&sb, "Easy runs sit around %d–%d bpm.", h.EasyLow, h.EasyHigh)
			if len(strings.Fields(r.Args)) == 1 && r.Member.Age > 0 && !h.MaxMeasured {
				fmt.Fprintf(&sb, "\nYour age (%d) is the one saved in /settings.", r.Member.Age)
			}
			if !h.MaxMeasured {
				sb.WriteString("\n220 − age is only an estimate of your maximum; a measured one is better (/settings maxhr 188).")
			}
			return []chat.Reply{{Text: sb.String()}}, nil
		}),
	}
}

// hrInputs reads "<age> <resting hr>", or with no arguments takes the age
// from settings and the resting heart rate from the member's check-ins.
func (b *Bot) hrInputs(ctx context.Context, r *Request) (int, int, error) {
	f := strings.Fields(r.Args)
	switch len(f) {
	case 2:
		age, err := input.ParseInt(f[0], input.MinAge, input.MaxAge, "Age")
		if err != nil {
			return 0, 0, Invalidf(hrExample, "%s. Give your age, then your resting heart rate.", err.Error())
		}
		resting, err := input.ParseInt(f[1], input.MinRestingHR, input.MaxRestingHR, "Resting heart rate")
		if err != nil {
			return 0, 0, Invalidf(hrExample, "%s. Give your age, then your resting heart rate.", err.Error())
		}
		return age, resting, nil
	case 1:
		// One number is the resting heart rate when the age (or a measured
		// maximum) is already known.
		known := r.Member.Age > 0 || (r.Member.MaxHR > 0 && r.Member.Consent == ConsentYes)
		if !known {
			return 0, 0, Invalidf(hrExample, "/hr takes two numbers: your age, then your resting heart rate. (Save your age with /settings age 40 and /hr 52 is enough.)")
		}
		resting, err := input.ParseInt(f[0], input.MinRestingHR, input.MaxRestingHR, "Resting heart rate")
		if err != nil {
			return 0, 0, Invalidf(fmt.Sprintf("/hr %d 52", max(r.Member.Age, input.MinAge)), "%s. With your age saved, give just your resting heart rate, or your age and then your resting heart rate.", err.Error())
		}
		return r.Member.Age, resting, nil
	case 0:
		if r.Member.Age == 0 && (r.Member.MaxHR == 0 || r.Member.Consent != ConsentYes) {
			return 0, 0, Invalidf(hrExample, "I need your age and resting heart rate: send them after /hr (or set your age with /settings age 40).")
		}
		if r.Member.Consent == ConsentYes {
			today := r.Today()
			cis, err := b.store.CheckInsSince(ctx, r.Member.ID, today.AddDays(-checkInHistoryDays))
			if err != nil {
				return 0, 0, err
			}
			if base, ok := coach.Baseline(cis, today.AddDays(1)); ok {
				return r.Member.Age, base, nil
			}
			for i := len(cis) - 1; i >= 0; i-- {
				if cis[i].RestingHR > 0 {
					return r.Member.Age, cis[i].RestingHR, nil
				}
			}
		}
		ex := hrExample
		if r.Member.Age > 0 {
			ex = fmt.Sprintf("/hr %d 55", r.Member.Age)
		}
		return 0, 0, Invalidf(ex, "I don't have a resting heart rate for you yet. Give it after your age.")
	}
	return 0, 0, Invalidf(hrExample, "/hr takes two numbers: your age, then your resting heart rate.")
}
