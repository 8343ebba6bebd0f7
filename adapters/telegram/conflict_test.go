package telegram

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSecondPollerStopsCompeting: another program starts polling with the
// same token, and Telegram answers this adapter's poll with 409 Conflict.
// Run returns an error that says what is going on and what to do, instead
// of polling on and taking updates in turns with the other program.
func TestSecondPollerStopsCompeting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	e.srv.WaitCalls(t, "getUpdates", 1, wait)

	// The other program's poll: the newer poll wins, the adapter's gets 409.
	other, stop := context.WithCancel(context.Background())
	defer stop()
	// Like a real second instance it polls in a loop, so whichever of the
	// two polls reaches the server first, the adapter's is terminated soon.
	go func() {
		for other.Err() == nil {
			req, _ := http.NewRequestWithContext(other, http.MethodPost, e.srv.URL()+"/bot"+e.srv.Token()+"/getUpdates",
				strings.NewReader(`{"timeout":20}`))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			time.Sleep(10 * time.Millisecond)
		}
	}()

	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run kept polling after a 409 Conflict")
	}
	var conflict *conflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("Run returned %v, want the conflict", err)
	}
	for _, want := range []string{"another program is receiving this bot's updates", "409", "stop the other one"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), e.srv.Token()) {
		t.Error("the error holds the token")
	}
	e.stop = func() {}
}
