package faulttest

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Outage is how a Switch fails the requests it refuses.
type Outage int32

// The outages.
const (
	// Up passes every request to the fake.
	Up Outage = iota
	// BadGateway answers 502 with an HTML page, as a front end does while
	// the service behind it is down.
	BadGateway
	// Reset closes the connection without an answer, as a dead host or a
	// dropped route does.
	Reset
)

// Switch is a reverse proxy on 127.0.0.1 in front of a platform fake that
// can make the platform unreachable and bring it back. A refused request
// never reaches the fake.
type Switch struct {
	srv     *httptest.Server
	mode    atomic.Int32
	refused atomic.Int64
	passed  atomic.Int64
	closing chan struct{}

	mu    sync.Mutex
	holds []*hold
}

type hold struct {
	n, seen int
	match   func(*http.Request) bool
	delay   time.Duration
	held    chan struct{}
}

// NewSwitch starts a switch in front of target (an http://127.0.0.1 URL);
// t.Cleanup closes it.
func NewSwitch(t testing.TB, target string) *Switch {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("faulttest: switch: %v", err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.FlushInterval = -1
	quiet := log.New(io.Discard, "", 0)
	proxy.ErrorLog = quiet
	s := &Switch{closing: make(chan struct{})}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch Outage(s.mode.Load()) {
		case BadGateway:
			s.refused.Add(1)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
			return
		case Reset:
			s.refused.Add(1)
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					if tc, ok := c.(*net.TCPConn); ok {
						_ = tc.SetLinger(0) // a reset, not a clean close
					}
					c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		s.passed.Add(1)
		if h := s.holding(r); h != nil {
			// The fake carries the request out; its answer is held back.
			rec := httptest.NewRecorder()
			proxy.ServeHTTP(rec, r)
			close(h.held)
			var late <-chan time.Time
			if h.delay > 0 {
				late = time.After(h.delay)
			}
			select {
			case <-r.Context().Done():
				return
			case <-s.closing:
				return
			case <-late:
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		proxy.ServeHTTP(w, r)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("faulttest: switch: %v", err)
	}
	s.srv = httptest.NewUnstartedServer(h)
	s.srv.Listener = l
	s.srv.Config.ErrorLog = quiet
	s.srv.Start()
	t.Cleanup(func() {
		close(s.closing)
		s.srv.Close()
	})
	return s
}

// HoldNth makes the switch pass the nth request (counting from 1) that
// match accepts to the fake and withhold the fake's answer for d, or until
// the client goes away when d is 0: a request in flight when a process
// stops or dies, which the platform carried out. The channel is closed once
// the fake has handled the request.
func (s *Switch) HoldNth(n int, d time.Duration, match func(*http.Request) bool) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := &hold{n: n, match: match, delay: d, held: make(chan struct{})}
	s.holds = append(s.holds, h)
	return h.held
}

func (s *Switch) holding(r *http.Request) *hold {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.holds {
		if h.seen < h.n && h.match(r) {
			h.seen++
			if h.seen == h.n {
				return h
			}
		}
	}
	return nil
}

// URL is the switch's base URL, to give the adapter instead of the fake's.
func (s *Switch) URL() string { return s.srv.URL }

// Set changes what the switch does with the next requests.
func (s *Switch) Set(o Outage) { s.mode.Store(int32(o)) }

// Refused is how many requests the switch refused so far.
func (s *Switch) Refused() int64 { return s.refused.Load() }

// Passed is how many requests reached the fake so far.
func (s *Switch) Passed() int64 { return s.passed.Load() }
