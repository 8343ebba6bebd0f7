package ops

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check is one health probe; it returns nil when healthy.
type Check func(ctx context.Context) error

// Health is the set of probes behind /healthz.
type Health struct {
	mu     sync.Mutex
	checks map[string]Check
}

// NewHealth returns an empty set of probes.
func NewHealth() *Health { return &Health{checks: map[string]Check{}} }

// Add registers a named probe, e.g. "database", "telegram", "scheduler".
func (h *Health) Add(name string, c Check) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checks[name] = c
}

// Report runs every probe with a timeout and says which failed.
func (h *Health) Report(ctx context.Context) (ok bool, results map[string]string) {
	h.mu.Lock()
	names := make([]string, 0, len(h.checks))
	for n := range h.checks {
		names = append(names, n)
	}
	checks := h.checks
	h.mu.Unlock()
	sort.Strings(names)
	results = map[string]string{}
	ok = true
	for _, n := range names {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := checks[n](cctx)
		cancel()
		if err != nil {
			ok = false
			results[n] = err.Error()
		} else {
			results[n] = "ok"
		}
	}
	return ok, results
}

// Handler serves /healthz (200 or 503 with a JSON body naming each probe)
// and /metrics.
func Handler(m *Metrics, h *Health) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ok, results := h.Report(r.Context())
		w.Header().Set("Content-Type", "application/json")
		status := "ok"
		if !ok {
			status = "unhealthy"
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "checks": results})
	})
	return mux
}

// Serve listens on addr until ctx ends, then shuts down gracefully.
func Serve(ctx context.Context, addr string, handler http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := NewServer(handler)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("health and metrics listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// NewServer is the health and metrics server: every phase of a request is
// bounded (headers, body, answer, an idle keep-alive), so a slow or stuck
// client cannot hold a connection open.
func NewServer(handler http.Handler) *http.Server {
	return &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
}

// Heartbeat is a probe for a loop that should beat regularly (the
// scheduler): unhealthy when the last beat is older than maxAge.
type Heartbeat struct {
	mu   sync.Mutex
	last time.Time
	now  func() time.Time
}

// NewHeartbeat returns a heartbeat using the given clock (nil: time.Now).
func NewHeartbeat(now func() time.Time) *Heartbeat {
	if now == nil {
		now = time.Now
	}
	return &Heartbeat{now: now}
}

// Beat records that the loop is alive.
func (b *Heartbeat) Beat() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.last = b.now()
}

// Check returns a probe failing when no beat came within maxAge.
func (b *Heartbeat) Check(maxAge time.Duration) Check {
	return func(context.Context) error {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.last.IsZero() {
			return errors.New("not started")
		}
		if age := b.now().Sub(b.last); age > maxAge {
			return errors.New("last beat " + age.Round(time.Second).String() + " ago")
		}
		return nil
	}
}
