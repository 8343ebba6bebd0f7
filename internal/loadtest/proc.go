package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
)

// procStatus reads VmRSS and VmHWM (bytes) from /proc/<pid>/status.
func procStatus(pid string) (rss, hwm int64) {
	raw, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			rss = n * 1024
		case "VmHWM":
			hwm = n * 1024
		}
	}
	return rss, hwm
}

// buildBinary builds the real shakeout binary, as `make build` does, from
// the module the tool runs in.
func buildBinary(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "shakeout")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, b)
	}
	return bin, nil
}

// run is one `shakeout run` process against the Telegram fake, seen from
// outside: when it started, when it first long-polled (getUpdates), when it
// printed its "running" line (after the first scheduler tick), and its
// memory while it ran.
type runObs struct {
	firstPoll time.Duration // start → first getUpdates reaching the fake
	running   time.Duration // start → "running" line on stdout
	peakRSS   int64         // highest VmRSS sampled (every 10 ms)
	hwm       int64         // VmHWM just before the stop
	stopped   time.Duration // SIGTERM → exit
	sent      int           // messages the fake received while it ran
}

// runBinary starts bin on db with only Telegram configured, pointed at a
// fresh Telegram fake through a recording proxy; it waits for the first
// getUpdates and the "running" line, then linger more, then stops it with
// SIGTERM as an operator would.
func runBinary(ctx context.Context, bin, db string, linger time.Duration) (runObs, error) {
	var obs runObs
	err := inTB(func(b *testing.B) error {
		tg := telegramtest.New(b)
		var once sync.Once
		polled := make(chan time.Time, 1)
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/getUpdates") {
				once.Do(func() { polled <- time.Now() })
			}
			tg.ServeHTTP(w, r)
		}))
		b.Cleanup(proxy.Close)
		cmd := exec.CommandContext(ctx, bin, "run")
		cmd.Env = []string{
			"SHAKEOUT_DB=" + db,
			"SHAKEOUT_TELEGRAM_TOKEN=" + tg.Token(),
			"SHAKEOUT_TELEGRAM_API_URL=" + proxy.URL,
			"SHAKEOUT_LOG_LEVEL=warn",
			"PATH=" + os.Getenv("PATH"),
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		pid := strconv.Itoa(cmd.Process.Pid)
		running := make(chan time.Time, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if strings.Contains(sc.Text(), "running") {
					running <- time.Now()
					break
				}
			}
			_, _ = io.Copy(io.Discard, stdout)
		}()
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		sample := func() {
			if rss, _ := procStatus(pid); rss > obs.peakRSS {
				obs.peakRSS = rss
			}
		}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		deadline := time.After(2 * time.Minute)
		var lingerEnd <-chan time.Time
		for lingerEnd == nil || obs.firstPoll == 0 {
			select {
			case t := <-polled:
				obs.firstPoll = t.Sub(start)
			case t := <-running:
				obs.running = t.Sub(start)
				lingerEnd = time.After(linger)
			case <-tick.C:
				sample()
			case err := <-exited:
				return fmt.Errorf("shakeout run exited early: %v\n%s", err, stderr.String())
			case <-deadline:
				_ = cmd.Process.Kill()
				return errors.New("shakeout run was not ready within 2 minutes")
			}
		}
		for waiting := true; waiting; {
			select {
			case <-tick.C:
				sample()
			case <-lingerEnd:
				waiting = false
			}
		}
		sample()
		_, obs.hwm = procStatus(pid)
		stop := time.Now()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			return err
		}
		select {
		case err := <-exited:
			obs.stopped = time.Since(stop)
			if err != nil {
				return fmt.Errorf("shakeout run exited with %v after SIGTERM\n%s", err, stderr.String())
			}
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			return errors.New("shakeout run did not stop within 20 s of SIGTERM")
		}
		obs.sent = len(tg.Sent())
		if v := tg.Violations(); len(v) > 0 {
			return fmt.Errorf("telegram fake recorded %d violations, first: %s", len(v), v[0])
		}
		return nil
	})
	return obs, err
}

// copyFile copies a closed SQLite database file.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
