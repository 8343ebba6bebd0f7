package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// msgPayload is the part of a create/edit message body the fake looks at.
type msgPayload struct {
	Content         *string         `json:"content"`
	Components      json.RawMessage `json:"components"`
	Embeds          json.RawMessage `json:"embeds"`
	AllowedMentions json.RawMessage `json:"allowed_mentions"`
	Nonce           json.RawMessage `json:"nonce"`
	EnforceNonce    bool            `json:"enforce_nonce"`
	Flags           *int            `json:"flags"`
	StickerIDs      json.RawMessage `json:"sticker_ids"`
	Poll            json.RawMessage `json:"poll"`
	Attachments     json.RawMessage `json:"attachments"`
}

func (p msgPayload) content() string {
	if p.Content == nil {
		return ""
	}
	return *p.Content
}

func (p msgPayload) nonce() string {
	raw := bytes.TrimSpace(p.Nonce)
	if isEmptyJSON(raw) {
		return ""
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		return str
	}
	return string(raw) // integer nonce
}

func isEmptyJSON(raw json.RawMessage) bool {
	t := string(bytes.TrimSpace(raw))
	return t == "" || t == "null" || t == "[]" || t == "{}"
}

func badJSON() reply {
	return apiError(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
}

// checkMessage validates a message body. creating is true when the body
// creates a message whose content would notify (sends, follow-ups, type 4
// callbacks, the first edit of a deferred response).
func (s *Server) checkMessage(r Route, p msgPayload, files int, creating bool) *reply {
	if n := utf8.RuneCountInString(p.content()); n > MaxContentLength {
		s.violate(ViolationContentLength, r, fmt.Sprintf("content has %d characters (max %d)", n, MaxContentLength))
		rep := invalidForm("content", fmt.Sprintf("Must be %d or fewer in length.", MaxContentLength))
		return &rep
	}
	for _, id := range customIDs(p.Components) {
		if n := utf8.RuneCountInString(id); n == 0 || n > MaxCustomIDLength {
			s.violate(ViolationCustomID, r, fmt.Sprintf("custom_id %q has %d characters (1..%d)", id, n, MaxCustomIDLength))
			rep := invalidForm("components", fmt.Sprintf("Must be between 1 and %d in length.", MaxCustomIDLength))
			return &rep
		}
	}
	if n := utf8.RuneCountInString(p.nonce()); n > MaxNonceLength {
		s.violate(ViolationNonce, r, fmt.Sprintf("nonce has %d characters (max %d)", n, MaxNonceLength))
		rep := invalidForm("nonce", fmt.Sprintf("Must be %d or fewer in length.", MaxNonceLength))
		return &rep
	}
	if !creating {
		return nil
	}
	if p.content() == "" && isEmptyJSON(p.Embeds) && isEmptyJSON(p.Components) && files == 0 &&
		isEmptyJSON(p.StickerIDs) && isEmptyJSON(p.Poll) {
		s.violate(ViolationEmptyMessage, r, "message has no content, embeds, components or files")
		rep := apiError(http.StatusBadRequest, 50006, "Cannot send an empty message")
		return &rep
	}
	if p.content() != "" {
		if isEmptyJSON(p.AllowedMentions) && string(bytes.TrimSpace(p.AllowedMentions)) != "{}" {
			s.violate(ViolationAllowedMentions, r, "content sent without allowed_mentions (send {\"parse\": []})")
		} else {
			var am struct {
				Parse []string `json:"parse"`
			}
			if json.Unmarshal(p.AllowedMentions, &am) == nil && len(am.Parse) > 0 {
				s.violate(ViolationAllowedMentions, r, fmt.Sprintf("allowed_mentions parses %v", am.Parse))
			}
		}
	}
	return nil
}

func (s *Server) storeMessage(channelID string, p msgPayload, files int, token string, now time.Time) *Message {
	m := &Message{
		ID: s.nextID(), ChannelID: channelID, Content: p.content(),
		Components: clone(p.Components), Embeds: clone(p.Embeds), AllowedMentions: clone(p.AllowedMentions),
		Nonce: p.nonce(), EnforceNonce: p.EnforceNonce, Files: files, InteractionToken: token, CreatedAt: now,
	}
	if p.Flags != nil {
		m.Flags = *p.Flags
	}
	s.messages[channelID] = append(s.messages[channelID], m)
	s.byID[m.ID] = m
	return m
}

func clone(raw json.RawMessage) json.RawMessage {
	if isEmptyJSON(raw) {
		return nil
	}
	return append(json.RawMessage(nil), raw...)
}

// applyEdit applies PATCH semantics: only fields present change. As on
// Discord, "components": null keeps the components ([] clears them) while
// "embeds": null clears the embeds.
func applyEdit(m *Message, p msgPayload, files int, now time.Time) {
	if p.Content != nil {
		m.Content = *p.Content
	}
	if c := bytes.TrimSpace(p.Components); len(c) > 0 && string(c) != "null" {
		m.Components = clone(p.Components)
	}
	if len(p.Embeds) > 0 {
		m.Embeds = clone(p.Embeds)
	}
	if len(p.AllowedMentions) > 0 {
		m.AllowedMentions = clone(p.AllowedMentions)
	}
	if p.Flags != nil {
		m.Flags = *p.Flags
	}
	m.Files += files
	m.Edits++
	m.EditedAt = now
}

func (s *Server) messageJSON(m *Message) map[string]any {
	w := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "type": 0, "content": m.Content,
		"author": s.BotUser().wire(), "timestamp": m.CreatedAt.UTC().Format(time.RFC3339Nano),
		"edited_timestamp": nil, "tts": false, "mention_everyone": false, "mentions": []any{},
		"mention_roles": []any{}, "attachments": []any{}, "embeds": rawOrEmpty(m.Embeds),
		"components": rawOrEmpty(m.Components), "pinned": false, "flags": m.Flags,
	}
	if m.Nonce != "" {
		w["nonce"] = m.Nonce
	}
	if !m.EditedAt.IsZero() {
		w["edited_timestamp"] = m.EditedAt.UTC().Format(time.RFC3339Nano)
	}
	if m.InteractionToken != "" {
		w["webhook_id"] = s.cfg.appID
		w["application_id"] = s.cfg.appID
	}
	return w
}

func rawOrEmpty(raw json.RawMessage) any {
	if isEmptyJSON(raw) {
		return []any{}
	}
	return raw
}

func (s *Server) getGateway(*request) reply {
	return reply{status: http.StatusOK, body: map[string]any{"url": s.GatewayURL()}}
}

func (s *Server) getGatewayBot(*request) reply {
	return reply{status: http.StatusOK, body: map[string]any{
		"url": s.GatewayURL(), "shards": 1,
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": max(1000-int(s.gw.identifyCount.Load()), 0),
			"reset_after": 86_400_000, "max_concurrency": 1,
		},
	}}
}

func (s *Server) getMe(*request) reply {
	u := s.BotUser().wire()
	u["verified"] = true
	u["mfa_enabled"] = false
	u["flags"] = 0
	return reply{status: http.StatusOK, body: u}
}

func (s *Server) createMessage(req *request) reply {
	ch := req.params["channel"]
	if u := s.dmUser[ch]; u != "" && s.blocked[u] {
		return CannotMessageUser().reply()
	}
	if rep := s.channelRefusalLocked(ch); rep != nil {
		return *rep
	}
	var p msgPayload
	if json.Unmarshal(req.body, &p) != nil {
		return badJSON()
	}
	if rep := s.checkMessage(req.route.name, p, req.files, true); rep != nil {
		return *rep
	}
	nonce := p.nonce()
	key := ch + "\x00" + nonce
	if p.EnforceNonce && nonce != "" {
		if e, ok := s.nonces[key]; ok && req.now.Sub(e.at) < s.cfg.nonceWindow {
			return reply{status: http.StatusOK, body: s.messageJSON(e.msg)}
		}
	}
	m := s.storeMessage(ch, p, req.files, "", req.now)
	if p.EnforceNonce && nonce != "" {
		s.nonces[key] = nonceEntry{msg: m, at: req.now}
	}
	return reply{status: http.StatusOK, body: s.messageJSON(m)}
}

func unknownMessage() reply { return apiError(http.StatusNotFound, 10008, "Unknown Message") }

func (s *Server) editMessage(req *request) reply {
	m := s.byID[req.params["message"]]
	if m == nil || m.ChannelID != req.params["channel"] {
		return unknownMessage()
	}
	var p msgPayload
	if json.Unmarshal(req.body, &p) != nil {
		return badJSON()
	}
	if rep := s.checkMessage(req.route.name, p, req.files, false); rep != nil {
		return *rep
	}
	applyEdit(m, p, req.files, req.now)
	return reply{status: http.StatusOK, body: s.messageJSON(m)}
}

func (s *Server) knownUser(id string) User {
	for _, gid := range s.guildOrder {
		if m, ok := s.guilds[gid].members[id]; ok {
			return m.User
		}
	}
	return User{ID: id}
}

func (s *Server) createDM(req *request) reply {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	if json.Unmarshal(req.body, &body) != nil {
		return badJSON()
	}
	if body.RecipientID == "" {
		return invalidForm("recipient_id", "This field is required")
	}
	id := s.openDM(body.RecipientID, "")
	return reply{status: http.StatusOK, body: map[string]any{
		"id": id, "type": 1, "last_message_id": nil, "flags": 0,
		"recipients": []any{s.knownUser(body.RecipientID).wire()},
	}}
}

// openDM returns the DM channel for a user, creating it (with id if given).
func (s *Server) openDM(userID, id string) string {
	if ch := s.dms[userID]; ch != "" {
		return ch
	}
	if id == "" {
		id = s.nextID()
	}
	s.dms[userID] = id
	s.dmUser[id] = userID
	return id
}

func unknownGuild() reply { return apiError(http.StatusNotFound, 10004, "Unknown Guild") }

func (gs *guildState) rolesWire() []any {
	out := []any{}
	for _, r := range gs.guild.Roles {
		out = append(out, r.wire())
	}
	return out
}

func (s *Server) getGuild(req *request) reply {
	gs := s.guilds[req.params["guild"]]
	if gs == nil {
		return unknownGuild()
	}
	return reply{status: http.StatusOK, body: s.guildJSON(gs)}
}

func (s *Server) guildJSON(gs *guildState) map[string]any {
	g := gs.guild
	name := g.Name
	if name == "" {
		name = "guild" + g.ID
	}
	return map[string]any{
		"id": g.ID, "name": name, "owner_id": g.OwnerID, "icon": nil, "roles": gs.rolesWire(),
		"emojis": []any{}, "features": []any{}, "stickers": []any{}, "verification_level": 0,
		"default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0,
		"premium_tier": 0, "preferred_locale": "en-US", "nsfw_level": 0,
	}
}

func (s *Server) getMember(req *request) reply {
	gs := s.guilds[req.params["guild"]]
	if gs == nil {
		return unknownGuild()
	}
	m, ok := gs.members[req.params["user"]]
	if !ok {
		return apiError(http.StatusNotFound, 10007, "Unknown Member")
	}
	w := m.wire()
	delete(w, "permissions") // only interaction payloads carry it
	return reply{status: http.StatusOK, body: w}
}

func (s *Server) getRoles(req *request) reply {
	gs := s.guilds[req.params["guild"]]
	if gs == nil {
		return unknownGuild()
	}
	return reply{status: http.StatusOK, body: gs.rolesWire()}
}

func unknownApplication() reply { return apiError(http.StatusNotFound, 10002, "Unknown Application") }

func (s *Server) getCommands(req *request) reply {
	if req.params["application"] != s.cfg.appID {
		return unknownApplication()
	}
	out := []any{}
	for _, c := range s.commands[req.params["guild"]] {
		out = append(out, s.commandJSON(c))
	}
	return reply{status: http.StatusOK, body: out}
}

type commandDef struct {
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Type        int          `json:"type"`
	Options     []commandDef `json:"options"`
	Choices     []any        `json:"choices"`
}

// chatNameRE is Discord's rule for CHAT_INPUT command and option names.
var chatNameRE = regexp.MustCompile(`^[-_\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

func checkName(name string, chat bool) string {
	if chat {
		if !chatNameRE.MatchString(name) || strings.ToLower(name) != name {
			return fmt.Sprintf("name %q must be 1-32 lowercase letters, digits, - or _", name)
		}
		return ""
	}
	if n := utf8.RuneCountInString(name); n < 1 || n > 32 {
		return fmt.Sprintf("name %q must be 1-32 characters", name)
	}
	return ""
}

func checkOptions(path string, opts []commandDef) string {
	if len(opts) > 25 {
		return path + ": more than 25 options"
	}
	seen := map[string]bool{}
	for _, o := range opts {
		if msg := checkName(o.Name, true); msg != "" {
			return path + ": option " + msg
		}
		if seen[o.Name] {
			return fmt.Sprintf("%s: duplicate option %q", path, o.Name)
		}
		seen[o.Name] = true
		if n := utf8.RuneCountInString(o.Description); n < 1 || n > 100 {
			return fmt.Sprintf("%s: option %q description must be 1-100 characters", path, o.Name)
		}
		if len(o.Choices) > 25 {
			return fmt.Sprintf("%s: option %q has more than 25 choices", path, o.Name)
		}
		if msg := checkOptions(path+"."+o.Name, o.Options); msg != "" {
			return msg
		}
	}
	return ""
}

func checkCommand(c commandDef) string {
	chat := c.Type == 0 || c.Type == 1
	if msg := checkName(c.Name, chat); msg != "" {
		return msg
	}
	n := utf8.RuneCountInString(c.Description)
	if chat && (n < 1 || n > 100) {
		return fmt.Sprintf("command %q description must be 1-100 characters", c.Name)
	}
	if !chat && n > 0 {
		return fmt.Sprintf("command %q: user and message commands take no description", c.Name)
	}
	return checkOptions(c.Name, c.Options)
}

func (s *Server) putCommands(req *request) reply {
	if req.params["application"] != s.cfg.appID {
		return unknownApplication()
	}
	guild := req.params["guild"]
	var raws []json.RawMessage
	if json.Unmarshal(req.body, &raws) != nil {
		return badJSON()
	}
	if len(raws) > 100 {
		s.violate(ViolationCommand, req.route.name, fmt.Sprintf("%d commands (max 100)", len(raws)))
		return invalidForm("_root", "Must be 100 or fewer in length.")
	}
	seen := map[string]bool{}
	var cmds []Command
	for _, raw := range raws {
		var def commandDef
		if json.Unmarshal(raw, &def) != nil {
			return badJSON()
		}
		msg := checkCommand(def)
		key := fmt.Sprintf("%d\x00%s", max(def.Type, 1), def.Name)
		if msg == "" && seen[key] {
			msg = fmt.Sprintf("duplicate command %q", def.Name)
		}
		if msg != "" {
			s.violate(ViolationCommand, req.route.name, msg)
			return invalidForm("name", msg)
		}
		seen[key] = true
		idKey := guild + "\x00" + key
		id := s.commandIDs[idKey]
		if id == "" {
			id = s.nextID()
			s.commandIDs[idKey] = id
		}
		cmds = append(cmds, Command{
			ID: id, ApplicationID: s.cfg.appID, GuildID: guild, Name: def.Name,
			Description: def.Description, Type: max(def.Type, 1), Raw: clone(raw),
		})
	}
	s.commands[guild] = cmds
	out := []any{}
	for _, c := range cmds {
		out = append(out, s.commandJSON(c))
	}
	return reply{status: http.StatusOK, body: out}
}

func (s *Server) commandJSON(c Command) map[string]any {
	w := map[string]any{}
	json.Unmarshal(c.Raw, &w)
	w["id"] = c.ID
	w["application_id"] = c.ApplicationID
	w["type"] = c.Type
	w["version"] = c.ID
	if c.GuildID != "" {
		w["guild_id"] = c.GuildID
	}
	return w
}

func unknownInteraction() reply { return apiError(http.StatusNotFound, 10062, "Unknown interaction") }

func (s *Server) interactionCallback(req *request) reply {
	id, token := req.params["interaction"], req.params["token"]
	var body struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(req.body, &body) != nil {
		return badJSON()
	}
	var p msgPayload
	if !isEmptyJSON(body.Data) && json.Unmarshal(body.Data, &p) != nil {
		return badJSON()
	}
	rec := InteractionResponse{
		InteractionID: id, Token: token, Type: body.Type, Data: clone(body.Data),
		Content: p.content(), CustomIDs: customIDs(body.Data),
	}
	if p.Flags != nil {
		rec.Flags = *p.Flags
	}
	rep := s.answerCallback(req, id, token, body.Type, p, &rec)
	rec.Status = rep.status
	s.responses = append(s.responses, rec)
	return rep
}

func (s *Server) answerCallback(req *request, id, token string, typ int, p msgPayload, rec *InteractionResponse) reply {
	is := s.interactions[id]
	if is == nil {
		// Not dispatched by the fake: accept it so webhook routes work.
		is = &interactionState{id: id, token: token, followups: map[string]*Message{}}
		s.interactions[id] = is
		s.byToken[token] = is
	} else if is.token != token {
		return unknownInteraction()
	}
	if !is.dispatched.IsZero() {
		rec.Elapsed = req.now.Sub(is.dispatched)
	}
	if is.acked {
		s.violate(ViolationDoubleAck, req.route.name, "interaction "+id+" answered twice")
		return apiError(http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
	}
	if !is.dispatched.IsZero() && rec.Elapsed > s.cfg.window {
		s.violate(ViolationLateInteraction, req.route.name, fmt.Sprintf("interaction %s answered after %v (max %v)", id, rec.Elapsed.Round(time.Millisecond), s.cfg.window))
		return unknownInteraction()
	}
	switch typ {
	case 4:
		if rep := s.checkMessage(req.route.name, p, req.files, true); rep != nil {
			return *rep
		}
		is.original = s.storeMessage(is.channelID, p, req.files, token, req.now)
	case 5:
		is.original = s.storeMessage(is.channelID, msgPayload{Flags: p.Flags}, 0, token, req.now)
		is.deferred = true
	case 6:
	case 7:
		if rep := s.checkMessage(req.route.name, p, req.files, false); rep != nil {
			return *rep
		}
		if m := s.byID[is.messageID]; m != nil {
			applyEdit(m, p, req.files, req.now)
		}
	case 9:
		for _, cid := range rec.CustomIDs {
			if n := utf8.RuneCountInString(cid); n == 0 || n > MaxCustomIDLength {
				s.violate(ViolationCustomID, req.route.name, fmt.Sprintf("custom_id %q has %d characters (1..%d)", cid, n, MaxCustomIDLength))
				return invalidForm("custom_id", fmt.Sprintf("Must be between 1 and %d in length.", MaxCustomIDLength))
			}
		}
	case 1, 8:
	default:
		return invalidForm("type", fmt.Sprintf("Value %d is not a valid interaction callback type.", typ))
	}
	is.acked = true
	return reply{status: http.StatusNoContent}
}

// webhookInteraction resolves the interaction behind /webhooks/{app}/{token}.
func (s *Server) webhookInteraction(req *request) (*interactionState, *reply) {
	fail := func(r reply) (*interactionState, *reply) { return nil, &r }
	if req.params["application"] != s.cfg.appID {
		return fail(apiError(http.StatusNotFound, 10015, "Unknown Webhook"))
	}
	is := s.byToken[req.params["token"]]
	if is == nil {
		return fail(apiError(http.StatusNotFound, 10015, "Unknown Webhook"))
	}
	if !is.acked {
		s.violate(ViolationNotAcked, req.route.name, "webhook used before the interaction was acknowledged")
		return fail(apiError(http.StatusNotFound, 10015, "Unknown Webhook"))
	}
	if !is.dispatched.IsZero() && req.now.Sub(is.dispatched) > followupWindow {
		s.violate(ViolationExpiredToken, req.route.name, "interaction token used after 15 minutes")
		return fail(apiError(http.StatusUnauthorized, 50027, "Invalid Webhook Token"))
	}
	return is, nil
}

func (s *Server) getOriginal(req *request) reply {
	is, rep := s.webhookInteraction(req)
	if rep != nil {
		return *rep
	}
	if is.original == nil {
		return unknownMessage()
	}
	return reply{status: http.StatusOK, body: s.messageJSON(is.original)}
}

func (s *Server) editWebhookMessage(req *request) reply {
	is, rep := s.webhookInteraction(req)
	if rep != nil {
		return *rep
	}
	var m *Message
	first := false
	if mid, ok := req.params["message"]; ok && mid != is.originalID() {
		m = is.followups[mid]
	} else {
		m = is.original
		first = is.deferred && m != nil && m.Edits == 0
	}
	if m == nil {
		return unknownMessage()
	}
	var p msgPayload
	if json.Unmarshal(req.body, &p) != nil {
		return badJSON()
	}
	// The first edit of a deferred response is what users see arrive, so it
	// must carry allowed_mentions like a new message.
	if rep := s.checkMessage(req.route.name, p, req.files, first && p.content() != ""); rep != nil {
		return *rep
	}
	applyEdit(m, p, req.files, req.now)
	return reply{status: http.StatusOK, body: s.messageJSON(m)}
}

func (is *interactionState) originalID() string {
	if is.original == nil {
		return ""
	}
	return is.original.ID
}

func (s *Server) followup(req *request) reply {
	is, rep := s.webhookInteraction(req)
	if rep != nil {
		return *rep
	}
	var p msgPayload
	if json.Unmarshal(req.body, &p) != nil {
		return badJSON()
	}
	if rep := s.checkMessage(req.route.name, p, req.files, true); rep != nil {
		return *rep
	}
	m := s.storeMessage(is.channelID, p, req.files, is.token, req.now)
	is.followups[m.ID] = m
	if req.r.URL.Query().Get("wait") == "true" {
		return reply{status: http.StatusOK, body: s.messageJSON(m)}
	}
	return reply{status: http.StatusNoContent}
}
