package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
)

// Handler is the core, as the console sees it.
type Handler interface {
	Handle(ctx context.Context, m chat.Message) []chat.Reply
}

// Scheduler runs the scheduled jobs that fall due while the clock moves.
type Scheduler interface {
	// RunDue runs every job due up to now; what they send reaches the
	// console through its Send method.
	RunDue(ctx context.Context, now time.Time) error
}

// Clock is the console's time: it stands still until moved, so scenarios
// are repeatable.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Options configure a console session.
type Options struct {
	Club string
	As   string
	// ClubAdmin makes the speaker an administrator of the club's chat.
	ClubAdmin bool
	// Location is the club's timezone, for reading ":at" times.
	Location *time.Location
	Clock    *Clock
	// Echo prints each input line, for transcripts of piped scenarios.
	Echo bool
}

// Console is one terminal chat session.
type Console struct {
	h     Handler
	sched Scheduler
	opts  Options
	out   io.Writer
	outMu sync.Mutex
	// buttons are the choices last shown to each member, numbered from 1,
	// by user id; clubButtons are the last ones posted to the club, for
	// anyone. A number typed as a member presses their own.
	buttons     map[string][]chat.Button
	clubButtons []chat.Button
}

// New returns a console talking to h. sched may be nil.
func New(h Handler, sched Scheduler, out io.Writer, opts Options) *Console {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Clock == nil {
		opts.Clock = NewClock(time.Now())
	}
	return &Console{h: h, sched: sched, opts: opts, out: out, buttons: map[string][]chat.Button{}}
}

// SetHandler sets the core after construction, for wiring in which the core
// needs the console as its sender.
func (c *Console) SetHandler(h Handler) { c.h = h }

// SetScheduler sets the scheduler after construction.
func (c *Console) SetScheduler(s Scheduler) { c.sched = s }

// Run first sends what fell due while the console was closed (the
// scheduler's catch-up, as when the bot starts), then reads lines until EOF
// or ":quit".
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	if c.sched != nil {
		if err := c.sched.RunDue(ctx, c.opts.Clock.Now()); err != nil {
			c.printf("! %v\n", err)
		}
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return nil
		}
		line := strings.TrimRight(sc.Text(), "\r")
		if c.opts.Echo && strings.TrimSpace(line) != "" {
			c.printf("%s> %s\n", c.opts.As, line)
		}
		quit, err := c.Line(ctx, line)
		if err != nil {
			c.printf("! %v\n", err)
		}
		if quit {
			return nil
		}
	}
	return sc.Err()
}

// Line handles one input line and reports whether the session should end.
// Errors are mistakes in the scenario language, shown and then skipped.
func (c *Console) Line(ctx context.Context, line string) (bool, error) {
	t := strings.TrimSpace(line)
	switch {
	case t == "" || strings.HasPrefix(t, "#"):
		return false, nil
	case strings.HasPrefix(t, ":"):
		return c.directive(ctx, t)
	}
	m := chat.Message{
		Platform:      chat.PlatformConsole,
		ClubChatID:    c.opts.Club,
		ClubName:      c.opts.Club,
		ChatID:        c.opts.Club,
		UserID:        c.opts.As,
		UserName:      c.opts.As,
		UserHandle:    c.opts.As, // console names are unique, like a platform handle
		PlatformAdmin: c.opts.ClubAdmin,
		Time:          c.opts.Clock.Now(),
	}
	if n, err := strconv.Atoi(t); err == nil && len(c.buttonsOf(c.opts.As)) > 0 {
		buttons := c.buttonsOf(c.opts.As)
		if n < 1 || n > len(buttons) {
			return false, fmt.Errorf("there are %d buttons; type a number from 1 to %d", len(buttons), len(buttons))
		}
		m.Button = buttons[n-1].Data
	} else {
		m.Command, m.Args = ParseCommand(t)
	}
	c.show(c.h.Handle(ctx, m))
	if f, ok := c.sched.(Flusher); ok {
		return false, f.Flush(ctx)
	}
	return false, nil
}

// ParseCommand splits "/cmd args" into its name and arguments; other text
// is free text (an empty name).
func ParseCommand(text string) (string, string) {
	if !strings.HasPrefix(text, "/") {
		return "", text
	}
	name, args, _ := strings.Cut(text[1:], " ")
	name, _, _ = strings.Cut(name, "@")
	return strings.ToLower(name), strings.TrimSpace(args)
}

func (c *Console) directive(ctx context.Context, t string) (bool, error) {
	fields := strings.Fields(t)
	switch fields[0] {
	case ":quit", ":q", ":exit":
		return true, nil
	case ":as":
		if len(fields) < 2 || len(fields) > 3 || (len(fields) == 3 && fields[2] != "coach") {
			return false, errors.New("usage: :as NAME [coach], e.g. :as maya or :as tom coach")
		}
		// Each member keeps the buttons they were shown, so several members
		// can each answer their own.
		c.opts.As = fields[1]
		c.opts.ClubAdmin = len(fields) == 3
		return false, nil
	case ":at":
		if len(fields) != 3 {
			return false, errors.New("usage: :at YYYY-MM-DD HH:MM, e.g. :at 2026-06-10 09:00")
		}
		to, err := time.ParseInLocation("2006-01-02 15:04", fields[1]+" "+fields[2], c.opts.Location)
		if err != nil {
			return false, fmt.Errorf("can't read %q as a date and time: use YYYY-MM-DD HH:MM, e.g. :at 2026-06-10 09:00", fields[1]+" "+fields[2])
		}
		return false, c.Advance(ctx, to)
	case ":now":
		c.printf("it is %s\n", c.opts.Clock.Now().In(c.opts.Location).Format("Mon 2006-01-02 15:04 MST"))
		return false, nil
	case ":file":
		return false, c.sendFile(ctx, t)
	}
	return false, fmt.Errorf("unknown directive %s; use :as NAME [coach], :at YYYY-MM-DD HH:MM, :file PATH or :quit", fields[0])
}

// Advance moves the clock to `to`, minute by minute through every scheduled
// job that falls due on the way, so each is sent at its own time.
func (c *Console) Advance(ctx context.Context, to time.Time) error {
	from := c.opts.Clock.Now()
	if to.Before(from) {
		return fmt.Errorf("the clock only moves forward: it is already %s", from.In(c.opts.Location).Format("2006-01-02 15:04"))
	}
	if c.sched == nil {
		c.opts.Clock.Set(to)
		return nil
	}
	for t := from.Truncate(time.Minute).Add(time.Minute); !t.After(to); t = t.Add(time.Minute) {
		c.opts.Clock.Set(t)
		if err := c.sched.RunDue(ctx, t); err != nil {
			return err
		}
	}
	c.opts.Clock.Set(to)
	return c.sched.RunDue(ctx, to)
}

// Send prints a scheduled message as it is delivered.
func (c *Console) Send(to chat.Recipient, r chat.Reply) {
	when := c.opts.Clock.Now().In(c.opts.Location).Format("Mon 2006-01-02 15:04")
	who := "club " + to.ChatID
	if to.Private {
		who = to.UserID + " (private)"
	}
	c.printReply(fmt.Sprintf("[%s] to %s: ", when, who), r)
	if len(r.Buttons) > 0 {
		c.outMu.Lock()
		if to.Private && to.UserID != "" {
			c.buttons[to.UserID] = flatten(r.Buttons)
		} else {
			c.clubButtons = flatten(r.Buttons)
		}
		c.outMu.Unlock()
	}
}

// buttonsOf returns the buttons a member would press by number: their own
// last ones, else the club's.
func (c *Console) buttonsOf(member string) []chat.Button {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	if b := c.buttons[member]; len(b) > 0 {
		return b
	}
	return c.clubButtons
}

func (c *Console) show(rs []chat.Reply) {
	for _, r := range rs {
		prefix := "shakeout: "
		if r.Private {
			prefix = "shakeout (private to " + c.opts.As + "): "
		}
		c.printReply(prefix, r)
		if len(r.Buttons) > 0 {
			c.outMu.Lock()
			c.buttons[c.opts.As] = flatten(r.Buttons)
			c.outMu.Unlock()
		}
	}
}

func flatten(rows [][]chat.Button) []chat.Button {
	var out []chat.Button
	for _, row := range rows {
		out = append(out, row...)
	}
	return out
}

func (c *Console) printReply(prefix string, r chat.Reply) {
	indent := strings.Repeat(" ", 4)
	var sb strings.Builder
	sb.WriteString(prefix)
	lines := strings.Split(r.Text, "\n")
	for i, l := range lines {
		if i > 0 {
			sb.WriteString(indent)
		}
		sb.WriteString(l)
		sb.WriteString("\n")
	}
	if len(r.Buttons) > 0 {
		sb.WriteString(indent)
		for i, b := range flatten(r.Buttons) {
			if i > 0 {
				sb.WriteString("  ")
			}
			fmt.Fprintf(&sb, "[%d] %s", i+1, b.Label)
		}
		sb.WriteString("   (type the number)\n")
	}
	c.printf("%s", sb.String())
}

func (c *Console) printf(format string, args ...any) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	fmt.Fprintf(c.out, format, args...)
}
