package discord

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/internal/pace"
)

// GlobalRequestsPerSecond is the limit on every REST request the adapter
// makes, except interaction callbacks (which Discord exempts): Discord allows
// 50 per second per bot. Discord counts arrivals, so the pacing counts a
// request until a second after its answer (internal/pace): requests that
// bunch up in transit still never put more than 50 in one second.
const GlobalRequestsPerSecond = 50

// transport paces REST requests under the global limit and, when a base URL
// is configured, sends requests meant for discord.com there instead. The
// websocket gateway is not affected: its URL comes from GET /gateway, so a
// proxy or fake answering that request decides where the gateway is.
type transport struct {
	base   http.RoundTripper
	target *url.URL // nil: talk to discord.com
	pacer  pace.Pacer
	global *pace.Window
}

func newTransport(base http.RoundTripper, apiURL string) (*transport, error) {
	t := &transport{base: base, global: pace.NewWindow(GlobalRequestsPerSecond, time.Second, true)}
	// Discord still counts what an earlier process sent just before this
	// one started: the window starts full.
	t.global.Prefill(time.Now(), GlobalRequestsPerSecond)
	if apiURL == "" {
		return t, nil
	}
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discord: API URL %q is not an absolute http(s) URL", apiURL)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	t.target = u
	return t, nil
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Interaction callbacks are outside the global limit and must arrive
	// within 3 s, so they never queue behind a fan-out.
	if !isInteractionCallback(req.URL.Path) {
		ticket, err := t.wait(req.Context())
		if err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
		// The answer's headers are back when RoundTrip returns: Discord
		// has counted the request by then.
		defer func() { ticket.Done(time.Now()) }()
	}
	if t.target != nil && isDiscordHost(req.URL.Hostname()) {
		r2 := req.Clone(req.Context())
		r2.URL.Scheme = t.target.Scheme
		r2.URL.Host = t.target.Host
		r2.URL.Path = t.target.Path + req.URL.Path
		if req.URL.RawPath != "" {
			r2.URL.RawPath = t.target.Path + req.URL.RawPath
		}
		r2.Host = ""
		req = r2
	}
	return t.base.RoundTrip(req)
}

// wait blocks until a request may start under the global limit.
func (t *transport) wait(ctx context.Context) (*pace.Ticket, error) {
	for {
		tk, d := t.pacer.Try(time.Now(), t.global)
		if tk != nil {
			return tk, nil
		}
		timer := time.NewTimer(d)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}

func isInteractionCallback(path string) bool {
	return strings.Contains(path, "/interactions/") && strings.HasSuffix(path, "/callback")
}

func isDiscordHost(h string) bool {
	return h == "discord.com" || strings.HasSuffix(h, ".discord.com") ||
		h == "discordapp.com" || strings.HasSuffix(h, ".discordapp.com")
}
