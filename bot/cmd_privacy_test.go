package bot_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestMyDataIsEverythingAboutMeAndNothingElse(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes age 38")
	h.say("maya", "/log tempo 8km 40min")
	h.say("maya", "/checkin sleep 3 rhr 51")
	h.say("maya", "/raced 10k yesterday")
	h.say("tom", "/settings consent yes")
	h.say("tom", "/log long 30km")
	h.say("tom", "/checkin rhr 77")

	rs := h.replies("maya", "/mydata")
	if len(rs) != 1 || !rs[0].Private {
		t.Fatalf("/mydata = %+v; want one private reply", rs)
	}
	var doc struct {
		Tables map[string][]map[string]any `json:"tables"`
	}
	if err := json.Unmarshal([]byte(rs[0].Text), &doc); err != nil {
		t.Fatalf("/mydata is not JSON: %v\n%s", err, rs[0].Text)
	}
	for _, table := range []string{"members", "sessions", "checkins", "race_plans"} {
		if len(doc.Tables[table]) == 0 {
			t.Errorf("/mydata has no %s", table)
		}
	}
	maya := h.member("maya")
	for table, rows := range doc.Tables {
		for _, row := range rows {
			id := row["member_id"]
			if table == "members" {
				id = row["id"]
			}
			if id != nil && id != float64(maya.ID) {
				t.Errorf("/mydata holds a %s row of member %v", table, id)
			}
		}
	}
	if strings.Contains(rs[0].Text, "77") || strings.Contains(rs[0].Text, "tom") {
		t.Errorf("/mydata shows tom's data:\n%s", rs[0].Text)
	}
}

func TestForgetMeNeedsConfirmation(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/log easy 30min")
	rs := h.replies("maya", "/forgetme")
	if got := h.press("maya", buttonData(t, rs, "Cancel")); !strings.Contains(got, "nothing was deleted") {
		t.Fatalf("cancel = %q", got)
	}
	if got := h.press("maya", buttonData(t, rs, "Yes, delete everything")); !strings.Contains(got, "expired or was already finished") {
		t.Fatalf("yes after cancel = %q", got)
	}
	if s := h.stored("maya"); !strings.Contains(s, `"sessions"`) {
		t.Fatal("the log went after a cancel")
	}
	old := h.replies("maya", "/forgetme")
	rs = h.replies("maya", "/forgetme")
	if got := h.press("maya", buttonData(t, old, "Yes, delete everything")); !strings.Contains(got, "expired") {
		t.Fatalf("a replaced confirmation = %q", got)
	}
	h.set(tuesday.Add(11 * time.Minute))
	if got := h.press("maya", buttonData(t, rs, "Yes, delete everything")); !strings.Contains(got, "expired") {
		t.Fatalf("a late confirmation = %q", got)
	}
	rs = h.replies("maya", "/forgetme")
	if got := h.press("tom", buttonData(t, rs, "Yes, delete everything")); !strings.Contains(got, "expired") {
		t.Fatalf("tom confirming maya's deletion = %q", got)
	}
	if got := h.press("maya", buttonData(t, rs, "Yes, delete everything")); !strings.Contains(got, "everything I stored about you is deleted") {
		t.Fatalf("confirm = %q", got)
	}
	if s := h.stored("maya"); strings.Contains(s, `"sessions"`) {
		t.Fatalf("after /forgetme: %s", s)
	}
}
