// Package ops is the operator's view of a running bot: Prometheus metrics
// (messages in and out by platform, send outcomes, outbox depth and age,
// handler latency) and a /healthz endpoint that checks the database, the
// platforms and the scheduler.
//
// It wraps the core and the senders from the outside, so neither knows it is
// measured. It must not log or expose message text, tokens or health data:
// labels are platforms, command names and outcomes only.
package ops
