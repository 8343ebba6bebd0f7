package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Defaults used when no Option overrides them.
const (
	DefaultToken             = "fake-bot-token"
	DefaultApplicationID     = "1100000000000000001"
	DefaultBotUsername       = "shakeout-test"
	DefaultHeartbeatInterval = time.Second
	DefaultGlobalLimit       = 50
	DefaultInteractionWindow = 3 * time.Second
	DefaultNonceWindow       = 5 * time.Minute
)

// Discord's documented limits that the fake checks.
const (
	MaxContentLength   = 2000
	MaxCustomIDLength  = 100
	MaxNonceLength     = 25
	InvalidRequestsBan = 10000
	invalidWindow      = 10 * time.Minute
	followupWindow     = 15 * time.Minute
)

// Limit is a route bucket: N requests per window Per.
type Limit struct {
	N   int
	Per time.Duration
}

// Option configures a Server.
type Option func(*config)

type config struct {
	token       string
	appID       string
	botName     string
	heartbeat   time.Duration
	globalLimit int
	limits      map[Route]Limit
	window      time.Duration
	nonceWindow time.Duration
	privileged  int
}

// WithToken sets the bot token the fake accepts (without the "Bot " prefix).
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithApplicationID sets the application ID, which is also the bot user's ID.
func WithApplicationID(id string) Option { return func(c *config) { c.appID = id } }

// WithBotUsername sets the username in READY and GET /users/@me.
func WithBotUsername(name string) Option { return func(c *config) { c.botName = name } }

// WithHeartbeatInterval sets the heartbeat_interval sent in HELLO (default 1 s;
// discordgo reconnects after five intervals without an ACK).
func WithHeartbeatInterval(d time.Duration) Option { return func(c *config) { c.heartbeat = d } }

// WithGlobalLimit sets the global requests-per-second limit (default 50).
func WithGlobalLimit(n int) Option { return func(c *config) { c.globalLimit = n } }

// WithRouteLimit overrides the bucket of one route.
func WithRouteLimit(r Route, n int, per time.Duration) Option {
	return func(c *config) { c.limits[r] = Limit{N: n, Per: per} }
}

// WithInteractionWindow sets how long after dispatch an interaction may first
// be answered (default 3 s, as on Discord).
func WithInteractionWindow(d time.Duration) Option { return func(c *config) { c.window = d } }

// WithPrivilegedIntents allows the given privileged intents (GUILD_MEMBERS
// 1<<1, GUILD_PRESENCES 1<<8, MESSAGE_CONTENT 1<<15). By default none is
// enabled and an IDENTIFY asking for one is closed with 4014, as Discord does
// for an application without them switched on.
func WithPrivilegedIntents(mask int) Option { return func(c *config) { c.privileged = mask } }

// privilegedIntents is GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT.
const privilegedIntents = 1<<1 | 1<<8 | 1<<15

// Server is a fake Discord REST API and gateway. All methods are safe for
// concurrent use.
type Server struct {
	t   testing.TB
	hs  *httptest.Server
	cfg config

	mu           sync.Mutex
	closed       bool
	seq          uint64
	calls        []Call
	violations   []Violation
	invalid      []time.Time
	banReported  bool
	buckets      map[string]*bucket
	globalStart  time.Time
	globalCount  int
	faults       map[Route][]Fault
	messages     map[string][]*Message
	byID         map[string]*Message
	nonces       map[string]nonceEntry
	dms          map[string]string // recipient user ID → DM channel ID
	dmUser       map[string]string // DM channel ID → recipient user ID
	blocked      map[string]bool
	channels     map[string]*channelState
	guilds       map[string]*guildState
	guildOrder   []string
	commands     map[string][]Command // "" = global
	commandIDs   map[string]string    // guild + "\x00" + name → stable ID
	interactions map[string]*interactionState
	byToken      map[string]*interactionState
	files        sync.Map // attachment id → bytes (attachments.go)
	fileGets     atomic.Int64
	responses    []InteractionResponse

	gw gateway
}

type bucket struct {
	start time.Time
	count int
}

type nonceEntry struct {
	msg *Message
	at  time.Time
}

type guildState struct {
	guild   Guild
	members map[string]Member
}

type interactionState struct {
	id, token, channelID, messageID string
	dispatched                      time.Time
	acked                           bool
	deferred                        bool
	original                        *Message
	followups                       map[string]*Message
}

// New starts a fake Discord on 127.0.0.1; t.Cleanup closes it.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{
		token:       DefaultToken,
		appID:       DefaultApplicationID,
		botName:     DefaultBotUsername,
		heartbeat:   DefaultHeartbeatInterval,
		globalLimit: DefaultGlobalLimit,
		limits:      map[Route]Limit{},
		window:      DefaultInteractionWindow,
		nonceWindow: DefaultNonceWindow,
	}
	for r, l := range defaultLimits {
		cfg.limits[r] = l
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		t:            t,
		cfg:          cfg,
		buckets:      map[string]*bucket{},
		faults:       map[Route][]Fault{},
		messages:     map[string][]*Message{},
		byID:         map[string]*Message{},
		nonces:       map[string]nonceEntry{},
		dms:          map[string]string{},
		dmUser:       map[string]string{},
		blocked:      map[string]bool{},
		channels:     map[string]*channelState{},
		guilds:       map[string]*guildState{},
		commands:     map[string][]Command{},
		commandIDs:   map[string]string{},
		interactions: map[string]*interactionState{},
		byToken:      map[string]*interactionState{},
	}
	s.gw.init()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("discordtest: listen: %v", err)
	}
	s.hs = httptest.NewUnstartedServer(s)
	s.hs.Listener.Close()
	s.hs.Listener = ln
	s.hs.Start()
	t.Cleanup(s.Close)
	return s
}

// Close shuts the gateway connections and the HTTP server. It is registered
// with t.Cleanup by New and may be called earlier.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	s.gw.shutdown()
	s.hs.Close()
	s.gw.wg.Wait()
}

// URL is the base URL of the fake, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.hs.URL }

// GatewayURL is the websocket URL returned by GET /api/v9/gateway.
func (s *Server) GatewayURL() string { return "ws" + strings.TrimPrefix(s.hs.URL, "http") + "/ws" }

// Token is the bot token the fake accepts, without the "Bot " prefix.
func (s *Server) Token() string { return s.cfg.token }

// ApplicationID is the fake application's ID (also the bot user's ID).
func (s *Server) ApplicationID() string { return s.cfg.appID }

// BotUser is the fake bot user.
func (s *Server) BotUser() User {
	return User{ID: s.cfg.appID, Username: s.cfg.botName, Bot: true}
}

// HTTPClient returns an http.Client whose transport sends every request for
// discord.com (and discordapp.com) to the fake and refuses any other host.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &rewriteTransport{base: s.hs.Client().Transport, host: s.hs.Listener.Addr().String()},
	}
}

// Attach points a real discordgo session at the fake: REST goes through
// HTTPClient, and Open dials the URL the fake returns from GET /gateway.
// It does not touch discordgo's package-level Endpoint variables. Set
// ShouldReconnectOnError = false yourself unless you test reconnects.
func (s *Server) Attach(sess *discordgo.Session) {
	sess.Client = s.HTTPClient()
	sess.Dialer = &websocket.Dialer{HandshakeTimeout: 5 * time.Second}
}

// NewSession returns a discordgo session with the fake's token, attached to
// the fake, with ShouldReconnectOnError=false and only error logging. The
// caller decides whether to Open and Close it (Close costs about 1 s).
func (s *Server) NewSession() *discordgo.Session {
	sess, err := discordgo.New("Bot " + s.cfg.token)
	if err != nil {
		s.t.Fatalf("discordtest: discordgo.New: %v", err)
	}
	sess.ShouldReconnectOnError = false
	sess.LogLevel = discordgo.LogError
	s.Attach(sess)
	return sess
}

type rewriteTransport struct {
	base http.RoundTripper
	host string
}

func (rt *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	h := req.URL.Hostname()
	switch {
	case h == "discord.com", strings.HasSuffix(h, ".discord.com"),
		h == "discordapp.com", strings.HasSuffix(h, ".discordapp.com"),
		req.URL.Host == rt.host:
	default:
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("discordtest: refusing request to %s: only Discord hosts go to the fake", req.URL.Host)
	}
	r2 := req.Clone(req.Context())
	r2.URL.Scheme = "http"
	r2.URL.Host = rt.host
	r2.Host = ""
	return rt.base.RoundTrip(r2)
}

func (s *Server) nextID() string {
	s.seq++
	return strconv.FormatUint(1_300_000_000_000_000_000+s.seq, 10)
}

// ServeHTTP implements http.Handler: the gateway at /ws/ and REST under /api/v9/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/ws" || strings.HasPrefix(r.URL.Path, "/ws/") {
		s.serveGateway(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/attachments/") {
		s.serveAttachment(w, r)
		return
	}
	s.serveREST(w, r)
}

// reply is what a route handler answers.
type reply struct {
	status int
	body   any // nil → no body; []byte → raw
	retry  float64
	global bool
}

type request struct {
	r       *http.Request
	route   *routeDef
	params  map[string]string
	body    []byte // JSON body (payload_json for multipart)
	files   int
	uploads []Upload
	now     time.Time
}

func apiError(status, code int, msg string) reply {
	return reply{status: status, body: map[string]any{"message": msg, "code": code}}
}

func invalidForm(field, msg string) reply {
	return reply{status: http.StatusBadRequest, body: map[string]any{
		"message": "Invalid Form Body", "code": 50035,
		"errors": map[string]any{field: map[string]any{"_errors": []any{map[string]any{"code": "BASE_TYPE_BAD_LENGTH", "message": msg}}}},
	}}
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	now := time.Now()
	path := r.URL.Path
	rest, ok := strings.CutPrefix(path, "/api/v9")
	if !ok {
		rest, ok = strings.CutPrefix(path, "/api/v10")
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	call := Call{Method: r.Method, Path: rest, Query: r.URL.RawQuery, Body: raw, At: now}
	if !ok {
		call.Path = path
	}
	var rt *routeDef
	var params map[string]string
	if ok {
		rt, params = matchRoute(r.Method, rest)
	}
	if rt == nil {
		s.violate(ViolationUnknownRoute, "", r.Method+" "+path)
		s.finish(w, &call, nil, apiError(http.StatusNotFound, 0, "404: Not Found"), now)
		return
	}
	call.Route = rt.name
	req := &request{r: r, route: rt, params: params, body: raw, now: now}
	if mt, mp, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
		req.body, req.uploads = parseMultipart(raw, mp["boundary"])
		req.files = len(req.uploads)
		call.Body, call.Uploads = req.body, req.uploads
		if rep := s.checkUploads(rt.name, req); rep != nil {
			s.finish(w, &call, nil, *rep, now)
			return
		}
	}

	// Global limit (interaction callbacks are exempt, as on Discord).
	if rt.name != RouteInteractionCallback && s.cfg.globalLimit > 0 {
		if now.Sub(s.globalStart) >= time.Second {
			s.globalStart, s.globalCount = now, 0
		}
		s.globalCount++
		if s.globalCount > s.cfg.globalLimit {
			retry := s.globalStart.Add(time.Second).Sub(now)
			s.violate(ViolationGlobalRateLimit, rt.name, fmt.Sprintf("%d requests in one second (limit %d)", s.globalCount, s.cfg.globalLimit))
			s.finish(w, &call, nil, rateLimited(retry.Seconds(), true), now)
			return
		}
	}

	b := s.consume(rt, params, now)
	if b.over {
		s.violate(ViolationRateLimit, rt.name, fmt.Sprintf("bucket %s exceeded (%d per %v)", b.key, b.limit.N, b.limit.Per))
		s.finish(w, &call, &b, rateLimited(b.resetAfter(now), false), now)
		return
	}

	if rt.auth && r.Header.Get("Authorization") != "Bot "+s.cfg.token {
		s.finish(w, &call, &b, apiError(http.StatusUnauthorized, 0, "401: Unauthorized"), now)
		return
	}

	var fault *Fault
	if q := s.faults[rt.name]; len(q) > 0 {
		f := q[0]
		s.faults[rt.name] = q[1:]
		fault = &f
		call.Fault = true
	}
	if fault != nil && !fault.AfterCreate {
		s.finish(w, &call, &b, fault.reply(), now)
		return
	}
	rep := rt.handle(s, req)
	if fault != nil {
		rep = fault.reply()
	}
	s.finish(w, &call, &b, rep, now)
}

func rateLimited(retry float64, global bool) reply {
	retry = ceilMS(retry)
	return reply{status: http.StatusTooManyRequests, retry: retry, global: global, body: map[string]any{
		"message": "You are being rate limited.", "retry_after": retry, "global": global,
	}}
}

func ceilMS(sec float64) float64 { return math.Ceil(sec*1000) / 1000 }

// finish writes headers and body, records the call and counts invalid requests.
func (s *Server) finish(w http.ResponseWriter, call *Call, b *bucketState, rep reply, now time.Time) {
	h := w.Header()
	if rep.status == http.StatusTooManyRequests {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(rep.retry))))
		if rep.global {
			// Discord's global 429 carries no bucket headers.
			h.Set("X-RateLimit-Global", "true")
			h.Set("X-RateLimit-Scope", "global")
			b = nil
		} else {
			h.Set("X-RateLimit-Scope", "user")
		}
	}
	if b != nil {
		remaining, reset := b.remaining, b.reset
		if rep.status == http.StatusTooManyRequests {
			remaining, reset = 0, now.Add(time.Duration(rep.retry*float64(time.Second)))
		}
		h.Set("X-RateLimit-Limit", strconv.Itoa(b.limit.N))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatFloat(math.Ceil(float64(reset.UnixMicro())/1000)/1000, 'f', 3, 64))
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(ceilMS(reset.Sub(now).Seconds()), 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", b.hash)
	}
	call.Status = rep.status
	s.calls = append(s.calls, *call)
	switch rep.status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests:
		s.countInvalid(now)
	}
	switch body := rep.body.(type) {
	case nil:
		w.WriteHeader(rep.status)
	case []byte:
		h.Set("Content-Type", "text/html")
		w.WriteHeader(rep.status)
		w.Write(body)
	default:
		h.Set("Content-Type", "application/json")
		w.WriteHeader(rep.status)
		json.NewEncoder(w).Encode(body)
	}
}

func (s *Server) countInvalid(now time.Time) {
	cut := 0
	for cut < len(s.invalid) && now.Sub(s.invalid[cut]) > invalidWindow {
		cut++
	}
	s.invalid = append(s.invalid[cut:], now)
	if len(s.invalid) > InvalidRequestsBan && !s.banReported {
		s.banReported = true
		s.violate(ViolationInvalidRequests, "", fmt.Sprintf("more than %d 401/403/429 responses in 10 minutes", InvalidRequestsBan))
	}
}

// InvalidRequests is the number of 401/403/429 answers in the last 10 minutes.
func (s *Server) InvalidRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.invalid)
}

type bucketState struct {
	key       string
	hash      string
	limit     Limit
	remaining int
	reset     time.Time
	over      bool
}

func (b bucketState) resetAfter(now time.Time) float64 { return b.reset.Sub(now).Seconds() }

func (s *Server) consume(rt *routeDef, params map[string]string, now time.Time) bucketState {
	lim := s.cfg.limits[rt.name]
	if lim.N <= 0 || lim.Per <= 0 {
		lim = Limit{N: 1000, Per: time.Second}
	}
	key := string(rt.name)
	for _, p := range rt.major {
		key += "|" + params[p]
	}
	b := s.buckets[key]
	if b == nil || now.Sub(b.start) >= lim.Per {
		b = &bucket{start: now}
		s.buckets[key] = b
	}
	b.count++
	st := bucketState{key: key, hash: rt.hash, limit: lim, reset: b.start.Add(lim.Per)}
	st.remaining = max(lim.N-b.count, 0)
	st.over = b.count > lim.N
	return st
}

func parseMultipart(raw []byte, boundary string) ([]byte, []Upload) {
	mr := multipart.NewReader(bytes.NewReader(raw), boundary)
	var payload []byte
	var files []Upload
	for {
		p, err := mr.NextPart()
		if err != nil {
			return payload, files
		}
		data, _ := io.ReadAll(p)
		if p.FormName() == "payload_json" {
			payload = data
		} else {
			files = append(files, Upload{Field: p.FormName(), Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
		}
	}
}

// Calls returns every REST request received, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the recorded requests that matched route r.
func (s *Server) CallsTo(r Route) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.Route == r {
			out = append(out, c)
		}
	}
	return out
}

// Call is one recorded REST request.
type Call struct {
	Method string
	Path   string // without the /api/v9 prefix
	Query  string
	Route  Route // "" when no route matched
	Body   []byte
	// Uploads are the files of a multipart request, in order.
	Uploads []Upload
	Status  int
	Fault   bool // answered (or altered) by a queued Fault
	At      time.Time
}

// WaitFor polls cond until it returns true and fails the test after timeout.
func WaitFor(t testing.TB, cond func() bool, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("discordtest: condition not met within %v", timeout)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
