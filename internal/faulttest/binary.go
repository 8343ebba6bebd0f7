package faulttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// MainPackage is the import path of the shakeout command.
const MainPackage = "github.com/shakeoutbot/shakeout"

var build struct {
	once sync.Once
	path string
	err  error
}

// Binary builds the shakeout binary once per test process and returns its
// path. It is built with -race when the tests are, so the build reuses the
// compiled packages; the go command that runs the tests must be on PATH.
// The file lives in a directory readable by every user, so a test may run
// it as another user.
func Binary(t testing.TB) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command on PATH to build the shakeout binary: %v", err)
	}
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "shakeout-faulttest-")
		if err != nil {
			build.err = err
			return
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			build.err = err
			return
		}
		out := filepath.Join(dir, "shakeout")
		args := []string{"build", "-o", out}
		if raceEnabled {
			args = append(args, "-race")
		}
		args = append(args, MainPackage)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, goCmd, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			build.err = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
			return
		}
		build.path = out
	})
	if build.err != nil {
		t.Fatalf("faulttest: building shakeout: %v", build.err)
	}
	return build.path
}

// Buffer is a bytes.Buffer safe for a child's output and the test at once.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Proc is a running shakeout child process.
type Proc struct {
	t      testing.TB
	cmd    *exec.Cmd
	Stdout Buffer
	Stderr Buffer
	done   chan struct{}
	state  *os.ProcessState
	ended  time.Time
}

// Options are how a child is started.
type Options struct {
	// Env is added to a copy of the test's environment from which every
	// SHAKEOUT_* variable was removed.
	Env map[string]string
	// Stdin feeds the child's standard input; nil means none.
	Stdin io.Reader
	// Credential, when set, runs the child as another user.
	Credential *syscall.Credential
}

// Start runs the shakeout binary with args. The child is killed when the
// test ends if it is still running, and its output is logged when the test
// failed.
func Start(t testing.TB, bin string, o Options, args ...string) *Proc {
	t.Helper()
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SHAKEOUT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range o.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &Proc{t: t, cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &p.Stdout, &p.Stderr, o.Stdin
	if o.Credential != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: o.Credential}
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("faulttest: start %s: %v", bin, err)
	}
	go func() {
		_ = cmd.Wait()
		p.state, p.ended = cmd.ProcessState, time.Now()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("child %v stdout:\n%s\nstderr:\n%s", args, p.Stdout.String(), p.Stderr.String())
		}
	})
	return p
}

// Signal sends sig to the child.
func (p *Proc) Signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		p.t.Fatalf("faulttest: signal %v: %v", sig, err)
	}
}

// Wait waits up to timeout for the child to exit and returns its exit code
// (-1 when a signal ended it) and when it ended. It fails the test on a
// timeout.
func (p *Proc) Wait(timeout time.Duration) (code int, ended time.Time) {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.t.Fatalf("faulttest: the child did not exit within %v", timeout)
	}
	return p.state.ExitCode(), p.ended
}

// Done is closed when the child has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Eventually polls cond every few milliseconds until it holds, failing the
// test after timeout with what it was waiting for. It returns early,
// failing, if the child exits first (when p is not nil).
func Eventually(t testing.TB, p *Proc, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		var done <-chan struct{}
		if p != nil {
			done = p.done
		}
		select {
		case <-done:
			if cond() {
				return
			}
			t.Fatalf("faulttest: the child exited (%v) while waiting for %s", p.state, what)
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			t.Fatalf("faulttest: timed out after %v waiting for %s", timeout, what)
		}
	}
}

// PID is the child's process id.
func (p *Proc) PID() int { return p.cmd.Process.Pid }
