package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
)

// Handler runs a command for one request and returns the replies to send.
type Handler interface {
	Handle(ctx context.Context, r *Request) ([]chat.Reply, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, r *Request) ([]chat.Reply, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, r *Request) ([]chat.Reply, error) { return f(ctx, r) }

// Command is the single definition of a command: every surface (help text,
// Telegram's menu, Discord's slash commands) is rendered from it.
type Command struct {
	Name string
	// Summary is one short line for menus (at most 100 characters).
	Summary string
	// Usage is the syntax, e.g. "/hr <age> <resting hr>".
	Usage string
	// Examples are complete, valid invocations.
	Examples []string
	// Help is a few sentences shown by /help <command>.
	Help    string
	Options []chat.Option
	// ClubAdmin commands run the club (its posts, broadcasts, recovery
	// weeks): they are refused to members who are not its coaches or the
	// group's administrators. (Package coach is the advice, not this role.)
	ClubAdmin bool
	// Private commands reply with personal data, privately.
	Private bool
	Handler Handler
	// ButtonPrefix routes button data "prefix:..." to Press.
	ButtonPrefix string
	Press        func(ctx context.Context, r *Request, arg string) ([]chat.Reply, error)
	// Precheck, when set, runs before the update's unit of work opens:
	// slow work that must not hold the database, such as a call to
	// another service. What it writes is not part of the unit, so only
	// writes that are harmless when repeated (a redelivered update runs
	// it again). Its result reaches the handler through precheckOf.
	Precheck func(ctx context.Context, m chat.Message) any
}

// Example returns the first example, for error messages.
func (c Command) Example() string {
	if len(c.Examples) == 0 {
		return c.Usage
	}
	return c.Examples[0]
}

// Registry holds the commands in the order they are shown.
type Registry struct {
	catalog *chat.Catalog
	list    []Command
	byName  map[string]int
	buttons map[string]int
}

// NewRegistry builds a registry, checking that names and button prefixes are
// unique and that each command is complete.
func NewRegistry(cmds ...Command) (*Registry, error) {
	r := &Registry{byName: map[string]int{}, buttons: map[string]int{}}
	for _, c := range cmds {
		if c.Name == "" || c.Summary == "" || c.Usage == "" || c.Handler == nil {
			return nil, fmt.Errorf("command %q is incomplete", c.Name)
		}
		if len(c.Summary) > 100 {
			return nil, fmt.Errorf("command %q: summary longer than 100 characters", c.Name)
		}
		if _, dup := r.byName[c.Name]; dup {
			return nil, fmt.Errorf("command %q registered twice", c.Name)
		}
		r.byName[c.Name] = len(r.list)
		if c.ButtonPrefix != "" {
			if _, dup := r.buttons[c.ButtonPrefix]; dup {
				return nil, fmt.Errorf("button prefix %q registered twice", c.ButtonPrefix)
			}
			if c.Press == nil {
				return nil, fmt.Errorf("command %q has a button prefix but no Press", c.Name)
			}
			r.buttons[c.ButtonPrefix] = len(r.list)
		}
		r.list = append(r.list, c)
	}
	specs := make([]chat.Command, len(r.list))
	for i, c := range r.list {
		specs[i] = c.Spec()
	}
	r.catalog = chat.NewCatalog(specs)
	return r, nil
}

// Spec is what adapters know of the command.
func (c Command) Spec() chat.Command {
	return chat.Command{Name: c.Name, Summary: c.Summary, Usage: c.Usage, Options: c.Options,
		ClubAdmin: c.ClubAdmin, Private: c.Private, ButtonPrefix: c.ButtonPrefix}
}

// Catalog is the commands as adapters see them.
func (r *Registry) Catalog() *chat.Catalog { return r.catalog }

// Commands returns every command in display order.
func (r *Registry) Commands() []Command { return append([]Command(nil), r.list...) }

// Lookup finds a command by name, case-insensitively.
func (r *Registry) Lookup(name string) (Command, bool) {
	i, ok := r.byName[strings.ToLower(name)]
	if !ok {
		return Command{}, false
	}
	return r.list[i], true
}

// ForButton finds the command that owns button data "prefix:arg".
func (r *Registry) ForButton(data string) (Command, string, bool) {
	prefix, arg, _ := strings.Cut(data, ":")
	i, ok := r.buttons[prefix]
	if !ok {
		return Command{}, "", false
	}
	return r.list[i], arg, true
}

// Suggest returns known command names close to an unknown one, for hints.
func (r *Registry) Suggest(name string) []string {
	name = strings.ToLower(name)
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, c := range r.list {
		d := editDistance(name, c.Name)
		if d <= 2 || (len(name) >= 2 && strings.HasPrefix(c.Name, name)) {
			cs = append(cs, cand{c.Name, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for _, c := range cs {
		out = append(out, c.name)
		if len(out) == 3 {
			break
		}
	}
	return out
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
