package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Option configures a Server.
type Option func(*config)

type config struct {
	botID         int64
	username      string
	firstName     string
	limits        Limits
	now           func() time.Time
	failOnViolate bool
	defaultStatus string
}

// WithBotUsername sets the username getMe reports (default "shakeout_test_bot").
func WithBotUsername(username string) Option {
	return func(c *config) { c.username = username }
}

// WithBotID sets the bot's user id, which is also the token's prefix
// (default 7000000001).
func WithBotID(id int64) Option {
	return func(c *config) { c.botID = id }
}

// WithLimits replaces the limit rules checked on every send.
func WithLimits(l Limits) Option {
	return func(c *config) { c.limits = l }
}

// WithClock sets the clock used for message dates, call times and the
// rate windows (default time.Now). Long-poll timeouts always use real time.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithDefaultMemberStatus sets the status getChatMember reports for pairs
// not set with SetChatMember (default "member").
func WithDefaultMemberStatus(status string) Option {
	return func(c *config) { c.defaultStatus = status }
}

// FailOnViolations makes the server report every recorded violation with
// t.Errorf when the test ends, so adapter tests need no explicit check.
func FailOnViolations() Option {
	return func(c *config) { c.failOnViolate = true }
}

// Server is a fake Telegram Bot API. All methods are safe for concurrent use.
type Server struct {
	t     testing.TB
	cfg   config
	token string
	srv   *httptest.Server

	closeOnce sync.Once
	closed    chan struct{}

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change

	calls      []Call
	sent       []SentMessage
	photos     []SentPhoto
	edits      []Edit
	violations []string

	nextUpdateID int64
	pending      []pendingUpdate
	poller       chan struct{} // closed to terminate the active getUpdates

	nextMessageID map[int64]int
	messages      map[msgKey]Message
	chats         map[int64]Chat
	users         map[int64]User

	nextCallbackID int64
	callbacks      map[string]*callbackState
	callbackOrder  []string

	methodFaults map[string][]Fault
	chatFaults   map[int64][]Fault
	blocked      map[int64]string
	migrated     map[int64]int64

	members  map[[2]int64]string
	topics   map[int64]map[int]bool // forum chat → topic → closed (0 is General)
	allowed  []string               // allowed_updates of the last getUpdates that named any
	commands []CommandSet
	webhook  WebhookInfo

	chatSends   map[int64][]time.Time
	globalSends []time.Time

	files    sync.Map // file_id → storedFile (files.go)
	fileSeq  atomic.Int64
	fileGets atomic.Int64
}

type msgKey struct {
	chat int64
	id   int
}

type pendingUpdate struct {
	id   int64
	kind string // the update's field name: message, callback_query, my_chat_member…
	raw  json.RawMessage
}

type callbackState struct {
	query  CallbackQuery
	answer *CallbackAnswer
}

// New starts a fake Bot API on 127.0.0.1; t.Cleanup closes it.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{
		botID:         7000000001,
		username:      "shakeout_test_bot",
		firstName:     "Shakeout Test",
		limits:        DefaultLimits(),
		now:           time.Now,
		defaultStatus: StatusMember,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		t:             t,
		cfg:           cfg,
		token:         fmt.Sprintf("%d:AAFakeShakeoutTokenForTestsOnly0123", cfg.botID),
		closed:        make(chan struct{}),
		changed:       make(chan struct{}),
		nextUpdateID:  100000000,
		nextMessageID: map[int64]int{},
		messages:      map[msgKey]Message{},
		chats:         map[int64]Chat{},
		users:         map[int64]User{},
		callbacks:     map[string]*callbackState{},
		methodFaults:  map[string][]Fault{},
		chatFaults:    map[int64][]Fault{},
		blocked:       map[int64]string{},
		migrated:      map[int64]int64{},
		members:       map[[2]int64]string{},
		topics:        map[int64]map[int]bool{},
		chatSends:     map[int64][]time.Time{},
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("telegramtest: listen: %v", err)
	}
	s.srv = httptest.NewUnstartedServer(s)
	s.srv.Listener = l
	s.srv.Start()
	t.Cleanup(func() {
		s.Close()
		if cfg.failOnViolate {
			for _, v := range s.Violations() {
				t.Errorf("telegramtest: limit violation: %s", v)
			}
		}
	})
	return s
}

// URL returns the base URL to pass to tgbot.WithServerURL.
func (s *Server) URL() string { return s.srv.URL }

// Token returns the only token the server accepts.
func (s *Server) Token() string { return s.token }

// Bot returns the bot's own User, as getMe reports it.
func (s *Server) Bot() User {
	return User{ID: s.cfg.botID, IsBot: true, FirstName: s.cfg.firstName, Username: s.cfg.username}
}

// Close ends pending long polls and stops the server. It is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.srv.Close()
	})
}

func (s *Server) now() time.Time { return s.cfg.now() }

// notifyLocked wakes long polls and waiters; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// response is one answer of the API.
type response struct {
	status      int
	body        []byte
	contentType string
	description string
}

type errParams struct {
	RetryAfter      int   `json:"retry_after,omitempty"`
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
}

func okResult(result any, description string) response {
	env := struct {
		OK          bool   `json:"ok"`
		Result      any    `json:"result"`
		Description string `json:"description,omitempty"`
	}{true, result, description}
	b, err := json.Marshal(env)
	if err != nil {
		return apiError(500, "Internal Server Error: "+err.Error(), nil)
	}
	return response{status: http.StatusOK, body: b, contentType: "application/json"}
}

func apiError(code int, description string, p *errParams) response {
	env := struct {
		OK          bool       `json:"ok"`
		ErrorCode   int        `json:"error_code"`
		Description string     `json:"description"`
		Parameters  *errParams `json:"parameters,omitempty"`
	}{false, code, description, p}
	b, _ := json.Marshal(env)
	return response{status: code, body: b, contentType: "application/json", description: description}
}

func badRequest(description string) response {
	return apiError(http.StatusBadRequest, "Bad Request: "+description, nil)
}

// ServeHTTP implements the Bot API routes; tests normally reach it through URL.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/file/bot") {
		s.serveFile(w, r)
		return
	}
	resp := s.serve(r)
	w.Header().Set("Content-Type", resp.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

func (s *Server) serve(r *http.Request) response {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		return apiError(http.StatusNotFound, "Not Found", nil)
	}
	token, method, ok := strings.Cut(rest, "/")
	if !ok || method == "" {
		return apiError(http.StatusNotFound, "Not Found", nil)
	}
	method = strings.TrimPrefix(method, "test/")
	params, perr := parseParams(r)

	s.mu.Lock()
	idx := len(s.calls)
	s.calls = append(s.calls, Call{Method: method, Params: params, Time: s.now()})
	s.notifyLocked()
	s.mu.Unlock()

	var resp response
	switch {
	case token != s.token:
		resp = apiError(http.StatusUnauthorized, "Unauthorized", nil)
	case perr != nil:
		resp = badRequest("can't parse request: " + perr.Error())
	default:
		resp = s.dispatch(r, method, params)
	}

	s.mu.Lock()
	s.calls[idx].Code = resp.status
	s.calls[idx].Description = resp.description
	s.notifyLocked()
	s.mu.Unlock()
	return resp
}

// parseParams reads multipart/form-data, JSON and URL-encoded bodies plus
// the query string into one flat map. Non-string JSON values keep their
// JSON text, which is what multipart clients send for them anyway.
func parseParams(r *http.Request) (map[string]string, error) {
	vals := map[string]string{}
	for k, v := range r.URL.Query() {
		vals[k] = v[0]
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return vals, nil
	}
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		form, err := multipart.NewReader(bytes.NewReader(body), ctParams["boundary"]).ReadForm(32 << 20)
		if err != nil {
			return nil, err
		}
		defer func() { _ = form.RemoveAll() }()
		for k, v := range form.Value {
			vals[k] = v[0]
		}
		for k, v := range form.File {
			vals[k] = "attach://" + v[0].Filename
			if err := readUpload(vals, k, v[0]); err != nil {
				return nil, err
			}
		}
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		for k, raw := range m {
			var str string
			switch {
			case string(raw) == "null":
			case json.Unmarshal(raw, &str) == nil:
				vals[k] = str
			default:
				vals[k] = string(raw)
			}
		}
	case "application/x-www-form-urlencoded", "":
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		for k, v := range q {
			vals[k] = v[0]
		}
	default:
		return nil, fmt.Errorf("unsupported content type %q", ct)
	}
	return vals, nil
}

type handlerFunc func(s *Server, p params) response

var handlers = map[string]handlerFunc{
	"getme":                  (*Server).getMe,
	"sendmessage":            (*Server).sendMessage,
	"sendphoto":              (*Server).sendPhoto,
	"editmessagetext":        (*Server).editMessageText,
	"editmessagereplymarkup": (*Server).editMessageReplyMarkup,
	"deletemessage":          (*Server).deleteMessage,
	"answercallbackquery":    (*Server).answerCallbackQuery,
	"setmycommands":          (*Server).setMyCommands,
	"deletemycommands":       (*Server).deleteMyCommands,
	"getmycommands":          (*Server).getMyCommands,
	"getchatmember":          (*Server).getChatMember,
	"sendchataction":         (*Server).sendChatAction,
	"setwebhook":             (*Server).setWebhook,
	"deletewebhook":          (*Server).deleteWebhook,
	"getwebhookinfo":         (*Server).getWebhookInfo,
	"getfile":                (*Server).getFile,
}

func (s *Server) dispatch(r *http.Request, method string, p params) response {
	m := strings.ToLower(method)
	h, known := handlers[m]
	if !known && m != "getupdates" {
		return apiError(http.StatusNotFound, "Not Found: method not found", nil)
	}

	s.mu.Lock()
	chatID, hasChat := p.chat()
	f, faulted := s.takeFaultLocked(m, chatID, hasChat && m != "getupdates")
	s.mu.Unlock()

	if faulted && f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
		case <-s.closed:
		}
	}
	if faulted && !f.Accepted {
		return f.response()
	}
	if m == "getupdates" {
		resp := s.getUpdates(r, p)
		if faulted {
			return f.response()
		}
		return resp
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if hasChat {
		if desc, ok := s.blocked[chatID]; ok {
			return apiError(http.StatusForbidden, desc, nil)
		}
		if to, ok := s.migrated[chatID]; ok {
			return migrateResponse(to)
		}
	}
	nSent, nPhotos := len(s.sent), len(s.photos)
	resp := h(s, p)
	if faulted {
		// Accepted: the side effect stays, only the answer is lost.
		for i := nSent; i < len(s.sent); i++ {
			s.sent[i].FailedResponse = true
		}
		for i := nPhotos; i < len(s.photos); i++ {
			s.photos[i].FailedResponse = true
		}
		return f.response()
	}
	return resp
}

func migrateResponse(to int64) response {
	return apiError(http.StatusBadRequest, "Bad Request: group chat was upgraded to a supergroup chat",
		&errParams{MigrateToChatID: to})
}

// params are a request's parameters as strings.
type params map[string]string

// chat returns the numeric chat_id; ok is false when absent or not numeric.
func (p params) chat() (int64, bool) {
	v, ok := p["chat_id"]
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return id, err == nil
}

func (p params) int64(name string) int64 {
	v, _ := strconv.ParseInt(strings.TrimSpace(p[name]), 10, 64)
	return v
}

func (p params) bool(name string) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(p[name]))
	return b
}
