package sqlstore_test

import (
	"reflect"
	"testing"

	"github.com/shakeoutbot/shakeout/internal/storetest"
)

// TestSearchKnowledgeRemembered: a search asked again finds the same
// entries in the same order, even after a caller reordered what it got,
// on either store.
func TestSearchKnowledgeRemembered(t *testing.T) {
	ctx := t.Context()
	s := storetest.Open(t, fixedClock())
	first, err := s.SearchKnowledge(ctx, "taper OR marathon OR recovery", 5)
	if err != nil || len(first) < 2 {
		t.Fatalf("search: %d hits, %v", len(first), err)
	}
	want := append(first[:0:0], first...)
	first[0], first[1] = first[1], first[0]
	again, err := s.SearchKnowledge(ctx, "taper OR marathon OR recovery", 5)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, want) {
		t.Errorf("asked again: %v, want %v", again, want)
	}
	fewer, err := s.SearchKnowledge(ctx, "taper OR marathon OR recovery", 1)
	if err != nil || len(fewer) != 1 || fewer[0] != want[0] {
		t.Errorf("limit 1: %v, %v; want [%v]", fewer, err, want[0])
	}
}
