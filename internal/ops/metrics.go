package ops

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// Core is the bot core as adapters see it (package chat).
type Core = chat.Core

// Metrics holds the bot's Prometheus collectors in a registry of its own.
type Metrics struct {
	Registry *prometheus.Registry
	in       *prometheus.CounterVec
	out      *prometheus.CounterVec
	outcomes *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	lastTick prometheus.Gauge
	lease    *prometheus.GaugeVec
	build    *prometheus.GaugeVec
}

// Outcomes are every value of the outcome label of
// shakeout_send_outcomes_total (see Outcome).
var Outcomes = []string{"sent", "rate_limited", "unreachable", "chat_moved", "cancelled", "error"}

// NewMetrics registers the collectors, plus Go runtime and process metrics.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		in: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shakeout_messages_in_total", Help: "Messages received from members, by platform.",
		}, []string{"platform"}),
		out: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shakeout_messages_out_total", Help: "Messages sent: replies and scheduled messages, by platform.",
		}, []string{"platform", "kind"}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shakeout_send_outcomes_total", Help: "Outcomes of scheduled sends, by platform.",
		}, []string{"platform", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shakeout_handler_seconds",
			Help:    "Time the core took to answer a message, by platform and command.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"platform", "command"}),
	}
	m.lastTick = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "shakeout_scheduler_last_tick_timestamp_seconds", Help: "When the scheduler last finished a tick, as a Unix time (0: not yet).",
	})
	m.lease = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "shakeout_lease_holder", Help: "1 for the process holding the database's instance lease: this one, by host and pid.",
	}, []string{"host", "pid"})
	m.build = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "shakeout_build_info", Help: "Always 1; the labels say which build runs.",
	}, []string{"version", "goversion"})
	m.Registry.MustRegister(m.in, m.out, m.outcomes, m.latency, m.lastTick, m.lease, m.build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Init creates every series at zero, so the first scrape shows them all
// (dashboards and alerts see zeros, not "no data"): the counters and the
// latency histogram for each platform, outcome and command label, and the
// build information.
func (m *Metrics) Init(platforms []chat.Platform, reg *chat.Catalog, version string) {
	var cmds []string
	for _, c := range reg.Commands() {
		cmds = append(cmds, c.Name)
		if c.ButtonPrefix != "" {
			cmds = append(cmds, c.Name+"_button")
		}
	}
	cmds = append(cmds, "ask", "button", "unknown")
	for _, p := range platforms {
		ps := string(p)
		m.in.WithLabelValues(ps)
		for _, k := range []string{"reply", "scheduled"} {
			m.out.WithLabelValues(ps, k)
		}
		for _, o := range Outcomes {
			m.outcomes.WithLabelValues(ps, o)
		}
		for _, c := range cmds {
			m.latency.WithLabelValues(ps, c)
		}
	}
	m.build.WithLabelValues(version, runtime.Version()).Set(1)
}

// Tick records a finished scheduler tick.
func (m *Metrics) Tick(at time.Time) { m.lastTick.Set(float64(at.UnixNano()) / 1e9) }

// LeaseHolder records that this process holds the instance lease.
func (m *Metrics) LeaseHolder(host string, pid int) {
	m.lease.WithLabelValues(host, strconv.Itoa(pid)).Set(1)
}

// OutboxStats reports how many scheduled messages wait and how old the
// oldest is.
type OutboxStats func(ctx context.Context) (depth int, oldest time.Duration, err error)

// WatchOutbox exports the outbox depth and the age of its oldest waiting
// message, read at each scrape.
func (m *Metrics) WatchOutbox(stats OutboxStats) {
	read := func() (int, time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		d, age, err := stats(ctx)
		if err != nil {
			return -1, -1
		}
		return d, age
	}
	m.Registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shakeout_outbox_depth", Help: "Scheduled messages waiting to be sent (-1: unreadable).",
		}, func() float64 { d, _ := read(); return float64(d) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shakeout_outbox_oldest_seconds", Help: "Age of the oldest waiting scheduled message (-1: unreadable).",
		}, func() float64 { _, a := read(); return a.Seconds() }),
	)
}

// Core wraps a core so every message is counted and timed.
func (m *Metrics) Core(c Core) Core { return &measuredCore{c: c, m: m} }

type measuredCore struct {
	c Core
	m *Metrics
}

func (mc *measuredCore) Catalog() *chat.Catalog { return mc.c.Catalog() }

func (mc *measuredCore) Handle(ctx context.Context, msg chat.Message) []chat.Reply {
	start := time.Now()
	replies := mc.c.Handle(ctx, msg)
	p := string(msg.Platform)
	mc.m.in.WithLabelValues(p).Inc()
	mc.m.latency.WithLabelValues(p, mc.commandLabel(msg)).Observe(time.Since(start).Seconds())
	mc.m.out.WithLabelValues(p, "reply").Add(float64(len(replies)))
	return replies
}

// commandLabel keeps the label set bounded: known command names only.
func (mc *measuredCore) commandLabel(msg chat.Message) string {
	switch {
	case msg.Button != "":
		if c, _, ok := mc.c.Catalog().ForButton(msg.Button); ok {
			return c.Name + "_button"
		}
		return "button"
	case msg.Command == "":
		return "ask"
	}
	if c, ok := mc.c.Catalog().Lookup(msg.Command); ok {
		return c.Name
	}
	return "unknown"
}

// Sender wraps a platform's sender so each outcome is counted.
func (m *Metrics) Sender(p chat.Platform, s outbox.Sender) outbox.Sender {
	return &measuredSender{s: s, p: string(p), m: m}
}

type measuredSender struct {
	s outbox.Sender
	p string
	m *Metrics
}

func (ms *measuredSender) Send(ctx context.Context, o outbox.Outgoing) error {
	err := ms.s.Send(ctx, o)
	ms.m.outcomes.WithLabelValues(ms.p, Outcome(err)).Inc()
	if err == nil {
		ms.m.out.WithLabelValues(ms.p, "scheduled").Inc()
	}
	return err
}

// Outcome names the result of a send for the metrics.
func Outcome(err error) string {
	var retry *outbox.RetryAfterError
	var moved *outbox.ChatMovedError
	switch {
	case err == nil:
		return "sent"
	case errors.As(err, &retry):
		return "rate_limited"
	case errors.Is(err, outbox.ErrUnreachable):
		return "unreachable"
	case errors.As(err, &moved):
		return "chat_moved"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "cancelled"
	}
	return "error"
}
