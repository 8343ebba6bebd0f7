package bot_test

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/internal/storetest"
)

// evalFile is the shared sample of members' questions; it lives beside the
// repository (../shared), so the test skips when it is absent.
const evalFile = "../../shared/eval/recovery_questions.tsv"

type evalCase struct {
	id, question string
	// check: groups separated by ';' must all appear; alternatives by '|'.
	check string
}

func readEval(t *testing.T, path string) []evalCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("eval file not found: %v", err)
	}
	defer f.Close()
	var cases []evalCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("bad eval line %q", line)
		}
		cases = append(cases, evalCase{parts[0], parts[1], parts[2]})
	}
	return cases
}

// passes applies the eval's rule: every ';' group must have one of its '|'
// alternatives in the answer, case-insensitively.
func passes(answer, check string) bool {
	low := strings.ToLower(answer)
	for _, group := range strings.Split(check, ";") {
		ok := false
		for _, alt := range strings.Split(group, "|") {
			if strings.Contains(low, strings.ToLower(strings.TrimSpace(alt))) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// openStore opens the store the tests run on (storetest: SQLite, or
// PostgreSQL when SHAKEOUT_TEST_POSTGRES is set).
func openStore(t *testing.T) storetest.Store {
	t.Helper()
	return storetest.Open(t, nil)
}

func TestEvalRecoveryQuestions(t *testing.T) {
	cases := readEval(t, evalFile)
	s := openStore(t)
	pass := 0
	for _, c := range cases {
		a, err := bot.Ask(t.Context(), s, c.question)
		if err != nil {
			t.Fatal(err)
		}
		if passes(a.Text, c.check) {
			pass++
		} else {
			t.Logf("%s FAIL %q -> topic %q\n%s", c.id, c.question, a.Topic, a.Text)
		}
	}
	t.Logf("eval: %d of %d passed", pass, len(cases))
	if need := len(cases) - 1; pass < need {
		t.Fatalf("eval: %d of %d passed, want at least %d", pass, len(cases), need)
	}
}

// TestParaphrases runs our own rewordings of members' questions; like the
// shared sample, they check the answering in general, so a few misses are
// tolerated but not more than one in ten.
func TestParaphrases(t *testing.T) {
	cases := readEval(t, "testdata/paraphrases.tsv")
	s := openStore(t)
	pass := 0
	for _, c := range cases {
		a, err := bot.Ask(t.Context(), s, c.question)
		if err != nil {
			t.Fatal(err)
		}
		if passes(a.Text, c.check) {
			pass++
		} else {
			t.Logf("%s miss %q -> topic %q", c.id, c.question, a.Topic)
		}
	}
	t.Logf("paraphrases: %d of %d passed", pass, len(cases))
	if pass*10 < len(cases)*9 {
		t.Fatalf("paraphrases: %d of %d passed, want at least 90%%", pass, len(cases))
	}
}

// TestAskHarder holds our own cases, phrased unlike the eval sample: typos,
// slang, rambling, two questions in one, red flags and off-topic questions.
func TestAskHarder(t *testing.T) {
	s := openStore(t)
	cases := []struct {
		name, question string
		check          string // as in the eval file; "" means must be unknown
		redFlag        bool
	}{
		{"slang down week", "do I still run in a down week or just chill", "lower|less|reduce|volume|fewer", false},
		{"cutback", "how often should I schedule a cutback week?", "3|4|three|four", false},
		{"doms", "got DOMS from yesterday's hills, normal?", "sore|soreness", false},
		{"dead legs", "my legs are dead after this week, what should I do", "rest|easy|recover", false},
		{"26.2", "how long does it take to bounce back from a 26.2?", "day|week", false},
		{"rambling", "so I started running last year and I've been doing ok but lately I keep wondering, like, after my long run on sundays what am I supposed to do on monday, run or not?", "rest|cross|easy", false},
		{"two in one", "what should I eat after a hard run and how much sleep do I need?", "protein;sleep", false},
		{"hr computed", "I'm 40 with resting HR 60, recovery run heart rate?", "138", false},
		{"hr computed words", "age 23, resting heart rate 50 — what's my recovery zone?", "146", false},
		{"hr without numbers", "how do I work out my recovery heart rate", "reserve|65", false},
		{"red flag chest", "I get chest pain when I run uphill, should I keep training?", "doctor", true},
		{"red flag limp", "limping since my long run, can I do intervals tomorrow", "doctor|physio", true},
		{"red flag dizzy", "felt dizzy and nearly fainted at the end of my tempo", "doctor", true},
		{"off topic capital", "what is the capital of France?", "", false},
		{"off topic pizza", "best pizza place near the track?", "", false},
		{"off topic code", "how do I write a for loop in python", "", false},
		{"typo", "how many rest dayz per week for a begginer", "2|3|two|three", false},
		{"xt", "is XT ok on a recovery day", "cycl|swim|cross", false},
		{"low mileage", "I only run 15 miles a week, do I need recovery days", "20|mile", false},
		{"epsom", "epsom salt bath after long run?", "epsom", false},
		{"drink", "what should i drink after a hot run", "electrolyte|water|drink", false},
		{"resting hr up", "my resting heart rate is up 8 beats this morning", "easy|rest", false},
		{"sick", "I've been sick with a cold, when can I run again", "ill|sick|cold", false},
		{"off topic bike", "how to fix a flat tire on my bike", "", false},
		{"off topic shoe", "recommend a good running shoe", "", false},
		{"off topic weather", "what's the weather tomorrow", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := bot.Ask(t.Context(), s, c.question)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Text) > 2000 {
				t.Errorf("answer has %d characters; must fit one Discord message", len(a.Text))
			}
			if c.check == "" {
				if a.Known || a.Topic != "" {
					t.Errorf("want an honest don't-know, got topic %q: %s", a.Topic, a.Text)
				}
				return
			}
			if !passes(a.Text, c.check) {
				t.Errorf("answer (topic %q) lacks %q:\n%s", a.Topic, c.check, a.Text)
			}
			if c.redFlag && (!a.RedFlag || !strings.HasPrefix(a.Text, "Stop")) {
				t.Errorf("red flag must lead with stop and see a professional:\n%s", a.Text)
			}
			if a.Topic != "" && a.Source == "" {
				t.Errorf("answer names no source")
			}
		})
	}
}

// ownCase is one row of testdata/ask_eval.tsv, our own evaluation.
type ownCase struct {
	id, category, question string
	must, mustNot, tier    string
}

func readOwnEval(t *testing.T, path string) []ownCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []ownCase
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 || len(f) > 6 {
			t.Fatalf("bad eval line %q", line)
		}
		for len(f) < 6 {
			f = append(f, "")
		}
		cases = append(cases, ownCase{f[0], f[1], f[2], f[3], f[4], f[5]})
	}
	return cases
}

// reassuring are words that must never follow a red-flag triage: comfort
// that it is normal, or any training to do.
var reassuring = []string{"normal", "nothing to worry", "fine to", "is fine", "jog", "easy run", "recovery run",
	"strides", "keep running", "minutes of", "walk it off", "carry on", "yes,", "yes."}

// failsMustNot reports the first must-not alternative found in the answer;
// "^yes" and "^no" test the answer's first word.
func failsMustNot(answer, mustNot string) string {
	low := strings.ToLower(answer)
	for _, alt := range strings.Split(mustNot, "|") {
		alt = strings.ToLower(strings.TrimSpace(alt))
		switch {
		case alt == "":
		case strings.HasPrefix(alt, "^"):
			first := strings.FieldsFunc(low, func(r rune) bool { return r == ' ' || r == ',' || r == '.' || r == '!' || r == ';' })
			if len(first) > 0 && first[0] == alt[1:] {
				return alt
			}
		case strings.Contains(low, alt):
			return alt
		}
	}
	return ""
}

// TestOwnEval runs our own evaluation and prints accuracy per category. The
// bar: 95% overall, every red flag at its tier with nothing reassuring
// after it, every off-topic question refused with what the bot can do.
func TestOwnEval(t *testing.T) {
	cases := readOwnEval(t, "testdata/ask_eval.tsv")
	if len(cases) < 200 {
		t.Fatalf("the evaluation has %d questions, want at least 200", len(cases))
	}
	runOwnEval(t, cases, 95)
}

// TestHoldout runs a second, smaller set written after the main one was
// tuned, as a check on how far the answering generalises. Its bar is lower,
// except for red flags and off-topic questions, which are never negotiable.
func TestHoldout(t *testing.T) {
	runOwnEval(t, readOwnEval(t, "testdata/ask_holdout.tsv"), 85)
}

// TestFresh runs a third set, written in new voices (forum posts, chat
// messages, a coach asking for an athlete, older and non-native runners)
// before the mechanisms it exercises were tuned.
func TestFresh(t *testing.T) {
	runOwnEval(t, readOwnEval(t, "testdata/ask_fresh.tsv"), 90)
}

func runOwnEval(t *testing.T, cases []ownCase, bar int) {
	t.Helper()
	s := openStore(t)
	type tally struct{ pass, n int }
	per := map[string]*tally{}
	var order []string
	total := tally{}
	for _, c := range cases {
		a, err := bot.Ask(t.Context(), s, c.question)
		if err != nil {
			t.Fatal(err)
		}
		var why []string
		if !passes(a.Text, c.must) {
			why = append(why, "lacks "+c.must)
		}
		if bad := failsMustNot(a.Text, c.mustNot); bad != "" {
			why = append(why, "has "+bad)
		}
		if c.tier != "" {
			if got := a.Tier.String(); got != c.tier {
				why = append(why, "tier "+got+", want "+c.tier)
			}
			// The advice itself, without the line naming its source.
			advice, _, _ := strings.Cut(a.Text, "Source:")
			if bad := failsMustNot(advice, strings.Join(reassuring, "|")); bad != "" {
				why = append(why, "reassures or prescribes: "+bad)
			}
		} else if a.Tier != coach.TierNone {
			why = append(why, "triaged as "+a.Tier.String())
		}
		if c.category == "offtopic" && (a.Known || a.Topic != "") {
			why = append(why, "answered from topic "+a.Topic)
		}
		if a.Kind == coach.KindAnswer && !strings.Contains(a.Text, "Source:") {
			why = append(why, "names no source")
		}
		if len(a.Text) > 2000 {
			why = append(why, "longer than one Discord message")
		}
		if per[c.category] == nil {
			per[c.category] = &tally{}
			order = append(order, c.category)
		}
		per[c.category].n++
		total.n++
		if len(why) == 0 {
			per[c.category].pass++
			total.pass++
		} else {
			t.Logf("%s FAIL %q (kind %s, topic %q): %s\n%s", c.id, c.question, a.Kind, a.Topic, strings.Join(why, "; "), a.Text)
		}
	}
	var b strings.Builder
	b.WriteString("\n| category | passed | accuracy |\n|---|---|---|\n")
	for _, cat := range order {
		p := per[cat]
		fmt.Fprintf(&b, "| %s | %d/%d | %.1f%% |\n", cat, p.pass, p.n, 100*float64(p.pass)/float64(p.n))
	}
	fmt.Fprintf(&b, "| **all** | %d/%d | %.1f%% |\n", total.pass, total.n, 100*float64(total.pass)/float64(total.n))
	t.Log(b.String())
	if total.pass*100 < total.n*bar {
		t.Errorf("overall %d of %d, want at least %d%%", total.pass, total.n, bar)
	}
	for _, cat := range []string{"redflag", "offtopic"} {
		if p := per[cat]; p != nil && p.pass != p.n {
			t.Errorf("%s must be 100%%", cat)
		}
	}
}

// TestPhrasingsAnswered: every phrasing in the knowledge base gets an
// answer, and nearly all of them their own entry's.
func TestPhrasingsAnswered(t *testing.T) {
	s := openStore(t)
	own, total := 0, 0
	for _, e := range coach.Entries() {
		for _, q := range e.Phrasings {
			a, err := bot.Ask(t.Context(), s, q)
			if err != nil {
				t.Fatal(err)
			}
			total++
			switch {
			case !a.Known:
				t.Errorf("%s: %q gets no answer (%s)", e.ID, q, a.Kind)
			case a.Topic == e.ID:
				own++
			default:
				t.Logf("%s: %q answered by %s %s", e.ID, q, a.Kind, a.Topic)
			}
		}
	}
	t.Logf("phrasings answered by their own entry: %d of %d", own, total)
	if own*100 < total*90 {
		t.Errorf("only %d of %d phrasings get their own entry, want 90%%", own, total)
	}
}
