package discordtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Identify is one IDENTIFY (op 2) the gateway received.
type Identify struct {
	Intents int
	Shard   *[2]int
	At      time.Time
}

type gateway struct {
	mu            sync.Mutex
	wg            sync.WaitGroup
	closed        bool
	conns         map[*gwConn]struct{}
	sessions      map[string]*gwSession
	identifies    []Identify
	identifyCount atomic.Int64
	resumes       int
	heartbeats    int
	rejectCode    int
	rejectReason  string
}

type gwSession struct {
	id        string
	seq       int64
	events    []gwEvent
	conn      *gwConn
	resumable bool
}

type gwEvent struct {
	seq  int64
	data []byte
}

type gwConn struct {
	ws         *websocket.Conn
	sess       *gwSession
	identified bool
}

// maxBuffered is how many dispatches a session keeps for RESUME replay.
const maxBuffered = 1000

func (g *gateway) init() {
	g.conns = map[*gwConn]struct{}{}
	g.sessions = map[string]*gwSession{}
}

func (g *gateway) shutdown() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	for c := range g.conns {
		c.ws.Close()
	}
}

// write sends one JSON payload; g.mu must be held so frames keep their order.
func (g *gateway) write(c *gwConn, v any) {
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	c.ws.WriteJSON(v)
}

// closeConn closes with a gateway close code; g.mu must be held.
func (g *gateway) closeConn(c *gwConn, code int, reason string) {
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	if sess := c.sess; sess != nil && sess.conn == c {
		sess.conn = nil
		if !resumableCode(code) {
			g.invalidate(sess)
		}
	}
	c.ws.Close()
}

func (g *gateway) invalidate(sess *gwSession) {
	sess.resumable = false
	delete(g.sessions, sess.id)
}

// resumableCode reports whether Discord lets a client RESUME after the
// server closed with code.
func resumableCode(code int) bool {
	switch code {
	case 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014:
		return false
	}
	return true
}

type dispatchFrame struct {
	Op int             `json:"op"`
	S  int64           `json:"s"`
	T  string          `json:"t"`
	D  json.RawMessage `json:"d"`
}

// send dispatches an event to a session (buffered for RESUME); g.mu held.
func (g *gateway) send(sess *gwSession, t string, d json.RawMessage) bool {
	sess.seq++
	b, _ := json.Marshal(dispatchFrame{Op: 0, S: sess.seq, T: t, D: d})
	sess.events = append(sess.events, gwEvent{seq: sess.seq, data: b})
	if len(sess.events) > maxBuffered {
		sess.events = sess.events[len(sess.events)-maxBuffered:]
	}
	if sess.conn == nil {
		return false
	}
	sess.conn.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	sess.conn.ws.WriteMessage(websocket.TextMessage, b)
	return true
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	g := &s.gw
	q := r.URL.Query()
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		ws.Close()
		return
	}
	c := &gwConn{ws: ws}
	g.conns[c] = struct{}{}
	g.wg.Add(1)
	defer g.wg.Done()
	if v := q.Get("v"); v != "9" && v != "10" {
		s.gatewayViolation("dialled without v=9 (got " + r.URL.RawQuery + ")")
	}
	if q.Get("encoding") != "json" {
		s.gatewayViolation("dialled without encoding=json (got " + r.URL.RawQuery + ")")
	}
	g.write(c, map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": max(s.cfg.heartbeat.Milliseconds(), 1)}})
	g.mu.Unlock()

	defer func() {
		g.mu.Lock()
		delete(g.conns, c)
		if c.sess != nil && c.sess.conn == c {
			c.sess.conn = nil
		}
		g.mu.Unlock()
		ws.Close()
	}()
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway) {
				// Discord invalidates the session when the client closes with 1000/1001.
				g.mu.Lock()
				if c.sess != nil && c.sess.conn == c {
					g.invalidate(c.sess)
				}
				g.mu.Unlock()
			}
			return
		}
		var f struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		g.mu.Lock()
		var stop bool
		if json.Unmarshal(msg, &f) != nil {
			g.closeConn(c, 4002, "Error while decoding payload.")
			stop = true
		} else {
			stop = s.handleOp(c, f.Op, f.D)
		}
		g.mu.Unlock()
		if stop {
			return
		}
	}
}

func (s *Server) gatewayViolation(detail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violate(ViolationGateway, "", detail)
}

// handleOp answers one client payload; g.mu is held. It reports whether the
// connection was closed.
func (s *Server) handleOp(c *gwConn, op int, d json.RawMessage) bool {
	g := &s.gw
	switch op {
	case 1:
		g.heartbeats++
		g.write(c, map[string]any{"op": 11})
	case 2:
		return s.identify(c, d)
	case 6:
		return s.resume(c, d)
	case 3, 4, 8:
		if !c.identified {
			g.closeConn(c, 4003, "Not authenticated.")
			return true
		}
	default:
		g.closeConn(c, 4001, "Unknown opcode.")
		return true
	}
	return false
}

func (s *Server) tokenOK(tok string) bool {
	return strings.TrimPrefix(tok, "Bot ") == s.cfg.token
}

func (s *Server) identify(c *gwConn, d json.RawMessage) bool {
	g := &s.gw
	if c.identified {
		g.closeConn(c, 4005, "Already authenticated.")
		return true
	}
	var p struct {
		Token   string  `json:"token"`
		Intents int     `json:"intents"`
		Shard   *[2]int `json:"shard"`
	}
	if json.Unmarshal(d, &p) != nil {
		g.closeConn(c, 4002, "Error while decoding payload.")
		return true
	}
	g.identifies = append(g.identifies, Identify{Intents: p.Intents, Shard: p.Shard, At: time.Now()})
	g.identifyCount.Add(1)
	switch {
	case g.rejectCode != 0:
		g.closeConn(c, g.rejectCode, g.rejectReason)
		return true
	case !s.tokenOK(p.Token):
		g.closeConn(c, 4004, "Authentication failed.")
		return true
	case p.Shard != nil && (p.Shard[1] < 1 || p.Shard[0] < 0 || p.Shard[0] >= p.Shard[1]):
		g.closeConn(c, 4010, "Invalid shard.")
		return true
	case p.Intents < 0 || p.Intents >= 1<<26:
		g.closeConn(c, 4013, "Invalid intent(s).")
		return true
	case p.Intents&privilegedIntents&^s.cfg.privileged != 0:
		g.closeConn(c, 4014, "Disallowed intent(s).")
		return true
	}
	sess := &gwSession{id: randomHex(16), conn: c, resumable: true}
	g.sessions[sess.id] = sess
	c.sess, c.identified = sess, true

	bot := s.BotUser().wire()
	bot["verified"], bot["mfa_enabled"] = true, false
	s.mu.Lock()
	guilds := []any{}
	var creates []json.RawMessage
	for _, id := range s.guildOrder {
		guilds = append(guilds, map[string]any{"id": id, "unavailable": true})
		gc := s.guildJSON(s.guilds[id])
		gc["unavailable"], gc["large"], gc["member_count"] = false, false, len(s.guilds[id].members)
		gc["members"], gc["channels"], gc["threads"], gc["presences"], gc["voice_states"] = []any{}, []any{}, []any{}, []any{}, []any{}
		gc["joined_at"] = "2024-01-01T00:00:00Z"
		b, _ := json.Marshal(gc)
		creates = append(creates, b)
	}
	s.mu.Unlock()
	ready := map[string]any{
		"v": 9, "user": bot, "guilds": guilds, "session_id": sess.id, "session_type": "normal",
		"resume_gateway_url": s.GatewayURL(), "application": map[string]any{"id": s.cfg.appID, "flags": 0},
		"private_channels": []any{}, "relationships": []any{}, "presences": []any{},
	}
	if p.Shard != nil {
		ready["shard"] = p.Shard
	}
	b, _ := json.Marshal(ready)
	g.send(sess, "READY", b)
	if p.Intents&1 != 0 { // GUILDS
		for _, gc := range creates {
			g.send(sess, "GUILD_CREATE", gc)
		}
	}
	return false
}

func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	g := &s.gw
	var p struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if json.Unmarshal(d, &p) != nil {
		g.closeConn(c, 4002, "Error while decoding payload.")
		return true
	}
	if g.rejectCode != 0 {
		g.closeConn(c, g.rejectCode, g.rejectReason)
		return true
	}
	if !s.tokenOK(p.Token) {
		g.closeConn(c, 4004, "Authentication failed.")
		return true
	}
	sess := g.sessions[p.SessionID]
	if sess == nil || !sess.resumable || sess.conn != nil {
		g.write(c, map[string]any{"op": 9, "d": false})
		return false
	}
	if p.Seq > sess.seq {
		g.invalidate(sess)
		g.closeConn(c, 4007, "Invalid seq.")
		return true
	}
	sess.conn = c
	c.sess, c.identified = sess, true
	for _, e := range sess.events {
		if e.seq > p.Seq {
			c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
			c.ws.WriteMessage(websocket.TextMessage, e.data)
		}
	}
	g.resumes++
	g.send(sess, "RESUMED", json.RawMessage(`{}`))
	return false
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Dispatch sends a dispatch event (op 0) such as MESSAGE_CREATE or
// INTERACTION_CREATE with data (marshalled to JSON) to every identified
// session, and buffers it for sessions that may still RESUME. It returns the
// number of connections it was written to. For INTERACTION_CREATE the fake
// remembers the dispatch time, token and channel to check the callback.
func (s *Server) Dispatch(eventType string, data any) int {
	b, err := json.Marshal(data)
	if err != nil {
		s.t.Errorf("discordtest: Dispatch %s: %v", eventType, err)
		return 0
	}
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	if eventType == "INTERACTION_CREATE" {
		s.recordInteraction(b)
	}
	if eventType == "INTERACTION_CREATE" || eventType == "MESSAGE_CREATE" {
		s.seeChannel(b)
	}
	n := 0
	for _, sess := range g.sessions {
		if g.send(sess, eventType, b) {
			n++
		}
	}
	return n
}

func (s *Server) recordInteraction(b []byte) {
	var in struct {
		ID        string `json:"id"`
		Token     string `json:"token"`
		ChannelID string `json:"channel_id"`
		Message   *struct {
			ID string `json:"id"`
		} `json:"message"`
		User *struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if json.Unmarshal(b, &in) != nil || in.ID == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	is := &interactionState{id: in.ID, token: in.Token, channelID: in.ChannelID, dispatched: time.Now(), followups: map[string]*Message{}}
	if in.Message != nil {
		is.messageID = in.Message.ID
	}
	if in.User != nil && in.ChannelID != "" {
		s.openDM(in.User.ID, in.ChannelID)
	}
	s.interactions[in.ID] = is
	s.byToken[in.Token] = is
}

// CloseGateway closes every gateway connection with a close code (4004,
// 4014, 1001, …) and reason. Sessions stay resumable unless Discord would
// invalidate them for that code. It returns the number of connections closed.
func (s *Server) CloseGateway(code int, reason string) int {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for c := range g.conns {
		g.closeConn(c, code, reason)
		n++
	}
	return n
}

// RejectIdentify makes every later IDENTIFY and RESUME close with code and
// reason, as for a revoked token (4004) or disallowed intents (4014). Code 0
// accepts them again.
func (s *Server) RejectIdentify(code int, reason string) {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rejectCode, g.rejectReason = code, reason
}

// RequestReconnect sends op 7 (Reconnect) to every identified connection.
func (s *Server) RequestReconnect() int {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for c := range g.conns {
		if c.identified {
			g.write(c, map[string]any{"op": 7, "d": nil})
			n++
		}
	}
	return n
}

// Identifies returns every IDENTIFY received, accepted or not.
func (s *Server) Identifies() []Identify {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Identify(nil), g.identifies...)
}

// IdentifyCount is the number of IDENTIFYs received (Discord allows 1,000 a day).
func (s *Server) IdentifyCount() int { return int(s.gw.identifyCount.Load()) }

// Resumes is the number of successful RESUMEs.
func (s *Server) Resumes() int {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.resumes
}

// Heartbeats is the number of heartbeats (op 1) received.
func (s *Server) Heartbeats() int {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.heartbeats
}

// Connections is the number of identified (or resumed) gateway connections.
func (s *Server) Connections() int {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for c := range g.conns {
		if c.identified {
			n++
		}
	}
	return n
}
