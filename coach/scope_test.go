package coach

import "testing"

func TestSmallTalkAndScope(t *testing.T) {
	cases := []struct {
		text string
		want ReplyKind
	}{
		{"hey", KindGreeting},
		{"good morning coach", KindGreeting},
		{"hows it going", KindGreeting},
		{"good night", KindGreeting},
		{"thanks!", KindThanks},
		{"cheers mate, that helped", KindThanks},
		{"what can you do", KindAbout},
		{"what's your name", KindAbout},
		{"should I take ibuprofen after my marathon", KindMedication},
		{"are painkillers ok before a long run", KindMedication},
		{"im pregnant can i still run", KindMedication},
		{"can i run after covid", KindMedication},
		{"my asthma plays up when i run", KindMedication},
		{"what will the weather be tomorrow", KindOutOfScope},
		{"make me a training plan for a sub 3 marathon", KindOutOfScope},
		{"which running shoes should I buy", KindOutOfScope},
		{"whats the marathon world record", KindOutOfScope},
		// recovery questions that merely share a word with those topics
		{"how do i get back to running after a cold", ""},
		{"should my plan include a lighter week", ""},
		{"do fitter runners recover faster", ""},
		{"my watch says my resting heart rate is high", ""},
	}
	for _, c := range cases {
		a, ok := ParseQuestion(c.text).smallTalk()
		got := ReplyKind("")
		if ok {
			got = a.Kind
		}
		if got != c.want {
			t.Errorf("%q: kind %q, want %q", c.text, got, c.want)
		}
	}
}
