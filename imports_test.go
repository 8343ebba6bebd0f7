package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/shakeoutbot/shakeout"

// importRule says which packages one group of packages may depend on,
// directly or not. A package matches a pattern when it is the pattern or,
// for a pattern ending in "/...", lies under it.
type importRule struct {
	name string
	// pkgs are the packages the rule is about; except are left out of them.
	pkgs, except []string
	// onlyStd: besides the standard library, only allowed may be depended on.
	onlyStd bool
	allowed []string
	// forbidden may never be depended on.
	forbidden []string
}

// importRules are the arrows of the layout (README, "Layout"): the contract
// and the advice are leaves, only adapters speak to chat platforms, only the
// store speaks SQL, and adapters reach the core through small interfaces.
var importRules = []importRule{
	{name: "chat is the contract: standard library only", pkgs: []string{module + "/chat"}, onlyStd: true},
	{name: "coach is pure advice: standard library only", pkgs: []string{module + "/coach"}, onlyStd: true},
	{name: "the input parsers are pure: coach and the standard library only", pkgs: []string{module + "/bot/input"}, onlyStd: true,
		allowed: []string{module + "/coach"}},
	{name: "outbox depends on chat and the standard library only", pkgs: []string{module + "/outbox"}, onlyStd: true,
		allowed: []string{module + "/chat"}},
	{name: "only adapters import a chat SDK; only the stores import database/sql",
		pkgs: []string{module + "/bot/..."}, except: []string{module + "/bot/sqlite", module + "/bot/postgres", module + "/bot/sqlstore"},
		forbidden: []string{"github.com/bwmarrin/discordgo", "github.com/go-telegram/bot/...", "database/sql", "modernc.org/sqlite/..."}},
	{name: "the stores' shared core speaks database/sql to no driver in particular", pkgs: []string{module + "/bot/sqlstore"},
		forbidden: []string{"modernc.org/sqlite/...", "github.com/jackc/pgx/...", module + "/bot/sqlite", module + "/bot/postgres"}},
	{name: "adapters do not import the core", pkgs: []string{module + "/adapters/..."},
		forbidden: []string{module + "/bot/..."}},
	{name: "the core and the scheduler do not import adapters", pkgs: []string{module + "/bot/...", module + "/schedules"},
		forbidden: []string{module + "/adapters/..."}},
	{name: "the contract packages do not import the core", pkgs: []string{module + "/chat", module + "/outbox"},
		forbidden: []string{module + "/bot/...", module + "/adapters/..."}},
}

func matches(pattern, pkg string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

func matchesAny(patterns []string, pkg string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return matches(p, pkg) })
}

// packageDeps lists every package of the module (without tests) with its
// transitive dependencies, and the set of standard library packages.
func packageDeps(t *testing.T) (deps map[string][]string, std map[string]bool) {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}|{{.Standard}}|{{join .Deps \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps, std = map[string][]string{}, map[string]bool{}
	for line := range strings.Lines(string(out)) {
		path, rest, _ := strings.Cut(strings.TrimSpace(line), "|")
		isStd, list, _ := strings.Cut(rest, "|")
		if isStd == "true" {
			std[path] = true
		}
		deps[path] = strings.Fields(list)
	}
	return deps, std
}

// violations reports, per package a rule is about, the dependencies it
// breaks the rule with.
func violations(r importRule, deps map[string][]string, std map[string]bool) []string {
	var bad []string
	for pkg, ds := range deps {
		if !matchesAny(r.pkgs, pkg) || matchesAny(r.except, pkg) {
			continue
		}
		for _, d := range ds {
			switch {
			case matchesAny(r.forbidden, d):
			case r.onlyStd && !std[d] && !matchesAny(r.allowed, d):
			default:
				continue
			}
			bad = append(bad, pkg+" -> "+d)
		}
	}
	slices.Sort(bad)
	return bad
}

// TestImportRules compiles the layout's arrows into a check: a change that
// makes a package depend on what it must not fails here, naming the edge.
func TestImportRules(t *testing.T) {
	deps, std := packageDeps(t)
	for _, must := range []string{module + "/chat", module + "/coach", module + "/outbox", module + "/bot", module + "/bot/sqlite", module + "/adapters/telegram", module + "/adapters/discord"} {
		if _, ok := deps[must]; !ok {
			t.Fatalf("go list did not report %s", must)
		}
	}
	for _, r := range importRules {
		if bad := violations(r, deps, std); len(bad) > 0 {
			t.Errorf("%s:\n\t%s", r.name, strings.Join(bad, "\n\t"))
		}
	}
}
