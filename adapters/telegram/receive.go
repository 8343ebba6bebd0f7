package telegram

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// allowedUpdates are the update kinds the bot acts on.
var allowedUpdates = []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateMyChatMember}

// errTokenRejected ends polling: nothing works with a rejected token.
var errTokenRejected = errors.New("telegram: the Bot API rejected the token (check SHAKEOUT_TELEGRAM_TOKEN)")

// conflictError is getUpdates' 409: another program polls with this bot
// token (or a webhook was set again meanwhile). Two pollers take each
// other's updates, so this one stops instead of competing.
type conflictError struct{ description string }

func (e *conflictError) Error() string {
	return "telegram: another program is receiving this bot's updates (409 Conflict: " + e.description + "); " +
		"stopping instead of competing for them. Only one shakeout (or other program) may use a bot token: " +
		"stop the other one, or give this one its own bot from @BotFather. " +
		"To run several shakeouts on one bot, use webhook mode (SHAKEOUT_TELEGRAM_WEBHOOK_URL) in every one, on a shared PostgreSQL SHAKEOUT_DB"
}

// runPolling is the getUpdates loop described in the package doc.
func (a *Adapter) runPolling(ctx context.Context) error {
	// A webhook left over from an earlier webhook run makes getUpdates fail
	// with 409; removing it keeps the updates Telegram holds.
	if _, err := a.tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil && ctx.Err() == nil {
		a.log.Warn("deleteWebhook failed", "error", a.scrub(err))
	}
	offset, err := a.state.TelegramOffset(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("telegram: read the polling offset: %w", err)
	}
	a.log.Info("polling for updates", "offset", offset)
	delay := time.Duration(0)
	for ctx.Err() == nil {
		next := int64(0)
		if offset > 0 {
			next = offset + 1
		}
		ups, wait, err := a.getUpdates(ctx, next)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var conflict *conflictError
			if errors.Is(err, errTokenRejected) || errors.As(err, &conflict) {
				return err
			}
			delay = max(backoff(delay), wait)
			a.log.Warn("getUpdates failed", "error", err, "retry_in_ms", delay.Milliseconds())
			sleep(ctx, delay)
			continue
		}
		delay = 0
		a.markContact(true)
		if len(ups) == 0 {
			continue
		}
		last := a.handleBatch(ctx, ups)
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if err := a.state.SetTelegramOffset(hctx, last); err != nil {
			// Polling on confirms the batch anyway; a restart before the
			// next successful save gets these updates again and the inbox
			// drops them.
			a.log.Error("store the polling offset", "error", err)
		}
		cancel()
		offset = last
	}
	return nil
}

// rawUpdate is one update as received, decoded lazily so that an update
// the SDK's models cannot decode is skipped instead of stalling the loop.
type rawUpdate struct {
	id  int64
	raw json.RawMessage
}

// getUpdates makes one long-poll call. wait is a retry_after to honour
// before trying again.
func (a *Adapter) getUpdates(ctx context.Context, offset int64) ([]rawUpdate, time.Duration, error) {
	body, _ := json.Marshal(struct {
		Offset         int64    `json:"offset,omitempty"`
		Timeout        int      `json:"timeout"`
		AllowedUpdates []string `json:"allowed_updates"`
	}{offset, int(a.pollTimeout / time.Second), allowedUpdates})
	rctx, cancel := context.WithTimeout(ctx, a.pollTimeout+15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, a.apiURL+"/bot"+a.token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, 0, a.scrub(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = "/getUpdates"
		}
		return nil, 0, a.scrub(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, 0, a.scrub(err)
	}
	var env struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, 0, fmt.Errorf("getUpdates: HTTP %d with an undecodable body", resp.StatusCode)
	}
	if !env.OK {
		switch env.ErrorCode {
		case http.StatusUnauthorized, http.StatusNotFound:
			return nil, 0, errTokenRejected
		case http.StatusConflict:
			return nil, 0, &conflictError{env.Description}
		}
		wait := time.Duration(env.Parameters.RetryAfter) * time.Second
		return nil, wait, a.scrub(fmt.Errorf("getUpdates: %d %s", env.ErrorCode, env.Description))
	}
	ups := make([]rawUpdate, 0, len(env.Result))
	for _, r := range env.Result {
		var head struct {
			ID int64 `json:"update_id"`
		}
		if err := json.Unmarshal(r, &head); err != nil {
			a.log.Error("getUpdates: an update without an update_id", "error", err)
			continue
		}
		ups = append(ups, rawUpdate{head.ID, r})
	}
	return ups, 0, nil
}

// handleBatch handles a batch and returns its highest update_id. Updates of
// one chat are handled in order; different chats run in parallel. Shutdown
// does not cancel it: every update taken is finished. Handling never waits
// for sending: replies go to per-chat queues (queue.go).
func (a *Adapter) handleBatch(ctx context.Context, ups []rawUpdate) int64 {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	var order []string
	byChat := map[string][]*models.Update{}
	last := int64(0)
	for _, r := range ups {
		last = max(last, r.id)
		u := &models.Update{}
		if err := json.Unmarshal(r.raw, u); err != nil {
			a.log.Error("undecodable update skipped", "update_id", r.id, "error", err)
			continue
		}
		key := chatKey(u)
		if _, ok := byChat[key]; !ok {
			order = append(order, key)
		}
		byChat[key] = append(byChat[key], u)
	}
	sem := make(chan struct{}, parallelChats)
	var wg sync.WaitGroup
	for _, key := range order {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for _, u := range byChat[key] {
				a.handleUpdate(hctx, u)
			}
		})
	}
	wg.Wait()
	return last
}

// chatKey groups updates that must be handled in order.
func chatKey(u *models.Update) string {
	switch {
	case u.Message != nil:
		return strconv.FormatInt(u.Message.Chat.ID, 10)
	case u.CallbackQuery != nil:
		if m := u.CallbackQuery.Message.Message; m != nil {
			return strconv.FormatInt(m.Chat.ID, 10)
		}
		return "user:" + strconv.FormatInt(u.CallbackQuery.From.ID, 10)
	case u.MyChatMember != nil:
		return strconv.FormatInt(u.MyChatMember.Chat.ID, 10)
	}
	return "other"
}

// runWebhook registers the webhook and serves it until ctx ends.
func (a *Adapter) runWebhook(ctx context.Context) error {
	u, err := url.Parse(a.webhook.URL)
	if err != nil {
		return fmt.Errorf("telegram: webhook URL: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	ln := a.webhook.Listener
	if ln == nil {
		ln, err = net.Listen("tcp", a.webhook.Listen)
		if err != nil {
			return fmt.Errorf("telegram: webhook listener: %w", err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle(path, a.WebhookHandler())
	// Every phase of a request is bounded: Telegram sends small bodies and
	// waits for the answer; the write timeout covers handling the update.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: handleTimeout + 10*time.Second, IdleTimeout: 2 * time.Minute}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	_, err = a.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL:            a.webhook.URL,
		SecretToken:    a.webhook.Secret.Reveal(),
		AllowedUpdates: allowedUpdates,
	})
	if err != nil && ctx.Err() == nil {
		_ = srv.Close()
		return fmt.Errorf("telegram: setWebhook: %w", a.scrub(err))
	}
	a.log.Info("receiving updates by webhook", "listen", ln.Addr().String(), "path", path)
	a.markContact(true)
	defer a.markContact(false)
	select {
	case err := <-served:
		return fmt.Errorf("telegram: webhook server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("telegram: webhook shutdown: %w", err)
	}
	return nil
}

// WebhookHandler serves Telegram's webhook requests: the secret header is
// checked in constant time (401 on mismatch, before anything is read), and
// the answer is 200 only after the update was handled, so Telegram resends
// whatever was not.
func (a *Adapter) WebhookHandler() http.Handler {
	secret := []byte(a.webhook.Secret.Reveal())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if len(secret) == 0 || subtle.ConstantTimeCompare(got, secret) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		u := &models.Update{}
		if err := json.Unmarshal(data, u); err != nil || u.ID == 0 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), handleTimeout)
		defer cancel()
		a.handleUpdate(ctx, u)
		w.WriteHeader(http.StatusOK)
	})
}
