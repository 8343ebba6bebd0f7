package telegramtest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Real 403 descriptions; every one of them is permanent.
const (
	DescBlockedByUser    = "Forbidden: bot was blocked by the user"
	DescUserDeactivated  = "Forbidden: user is deactivated"
	DescKickedFromGroup  = "Forbidden: bot was kicked from the group chat"
	DescCantInitiateChat = "Forbidden: bot can't initiate conversation with a user"
)

// Fault is an injected failure. Code is the HTTP status and error_code.
type Fault struct {
	Code            int
	Description     string
	RetryAfter      int   // sent as parameters.retry_after
	MigrateToChatID int64 // sent as parameters.migrate_to_chat_id
	// Accepted makes the server carry the request out (a sent message is
	// recorded as delivered) and still answer with the error, as when a
	// response is lost; use it to test duplicate sends.
	Accepted bool
	// Body, when set, replaces the JSON envelope (sent as text/html), like
	// the nginx pages Telegram's front end returns for 502.
	Body string
	// Delay holds the answer back, e.g. to trip a client timeout.
	Delay time.Duration
}

// TooManyRequests is a 429 with parameters.retry_after.
func TooManyRequests(retryAfter int) Fault {
	return Fault{
		Code:        http.StatusTooManyRequests,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		RetryAfter:  retryAfter,
	}
}

// Forbidden is a 403 with the given description, e.g. DescBlockedByUser.
func Forbidden(description string) Fault {
	return Fault{Code: http.StatusForbidden, Description: description}
}

// Migrated is the 400 a group that became a supergroup answers with.
func Migrated(toChatID int64) Fault {
	return Fault{
		Code:            http.StatusBadRequest,
		Description:     "Bad Request: group chat was upgraded to a supergroup chat",
		MigrateToChatID: toChatID,
	}
}

// InternalError is a 500 in the JSON envelope.
func InternalError() Fault {
	return Fault{Code: http.StatusInternalServerError, Description: "Internal Server Error"}
}

// BadGateway is a 502 with the HTML body Telegram's nginx front end sends,
// which clients fail to decode as JSON.
func BadGateway() Fault {
	return Fault{
		Code:        http.StatusBadGateway,
		Description: "Bad Gateway",
		Body:        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n",
	}
}

// AcceptedThenFailed carries the request out, then answers 500.
func AcceptedThenFailed() Fault {
	f := InternalError()
	f.Accepted = true
	return f
}

func (f Fault) response() response {
	if f.Body != "" {
		return response{status: f.Code, body: []byte(f.Body), contentType: "text/html", description: f.Description}
	}
	var p *errParams
	if f.RetryAfter != 0 || f.MigrateToChatID != 0 {
		p = &errParams{RetryAfter: f.RetryAfter, MigrateToChatID: f.MigrateToChatID}
	}
	return apiError(f.Code, f.Description, p)
}

// FailNext queues f for the next call of method (case-insensitive, as the
// API treats method names). Calls queue up: each call consumes one fault.
func (s *Server) FailNext(method string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := strings.ToLower(method)
	s.methodFaults[m] = append(s.methodFaults[m], f)
}

// FailNextChat queues f for the next call of any method whose chat_id is
// chatID. Chat faults are consumed before method faults.
func (s *Server) FailNextChat(chatID int64, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatFaults[chatID] = append(s.chatFaults[chatID], f)
}

// BlockChat makes every call naming chatID answer 403 with description
// (DescBlockedByUser when empty) until UnblockChat.
func (s *Server) BlockChat(chatID int64, description string) {
	if description == "" {
		description = DescBlockedByUser
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = description
}

// UnblockChat undoes BlockChat.
func (s *Server) UnblockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// MigrateChat makes every call naming the old group id answer the migrate
// error pointing at newID, as the real API does after an upgrade.
func (s *Server) MigrateChat(oldID, newID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.migrated[oldID] = newID
	if c, ok := s.chats[oldID]; ok {
		c.ID, c.Type = newID, ChatSupergroup
		s.chats[newID] = c
	}
}

func (s *Server) takeFaultLocked(method string, chatID int64, hasChat bool) (Fault, bool) {
	if hasChat {
		if q := s.chatFaults[chatID]; len(q) > 0 {
			s.chatFaults[chatID] = q[1:]
			return q[0], true
		}
	}
	if q := s.methodFaults[method]; len(q) > 0 {
		s.methodFaults[method] = q[1:]
		return q[0], true
	}
	return Fault{}, false
}
