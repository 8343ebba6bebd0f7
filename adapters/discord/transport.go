package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/time/rate"
)

// GlobalRequestsPerSecond is the pace of every REST request the adapter
// makes, except interaction callbacks (which Discord exempts): Discord allows
// 50 per second per bot, and the margin absorbs requests that bunch up in
// transit (Discord counts arrivals, the limiter counts departures).
const GlobalRequestsPerSecond = 40

// transport paces REST requests under the global limit and, when a base URL
// is configured, sends requests meant for discord.com there instead. The
// websocket gateway is not affected: its URL comes from GET /gateway, so a
// proxy or fake answering that request decides where the gateway is.
type transport struct {
	base    http.RoundTripper
	target  *url.URL // nil: talk to discord.com
	limiter *rate.Limiter
}

func newTransport(base http.RoundTripper, apiURL string) (*transport, error) {
	t := &transport{base: base, limiter: rate.NewLimiter(GlobalRequestsPerSecond, 1)}
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
		if err := t.limiter.Wait(req.Context()); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
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

func isInteractionCallback(path string) bool {
	return strings.Contains(path, "/interactions/") && strings.HasSuffix(path, "/callback")
}

func isDiscordHost(h string) bool {
	return h == "discord.com" || strings.HasSuffix(h, ".discord.com") ||
		h == "discordapp.com" || strings.HasSuffix(h, ".discordapp.com")
}
