// Package intervals is the client of intervals.icu's API that reads a
// linked member's activities and wellness days with their personal API key
// (HTTP Basic auth, user "API_KEY", the key as password). It implements
// bot.IntervalsAPI; main wires it in, so the core never sees HTTP.
//
// Every call has a timeout and honours its context. Calls are paced below
// the service's rate limit; a 429 is honoured: its Retry-After is waited
// out inline when short, and otherwise no call is made before it has
// passed. 401 and 403 are bot.ErrIntervalsKey (the link is broken). The
// key never appears in an error, a URL or a log line.
package intervals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
)

// DefaultBaseURL is the service's address.
const DefaultBaseURL = "https://intervals.icu"

// Defaults for Options' zero values.
const (
	DefaultTimeout = 10 * time.Second
	// DefaultPerSecond and DefaultBurst keep the calls under the
	// service's limit, which its author gives (on the intervals.icu forum)
	// as 10 requests a second per IP address with a short burst; a 429
	// past it is honoured as well.
	DefaultPerSecond = 8.0
	DefaultBurst     = 8
	// DefaultMaxRetryWait is the longest Retry-After waited out inline;
	// a longer one fails the call and holds the next until it passes.
	DefaultMaxRetryWait = 3 * time.Second
	// defaultRetryAfter is assumed when a 429 gives no usable Retry-After.
	defaultRetryAfter = 60 * time.Second
	// maxBody bounds a response read into memory.
	maxBody = 8 << 20
)

// Options configure a Client; zero values take the defaults.
type Options struct {
	BaseURL      string
	HTTP         *http.Client
	Timeout      time.Duration
	PerSecond    float64
	Burst        int
	MaxRetryWait time.Duration
	// Now is the clock for Retry-After; nil means time.Now.
	Now func() time.Time
}

// Client calls intervals.icu. It is safe for concurrent use.
type Client struct {
	base    string
	http    *http.Client
	limiter *rate.Limiter
	maxWait time.Duration
	now     func() time.Time

	mu        sync.Mutex
	notBefore time.Time // the service's last Retry-After, for all calls
}

// New returns a client for the base URL (DefaultBaseURL when empty).
func New(o Options) (*Client, error) {
	base := strings.TrimRight(o.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, errors.New("intervals: the base URL must be an absolute http(s) URL without credentials")
	}
	c := &Client{base: base, http: o.HTTP, maxWait: o.MaxRetryWait, now: o.Now}
	if c.http == nil {
		t := o.Timeout
		if t <= 0 {
			t = DefaultTimeout
		}
		c.http = &http.Client{Timeout: t}
	}
	per, burst := o.PerSecond, o.Burst
	if per <= 0 {
		per = DefaultPerSecond
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	c.limiter = rate.NewLimiter(rate.Limit(per), burst)
	if c.maxWait <= 0 {
		c.maxWait = DefaultMaxRetryWait
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// activityJSON is an activity as the service lists it. A Strava-synced
// activity comes as a stub: its id, date, source and a _note.
type activityJSON struct {
	ID             json.RawMessage `json:"id"`
	StartDate      string          `json:"start_date"`
	StartDateLocal string          `json:"start_date_local"`
	Type           string          `json:"type"`
	Name           string          `json:"name"`
	MovingTime     float64         `json:"moving_time"`
	ElapsedTime    float64         `json:"elapsed_time"`
	Distance       float64         `json:"distance"`
	AverageHR      float64         `json:"average_heartrate"`
	MaxHR          float64         `json:"max_heartrate"`
	RPE            float64         `json:"icu_rpe"`
	Source         string          `json:"source"`
	Note           string          `json:"_note"`
}

// wellnessJSON is one wellness day; its id is the date.
type wellnessJSON struct {
	ID           string   `json:"id"`
	RestingHR    *float64 `json:"restingHR"`
	HRV          *float64 `json:"hrv"`
	SleepSecs    *float64 `json:"sleepSecs"`
	SleepQuality *float64 `json:"sleepQuality"`
	Soreness     *float64 `json:"soreness"`
	Fatigue      *float64 `json:"fatigue"`
}

// Activities implements bot.IntervalsAPI: the athlete's activities that
// started on local dates oldest..newest.
func (c *Client) Activities(ctx context.Context, athleteID, key string, oldest, newest coach.Date) ([]bot.IntervalsActivity, error) {
	var raw []activityJSON
	if err := c.get(ctx, athleteID, "activities", key, oldest, newest, &raw); err != nil {
		return nil, err
	}
	out := make([]bot.IntervalsActivity, 0, len(raw))
	for _, a := range raw {
		act, ok := toActivity(a)
		if ok {
			out = append(out, act)
		}
	}
	return out, nil
}

func toActivity(a activityJSON) (bot.IntervalsActivity, bool) {
	local, err := parseLocal(a.StartDateLocal)
	if err != nil {
		return bot.IntervalsActivity{}, false
	}
	// start_date is the instant (UTC); a stub may lack it, and then the
	// local wall time read as UTC is the best there is.
	start := local
	if t, err := time.Parse(time.RFC3339, a.StartDate); err == nil {
		start = t.UTC()
	}
	id := strings.Trim(string(a.ID), `"`)
	if id == "" || id == "null" {
		return bot.IntervalsActivity{}, false
	}
	act := bot.IntervalsActivity{ID: id, Start: start, Date: coach.DateOf(local), Type: a.Type, Name: a.Name,
		MovingSec: int(a.MovingTime), ElapsedSec: int(a.ElapsedTime), DistanceM: a.Distance,
		AvgHR: int(a.AverageHR + 0.5), MaxHR: int(a.MaxHR + 0.5), RPE: int(a.RPE)}
	act.Stub = a.Note != "" || (strings.EqualFold(a.Source, "STRAVA") && a.MovingTime == 0 && a.ElapsedTime == 0 && a.Distance == 0)
	return act, true
}

// parseLocal reads start_date_local: a local time without a zone.
func parseLocal(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC), nil
		}
	}
	return time.Time{}, fmt.Errorf("intervals: unreadable start_date_local %q", s)
}

// Wellness implements bot.IntervalsAPI: the athlete's wellness days from
// oldest to newest.
func (c *Client) Wellness(ctx context.Context, athleteID, key string, oldest, newest coach.Date) ([]bot.IntervalsWellness, error) {
	var raw []wellnessJSON
	if err := c.get(ctx, athleteID, "wellness", key, oldest, newest, &raw); err != nil {
		return nil, err
	}
	out := make([]bot.IntervalsWellness, 0, len(raw))
	for _, w := range raw {
		d, err := coach.ParseDate(w.ID)
		if err != nil {
			continue
		}
		out = append(out, bot.IntervalsWellness{Date: d, RestingHR: round(w.RestingHR), HRV: value(w.HRV),
			SleepSecs: round(w.SleepSecs), SleepQuality: round(w.SleepQuality), Soreness: round(w.Soreness), Fatigue: round(w.Fatigue)})
	}
	return out, nil
}

// streamJSON is one of an activity's streams.
type streamJSON struct {
	Type string     `json:"type"`
	Data []*float64 `json:"data"`
}

// HeartRate implements bot.IntervalsAPI: the activity's heart-rate
// samples from its time and heartrate streams.
func (c *Client) HeartRate(ctx context.Context, activityID, key string) ([]coach.HRSample, error) {
	u := c.base + "/api/v1/activity/" + url.PathEscape(activityID) + "/streams?" + url.Values{"types": {"time,heartrate"}}.Encode()
	var streams []streamJSON
	if err := c.fetch(ctx, u, "streams", key, &streams); err != nil {
		return nil, err
	}
	var times, hr []*float64
	for _, s := range streams {
		switch s.Type {
		case "time":
			times = s.Data
		case "heartrate":
			hr = s.Data
		}
	}
	var out []coach.HRSample
	for i := 0; i < len(times) && i < len(hr); i++ {
		if times[i] == nil || hr[i] == nil || *hr[i] < 25 || *hr[i] > 250 {
			continue
		}
		out = append(out, coach.HRSample{Offset: time.Duration(*times[i] * float64(time.Second)), BPM: int(*hr[i] + 0.5)})
	}
	return out, nil
}

func value(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

func round(p *float64) int { return int(value(p) + 0.5) }

// get fetches /api/v1/athlete/{id}/{what}?oldest=&newest= into v.
func (c *Client) get(ctx context.Context, athleteID, what, key string, oldest, newest coach.Date, v any) error {
	u := c.base + "/api/v1/athlete/" + url.PathEscape(athleteID) + "/" + what + "?" +
		url.Values{"oldest": {oldest.String()}, "newest": {newest.String()}}.Encode()
	return c.fetch(ctx, u, what, key, v)
}

// fetch GETs u with the key into v; what names the call in errors.
func (c *Client) fetch(ctx context.Context, u, what, key string, v any) error {
	for attempt := 0; ; attempt++ {
		if wait := c.wait(); wait > 0 {
			return &bot.IntervalsRateLimited{RetryAfter: wait}
		}
		if err := c.limiter.Wait(ctx); err != nil {
			return fmt.Errorf("intervals %s: %w", what, err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return fmt.Errorf("intervals %s: %w", what, err)
		}
		req.SetBasicAuth("API_KEY", key)
		req.Header.Set("Accept", "application/json")
		resp, err := c.http.Do(req)
		if err != nil {
			return fmt.Errorf("intervals %s: %w", what, redact(err))
		}
		switch resp.StatusCode {
		case http.StatusOK:
			err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(v)
			resp.Body.Close()
			if err != nil {
				return fmt.Errorf("intervals %s: reading the answer: %w", what, err)
			}
			return nil
		case http.StatusUnauthorized, http.StatusForbidden:
			drain(resp)
			return bot.ErrIntervalsKey
		case http.StatusTooManyRequests:
			after := retryAfter(resp.Header.Get("Retry-After"), c.now())
			drain(resp)
			if attempt == 0 && after <= c.maxWait && fits(ctx, after) {
				t := time.NewTimer(after)
				select {
				case <-ctx.Done():
					t.Stop()
					return fmt.Errorf("intervals %s: %w", what, ctx.Err())
				case <-t.C:
				}
				continue
			}
			c.hold(after)
			return &bot.IntervalsRateLimited{RetryAfter: after}
		}
		drain(resp)
		return fmt.Errorf("intervals %s: status %d", what, resp.StatusCode)
	}
}

// wait is how long the service's last Retry-After still holds.
func (c *Client) wait() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.notBefore.Sub(c.now())
}

func (c *Client) hold(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.now().Add(d); t.After(c.notBefore) {
		c.notBefore = t
	}
}

// fits reports whether waiting d leaves the context time to make the call.
func fits(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Until(dl) > d+time.Second
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return defaultRetryAfter
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// redact keeps a transport error's cause without its URL (which holds the
// athlete id; the key is never in it, but the error stays short).
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
