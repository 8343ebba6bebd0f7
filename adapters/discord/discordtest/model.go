package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"testing"
	"time"
)

// ViolationKind classifies a Violation.
type ViolationKind string

// Kinds of behaviour Discord would reject or punish.
const (
	ViolationRateLimit       ViolationKind = "rate_limit"        // a route bucket was exceeded
	ViolationGlobalRateLimit ViolationKind = "global_rate_limit" // more than the global limit per second
	ViolationContentLength   ViolationKind = "content_length"    // content over 2,000 characters
	ViolationAllowedMentions ViolationKind = "allowed_mentions"  // content sent without allowed_mentions {"parse": []}
	ViolationCustomID        ViolationKind = "custom_id"         // custom_id empty or over 100 characters
	ViolationNonce           ViolationKind = "nonce"             // nonce over 25 characters
	ViolationEmptyMessage    ViolationKind = "empty_message"     // no content, embeds, components or files
	ViolationLateInteraction ViolationKind = "late_interaction"  // first callback after the 3 s window
	ViolationDoubleAck       ViolationKind = "double_ack"        // second callback for one interaction
	ViolationNotAcked        ViolationKind = "not_acknowledged"  // webhook edit/follow-up before any callback
	ViolationExpiredToken    ViolationKind = "expired_token"     // follow-up after 15 minutes
	ViolationCommand         ViolationKind = "command"           // invalid application command definition
	ViolationInvalidRequests ViolationKind = "invalid_requests"  // over 10,000 401/403/429 in 10 minutes
	ViolationUnknownRoute    ViolationKind = "unknown_route"     // a route the fake does not serve
	ViolationGateway         ViolationKind = "gateway"           // protocol misuse on the gateway
)

// Violation is one recorded breach of Discord's rules.
type Violation struct {
	Kind   ViolationKind
	Route  Route
	Detail string
	At     time.Time
}

// String formats the violation for test output.
func (v Violation) String() string {
	return fmt.Sprintf("%s on %q: %s", v.Kind, v.Route, v.Detail)
}

func (s *Server) violate(k ViolationKind, r Route, detail string) {
	s.violations = append(s.violations, Violation{Kind: k, Route: r, Detail: detail, At: time.Now()})
}

// Violations returns every violation recorded so far.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.violations...)
}

// AssertNoViolations fails the test for each recorded violation.
func (s *Server) AssertNoViolations(t testing.TB) {
	t.Helper()
	for _, v := range s.Violations() {
		t.Errorf("discordtest: violation: %s", v)
	}
}

// Fault is an answer queued for the next request to a route.
type Fault struct {
	Status     int
	Code       int    // Discord JSON error code
	Message    string // Discord JSON error message
	RetryAfter float64
	Global     bool
	// AfterCreate runs the route first (a message is stored) and then answers
	// with Status, like a request that succeeded but whose response was lost.
	AfterCreate bool
}

// RateLimited is a per-route 429 with retry_after in seconds.
func RateLimited(retryAfter float64) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter}
}

// GlobalRateLimited is a global 429 (X-RateLimit-Global, "global": true).
func GlobalRateLimited(retryAfter float64) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter, Global: true}
}

// CannotMessageUser is 403 with code 50007 (DMs closed or the user blocked the bot).
func CannotMessageUser() Fault {
	return Fault{Status: http.StatusForbidden, Code: 50007, Message: "Cannot send messages to this user"}
}

// NoMutualGuilds is 403 with code 50278: the user shares no server with
// the bot any more.
func NoMutualGuilds() Fault {
	return Fault{Status: http.StatusForbidden, Code: 50278, Message: "Cannot send messages to this user due to having no mutual guilds"}
}

// OpeningDMsTooFast is 403 with code 40003, Discord's answer to a bot
// opening many DM channels quickly.
func OpeningDMsTooFast() Fault {
	return Fault{Status: http.StatusForbidden, Code: 40003, Message: "You are opening direct messages too fast"}
}

// MissingAccess is 403 with code 50001.
func MissingAccess() Fault {
	return Fault{Status: http.StatusForbidden, Code: 50001, Message: "Missing Access"}
}

// ServerError is a 5xx answer (500, 502, 503). discordgo resends after 502
// up to MaxRestRetries and returns an error for the others.
func ServerError(status int) Fault { return Fault{Status: status} }

// CreatedThenFailed stores the message (or other effect) and then answers
// with status (500 if 0), to prove a nonce-based retry yields one message.
func CreatedThenFailed(status int) Fault {
	if status == 0 {
		status = http.StatusInternalServerError
	}
	return Fault{Status: status, AfterCreate: true}
}

func (f Fault) reply() reply {
	switch {
	case f.Status == http.StatusTooManyRequests:
		return rateLimited(f.RetryAfter, f.Global)
	case f.Status == http.StatusBadGateway || f.Status == http.StatusServiceUnavailable || f.Status == http.StatusGatewayTimeout:
		return reply{status: f.Status, body: []byte(fmt.Sprintf("<html><body>%d %s</body></html>", f.Status, http.StatusText(f.Status)))}
	case f.Message != "" || f.Code != 0:
		return apiError(f.Status, f.Code, f.Message)
	default:
		return apiError(f.Status, 0, fmt.Sprintf("%d: %s", f.Status, http.StatusText(f.Status)))
	}
}

// QueueFault queues faults for the next requests to route r, one per request.
func (s *Server) QueueFault(r Route, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[r] = append(s.faults[r], faults...)
}

// User is a Discord user as the fake knows it.
type User struct {
	ID         string
	Username   string
	GlobalName string
	Bot        bool
}

func (u User) wire() map[string]any {
	name := u.Username
	if name == "" {
		name = "user" + u.ID
	}
	m := map[string]any{"id": u.ID, "username": name, "discriminator": "0", "avatar": nil, "global_name": nil}
	if u.GlobalName != "" {
		m["global_name"] = u.GlobalName
	}
	if u.Bot {
		m["bot"] = true
	}
	return m
}

// Member is a guild member. Permissions is the decimal permission bit set
// Discord puts in interaction payloads (e.g. "8" for Administrator).
type Member struct {
	User        User
	Nick        string
	Roles       []string
	Permissions string
	JoinedAt    time.Time
}

func (m Member) wire() map[string]any {
	joined := m.JoinedAt
	if joined.IsZero() {
		joined = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	roles := m.Roles
	if roles == nil {
		roles = []string{}
	}
	w := map[string]any{
		"user": m.User.wire(), "roles": roles, "joined_at": joined.UTC().Format(time.RFC3339Nano),
		"deaf": false, "mute": false, "flags": 0, "nick": nil,
	}
	if m.Nick != "" {
		w["nick"] = m.Nick
	}
	if m.Permissions != "" {
		w["permissions"] = m.Permissions
	}
	return w
}

// Role is a guild role; Permissions is the decimal bit set.
type Role struct {
	ID          string
	Name        string
	Permissions string
	Position    int
}

func (r Role) wire() map[string]any {
	p := r.Permissions
	if p == "" {
		p = "0"
	}
	return map[string]any{
		"id": r.ID, "name": r.Name, "permissions": p, "position": r.Position,
		"color": 0, "hoist": false, "managed": false, "mentionable": false, "flags": 0,
	}
}

// Guild is a guild served by GET /guilds/{id}, its roles and members. An
// @everyone role with the guild's ID is added when missing.
type Guild struct {
	ID      string
	Name    string
	OwnerID string
	Roles   []Role
	Members []Member
}

// AddGuild adds or replaces a guild; it appears in READY for later IDENTIFYs.
func (s *Server) AddGuild(g Guild) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hasEveryone := false
	for _, r := range g.Roles {
		if r.ID == g.ID {
			hasEveryone = true
		}
	}
	if !hasEveryone {
		g.Roles = append([]Role{{ID: g.ID, Name: "@everyone", Permissions: "1071698660929"}}, g.Roles...)
	}
	gs := &guildState{guild: g, members: map[string]Member{}}
	for _, m := range g.Members {
		gs.members[m.User.ID] = m
	}
	if _, ok := s.guilds[g.ID]; !ok {
		s.guildOrder = append(s.guildOrder, g.ID)
	}
	s.guilds[g.ID] = gs
}

// AddMember adds or replaces a member of a guild added with AddGuild.
func (s *Server) AddMember(guildID string, m Member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gs := s.guilds[guildID]; gs != nil {
		gs.members[m.User.ID] = m
	}
}

// BlockDMs makes messages to userID's DM channel fail with 403 50007.
func (s *Server) BlockDMs(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[userID] = true
}

// DMChannel returns the DM channel ID opened for userID, or "".
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dms[userID]
}

// Message is a message stored by the fake.
type Message struct {
	ID               string
	ChannelID        string
	Content          string
	Components       json.RawMessage
	Embeds           json.RawMessage
	AllowedMentions  json.RawMessage
	Nonce            string
	EnforceNonce     bool
	Flags            int
	Files            int
	InteractionToken string // set for interaction responses and follow-ups
	Edits            int
	CreatedAt        time.Time
	EditedAt         time.Time
}

// CustomIDs lists the custom_id of every component, in order.
func (m Message) CustomIDs() []string { return customIDs(m.Components) }

// Messages returns the messages in a channel, oldest first, including
// interaction responses and follow-ups sent there.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages[channelID] {
		out = append(out, *m)
	}
	return out
}

// Message returns the stored message with the given ID.
func (s *Server) Message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.byID[id]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// InteractionResponse is one recorded POST /interactions/{id}/{token}/callback.
type InteractionResponse struct {
	InteractionID string
	Token         string
	Type          int // 4 message, 5 deferred message, 6 deferred update, 7 update, 9 modal
	Data          json.RawMessage
	Content       string
	Flags         int
	CustomIDs     []string
	Elapsed       time.Duration // since Dispatch; 0 if the fake did not dispatch it
	Status        int
}

// InteractionResponses returns every interaction callback, in order.
func (s *Server) InteractionResponses() []InteractionResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]InteractionResponse(nil), s.responses...)
}

// Command is a registered application command.
type Command struct {
	ID            string
	ApplicationID string
	GuildID       string // "" for global
	Name          string
	Description   string
	Type          int
	Raw           json.RawMessage // the definition as the client sent it
}

// Commands returns the commands registered for guildID ("" for global).
func (s *Server) Commands(guildID string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands[guildID]...)
}

// customIDs walks any JSON value and returns all custom_id strings.
func customIDs(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["custom_id"].(string); ok {
				out = append(out, id)
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k])
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return out
}
