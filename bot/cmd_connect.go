package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/bot/activity"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// connectExample is a correct /connect with a made-up key.
const connectExample = "/connect intervals i123456 4kq9x2m7hw3pz8vt5nb1rj6cy"

// connectCheckDays is how far back /connect looks to show what it found.
const connectCheckDays = 14

// connectTimeout bounds the check against the service.
const connectTimeout = 6 * time.Second

var (
	athleteIDPattern = regexp.MustCompile(`^[iI]?([0-9]{1,12})$`)
	apiKeyPattern    = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)
)

func connectCommand(b *Bot) Command {
	return Command{
		Name:     "connect",
		Summary:  "Link intervals.icu so your runs are logged by themselves",
		Usage:    "/connect intervals <athlete id> <api key>",
		Examples: []string{connectExample},
		Help: "Links your intervals.icu account: before your morning message I read the activities you did since " +
			"the last time, and, if you agreed to health data, your resting heart rate, sleep, soreness and fatigue. " +
			"Find your athlete id (it starts with i) and make an API key at intervals.icu → Settings → Developer settings. " +
			"Send this only in a private chat with me: the key is a password. I keep it encrypted; /disconnect deletes it.",
		Options: []chat.Option{
			{Name: "service", Description: "the service to link", Type: chat.OptionString, Required: true, Choices: []string{"intervals"}},
			{Name: "athlete", Description: "your intervals.icu athlete id, e.g. i123456", Type: chat.OptionString, Required: true},
			{Name: "key", Description: "your intervals.icu API key (Settings → Developer settings)", Type: chat.OptionString, Required: true},
		},
		Private: true,
		// The check against the service runs before the update's unit of
		// work opens: a slow answer must not hold other members' writes.
		Precheck: func(ctx context.Context, m chat.Message) any { return b.connectCheck(ctx, m.Private, m.Args) },
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			return b.connect(ctx, r)
		}),
	}
}

// connectArgs is a parsed /connect: the athlete id and the key.
type connectArgs struct {
	athlete, key string
}

// parseConnect reads "intervals <athlete id> <api key>".
func parseConnect(args string) (connectArgs, error) {
	f := strings.Fields(args)
	if len(f) == 0 {
		return connectArgs{}, Invalidf(connectExample, "Tell me the service, your athlete id and your API key; both are at intervals.icu → Settings → Developer settings.")
	}
	if s := strings.ToLower(f[0]); s != "intervals" && s != "intervals.icu" && s != "icu" {
		return connectArgs{}, Invalidf(connectExample, "I can link intervals.icu only; start with the word intervals.")
	}
	if len(f) != 3 {
		return connectArgs{}, Invalidf(connectExample, "I need exactly three things after /connect: intervals, your athlete id and your API key. Nothing was stored.")
	}
	m := athleteIDPattern.FindStringSubmatch(f[1])
	if m == nil {
		return connectArgs{}, Invalidf(connectExample, "%q isn't an intervals.icu athlete id: it is an i followed by digits, shown at Settings → Developer settings. Nothing was stored.", f[1])
	}
	if !apiKeyPattern.MatchString(f[2]) {
		// The value is never echoed: it may be a real key mistyped.
		return connectArgs{}, Invalidf(connectExample, "That doesn't look like an intervals.icu API key (a long run of letters and digits); "+
			"copy it again from Settings → Developer settings. Nothing was stored.")
	}
	return connectArgs{athlete: "i" + m[1], key: f[2]}, nil
}

// connectChecked is the answer of the service to a /connect's key.
type connectChecked struct {
	args connectArgs
	acts []IntervalsActivity
	err  error
}

// connectCheck asks the service for the athlete's recent activities with
// the key, once; nil when there is nothing to check (a group, bad input,
// the link off).
func (b *Bot) connectCheck(ctx context.Context, private bool, args string) *connectChecked {
	if !private || !b.icu.enabled() {
		return nil
	}
	a, err := parseConnect(args)
	if err != nil {
		return nil
	}
	// Today anywhere: the window reaches a day past UTC's date on both
	// sides, so it covers the member's own date whatever their zone.
	today := coach.DateOf(b.now().UTC())
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	acts, err := b.icu.api.Activities(cctx, a.athlete, a.key, today.AddDays(-connectCheckDays), today.AddDays(1))
	return &connectChecked{args: a, acts: acts, err: err}
}

func (b *Bot) connect(ctx context.Context, r *Request) ([]chat.Reply, error) {
	if !r.Msg.Private {
		if len(strings.Fields(r.Args)) >= 3 {
			return nil, Errorf(CodeForbidden, "an API key posted in a group can be read by everyone in it, so I haven't used or kept it. "+
				"Delete that key now at intervals.icu → Settings → Developer settings, make a new one, and send "+
				"/connect intervals <athlete id> <new key> to me in a private chat.")
		}
		return nil, Errorf(CodeForbidden, "/connect works only in a private chat with me, because the API key is a password. "+
			"Open a direct message with me and send, e.g., %s", connectExample)
	}
	if !b.icu.enabled() {
		return nil, Errorf(CodeConflict, "Linking intervals.icu isn't switched on for this bot: its host has to set SHAKEOUT_SECRET_KEY "+
			"so keys can be kept encrypted. Nothing was stored. Until then, log your runs with /log.")
	}
	a, err := parseConnect(r.Args)
	if err != nil {
		return nil, err
	}
	check, _ := precheckOf(ctx).(*connectChecked)
	if check == nil || check.args != a {
		check = b.connectCheck(ctx, true, r.Args)
	}
	if err := check.err; err != nil {
		var rl *IntervalsRateLimited
		switch {
		case errors.Is(err, ErrIntervalsKey):
			return nil, Errorf(CodeInvalid, "intervals.icu refused athlete %s with that key. Check that the id and the key are both "+
				"from your account (Settings → Developer settings) and try again. Nothing was stored.", a.athlete)
		case errors.As(err, &rl):
			return nil, Errorf(CodeConflict, "intervals.icu asked me to slow down; try /connect again in %s. Nothing was stored.",
				waitText(rl.RetryAfter))
		}
		b.log.Warn("intervals connect check", "member_id", r.Member.ID, "error", err)
		return nil, Errorf(CodeConflict, "I couldn't reach intervals.icu just now, so I couldn't check the key. Nothing was stored; try again in a few minutes.")
	}
	sealed, err := b.icu.sealer.Seal([]byte(a.key), linkAD(r.Member.ID, a.athlete))
	if err != nil {
		return nil, err
	}
	if err := b.store.SaveIntervalsLink(ctx, IntervalsLink{MemberID: r.Member.ID, AthleteID: a.athlete, KeySealed: sealed, State: LinkOK}, r.Now); err != nil {
		return nil, err
	}
	b.log.Info("intervals linked", "member_id", r.Member.ID)
	today := r.Today()
	var recent []IntervalsActivity
	for _, x := range check.acts {
		if !x.Date.Before(today.AddDays(-(connectCheckDays - 1))) && !x.Date.After(today) {
			recent = append(recent, x)
		}
	}
	return []chat.Reply{{Text: connectedText(a.athlete, recent, r.Member.Consent, today)}}, nil
}

// connectedText says what the check found and what happens from now on.
func connectedText(athlete string, acts []IntervalsActivity, consent Consent, today coach.Date) string {
	var runs, other, stubs int
	for _, a := range acts {
		switch {
		case a.Stub:
			stubs++
		case sportOf(a.Type) == activity.SportRun:
			runs++
		default:
			other++
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Linked to intervals.icu athlete %s. Since %s I see %d runs and %d other activities there", athlete,
		shortDate(today.AddDays(-(connectCheckDays - 1))), runs, other)
	if stubs > 0 {
		fmt.Fprintf(&sb, ", and %d synced from Strava, which intervals.icu can't share through its API, so I'll skip those", stubs)
	}
	sb.WriteString(". From now on I read your new activities before your morning message and log them for you")
	if consent == ConsentYes {
		sb.WriteString(", with your resting heart rate, sleep, soreness and fatigue as check-in data")
	} else {
		sb.WriteString(". Your resting heart rate, sleep and soreness from there I take only once you agree to health data: /settings consent yes")
	}
	sb.WriteString(". Your key is kept encrypted; /disconnect deletes it. You can delete this message with the key now.")
	return sb.String()
}

// waitText is a wait in words: "a minute", "5 minutes", "2 hours".
func waitText(d time.Duration) string {
	switch {
	case d <= time.Minute:
		return "a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
	}
	return fmt.Sprintf("%d hours", int((d+time.Hour-1)/time.Hour))
}
