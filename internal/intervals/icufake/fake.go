// Package icufake is a loopback fake of intervals.icu's API for tests: an
// httptest server on 127.0.0.1 that checks HTTP Basic auth as the service
// does (user "API_KEY", the athlete's key as password), serves
// GET /api/v1/athlete/{id}/activities and /wellness with oldest and newest
// dates, lists Strava-synced activities as the service's stubs, and can
// answer 401 (a revoked key), 403 (a key for another athlete) and 429 with
// Retry-After. It records every call (never the key).
//
// It imports nothing from this repository, so any package's tests can use
// it; production code must not.
package icufake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Activity is one activity on the fake. Strava makes it a stub in the
// list, as the service shows activities synced from Strava.
type Activity struct {
	ID        string
	Start     time.Time // the start; its wall time is the athlete's local time
	Type      string    // "Run", "Ride", ...
	Name      string
	MovingSec int
	Elapsed   int
	DistanceM float64
	AvgHR     int
	MaxHR     int
	RPE       int
	Strava    bool
	// HR is one heart-rate sample a second from the start, served as
	// the activity's time and heartrate streams.
	HR []int
}

// Wellness is one day's wellness record; zero fields are absent.
type Wellness struct {
	Date         string // YYYY-MM-DD
	RestingHR    int
	HRV          float64
	SleepSecs    int
	SleepQuality int
	Soreness     int
	Fatigue      int
}

// Call is one request the fake answered.
type Call struct {
	Athlete string
	What    string // "activities" or "wellness"
	Oldest  string
	Newest  string
	Status  int
}

type athlete struct {
	key        string
	revoked    bool
	retryAfter int // seconds; >0 answers 429
	activities []Activity
	wellness   []Wellness
}

// Server is the fake.
type Server struct {
	srv *httptest.Server

	mu       sync.Mutex
	athletes map[string]*athlete
	calls    []Call
	gate     *gate
	// after holds an athlete's requests until another athlete's first
	// answer (served), so a test can order calls that the bot makes
	// concurrently.
	after  map[string][]string
	served map[string]chan struct{}
}

// gate holds the next request until released.
type gate struct {
	started chan struct{}
	release chan struct{}
}

// New starts a fake that stops when the test ends.
func New(t testing.TB) *Server {
	s := &Server{athletes: map[string]*athlete{}, after: map[string][]string{}, served: map[string]chan struct{}{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the fake's base URL, for SHAKEOUT_INTERVALS_API_URL.
func (s *Server) URL() string { return s.srv.URL }

// AddAthlete creates an athlete ("i123") whose API key is key.
func (s *Server) AddAthlete(id, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.athletes[id] = &athlete{key: key}
}

// AddActivity gives the athlete an activity.
func (s *Server) AddActivity(id string, a Activity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.athletes[id].activities = append(s.athletes[id].activities, a)
}

// AddWellness gives the athlete a wellness day.
func (s *Server) AddWellness(id string, w Wellness) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.athletes[id].wellness = append(s.athletes[id].wellness, w)
}

// Revoke deletes the athlete's key, as the athlete can at Settings →
// Developer settings: calls with it get 401.
func (s *Server) Revoke(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.athletes[id].revoked = true
}

// Throttle answers the athlete's calls with 429 and Retry-After seconds;
// 0 stops it.
func (s *Server) Throttle(id string, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.athletes[id].retryAfter = retryAfter
}

// After makes the athlete's requests wait until a request for each of the
// others, made after this call, has been answered: the bot syncs members concurrently, and a
// test that throttles one member can use it to let another's calls go
// first, as they would on a morning where the 429 came later.
func (s *Server) After(id string, others ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.after[id] = others
	for _, o := range others {
		s.served[o] = make(chan struct{})
	}
}

// servedChan is closed when the athlete's first request is answered.
// Callers hold s.mu.
func (s *Server) servedChan(id string) chan struct{} {
	c, ok := s.served[id]
	if !ok {
		c = make(chan struct{})
		s.served[id] = c
	}
	return c
}

// Calls returns the calls answered so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Hold makes the next request wait: started is closed when it arrives,
// and it is answered once release is called.
func (s *Server) Hold() (started <-chan struct{}, release func()) {
	g := &gate{started: make(chan struct{}), release: make(chan struct{})}
	s.mu.Lock()
	s.gate = g
	s.mu.Unlock()
	var once sync.Once
	return g.started, func() { once.Do(func() { close(g.release) }) }
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	g := s.gate
	s.gate = nil
	s.mu.Unlock()
	if g != nil {
		close(g.started)
		select {
		case <-g.release:
		case <-r.Context().Done():
			return
		}
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/athlete/")
	id, what, _ := strings.Cut(rest, "/")
	if act, found := strings.CutPrefix(r.URL.Path, "/api/v1/activity/"); found {
		// /api/v1/activity/{id}/streams: Athlete is the activity id.
		id, what, _ = strings.Cut(act, "/")
		ok = true
	}
	what = strings.TrimSuffix(what, ".json")
	call := Call{Athlete: id, What: what, Oldest: r.URL.Query().Get("oldest"), Newest: r.URL.Query().Get("newest")}
	s.mu.Lock()
	var waits []chan struct{}
	for _, other := range s.after[id] {
		waits = append(waits, s.servedChan(other))
	}
	s.mu.Unlock()
	for _, wait := range waits {
		select {
		case <-wait:
		case <-r.Context().Done():
			return
		}
	}
	status, body, header := s.answer(r, ok, call)
	s.mu.Lock()
	call.Status = status
	s.calls = append(s.calls, call)
	done := s.servedChan(id)
	select {
	case <-done:
	default:
		close(done)
	}
	s.mu.Unlock()
	for k, v := range header {
		w.Header().Set(k, v)
	}
	if status == http.StatusOK {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (s *Server) answer(r *http.Request, routed bool, c Call) (int, []byte, map[string]string) {
	text := func(code int, msg string) (int, []byte, map[string]string) {
		return code, []byte(`{"status":` + strconv.Itoa(code) + `,"error":"` + msg + `"}`), nil
	}
	if !routed || r.Method != http.MethodGet || (c.What != "activities" && c.What != "wellness" && c.What != "streams") {
		return text(http.StatusNotFound, "Not Found")
	}
	user, key, hasAuth := r.BasicAuth()
	s.mu.Lock()
	defer s.mu.Unlock()
	// The key decides who is calling; the athlete in the path must be them.
	var caller string
	for aid, a := range s.athletes {
		if hasAuth && user == "API_KEY" && key == a.key && !a.revoked {
			caller = aid
		}
	}
	if caller == "" {
		return text(http.StatusUnauthorized, "Unauthorized")
	}
	if c.What == "streams" {
		return s.streams(caller, c.Athlete)
	}
	a, ok := s.athletes[c.Athlete]
	if !ok || caller != c.Athlete {
		return text(http.StatusForbidden, "Access denied")
	}
	if a.retryAfter > 0 {
		code, body, _ := text(http.StatusTooManyRequests, "Too many requests")
		return code, body, map[string]string{"Retry-After": strconv.Itoa(a.retryAfter)}
	}
	oldest, err1 := time.Parse("2006-01-02", c.Oldest)
	newest, err2 := time.Parse("2006-01-02", c.Newest)
	if err1 != nil || (c.Newest != "" && err2 != nil) {
		return text(http.StatusUnprocessableEntity, "oldest and newest must be dates")
	}
	if c.Newest == "" {
		newest = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	in := func(day string) bool { return day >= oldest.Format("2006-01-02") && day <= newest.Format("2006-01-02") }
	var out []map[string]any
	if c.What == "activities" {
		for _, x := range a.activities {
			day := x.Start.Format("2006-01-02")
			if !in(day) {
				continue
			}
			start := x.Start.Format("2006-01-02T15:04:05")
			if x.Strava {
				out = append(out, map[string]any{"id": x.ID, "start_date_local": start, "type": x.Type,
					"source": "STRAVA", "_note": "STRAVA activities are not available via the API"})
				continue
			}
			m := map[string]any{"id": x.ID, "start_date_local": start, "start_date": x.Start.UTC().Format(time.RFC3339), "type": x.Type, "name": x.Name,
				"moving_time": x.MovingSec, "elapsed_time": x.Elapsed, "distance": x.DistanceM, "source": "GARMIN_CONNECT"}
			if x.AvgHR > 0 {
				m["average_heartrate"], m["max_heartrate"] = x.AvgHR, x.MaxHR
			}
			if x.RPE > 0 {
				m["icu_rpe"] = x.RPE
			}
			out = append(out, m)
		}
	} else {
		for _, x := range a.wellness {
			if !in(x.Date) {
				continue
			}
			m := map[string]any{"id": x.Date}
			put := func(k string, v float64) {
				if v != 0 {
					m[k] = v
				}
			}
			put("restingHR", float64(x.RestingHR))
			put("hrv", x.HRV)
			put("sleepSecs", float64(x.SleepSecs))
			put("sleepQuality", float64(x.SleepQuality))
			put("soreness", float64(x.Soreness))
			put("fatigue", float64(x.Fatigue))
			out = append(out, m)
		}
	}
	if out == nil {
		out = []map[string]any{}
	}
	body, err := json.Marshal(out)
	if err != nil {
		return text(http.StatusInternalServerError, fmt.Sprint(err))
	}
	return http.StatusOK, body, nil
}

// streams answers an activity's time and heartrate streams to its owner.
func (s *Server) streams(caller, activityID string) (int, []byte, map[string]string) {
	a := s.athletes[caller]
	if a.retryAfter > 0 {
		return http.StatusTooManyRequests, []byte(`{"status":429}`), map[string]string{"Retry-After": strconv.Itoa(a.retryAfter)}
	}
	for _, x := range a.activities {
		if x.ID != activityID || x.Strava {
			continue
		}
		times := make([]int, len(x.HR))
		for i := range times {
			times[i] = i
		}
		body, _ := json.Marshal([]map[string]any{{"type": "time", "data": times}, {"type": "heartrate", "data": x.HR}})
		return http.StatusOK, body, nil
	}
	return http.StatusNotFound, []byte(`{"status":404,"error":"Not Found"}`), nil
}
