package bot

import (
	"context"
	"encoding/json"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
)

// MemberRecords exports what is stored about one member.
type MemberRecords interface {
	// ExportMember returns every row about the member, by table, each row
	// a column → value map; nothing about anyone else.
	ExportMember(ctx context.Context, memberID int64) (map[string][]map[string]any, error)
}

// myData is the /mydata document.
type myData struct {
	ExportedAt time.Time                   `json:"exported_at"`
	About      string                      `json:"about"`
	Tables     map[string][]map[string]any `json:"tables"`
}

func mydataCommand(b *Bot) Command {
	return Command{
		Name:     "mydata",
		Summary:  "Everything I store about you, as JSON",
		Usage:    "/mydata",
		Examples: []string{"/mydata"},
		Help: "Sends you everything I store about you, as a JSON document, privately: your settings, your training " +
			"log, check-ins, recovery plan and anything else with your name on it. /forgetme deletes it all.",
		Private: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if r.Args != "" {
				return nil, Invalidf("/mydata", "/mydata takes nothing after it.")
			}
			tables, err := b.store.ExportMember(ctx, r.Member.ID)
			if err != nil {
				return nil, err
			}
			doc := myData{
				ExportedAt: r.Now.UTC(),
				About:      "Everything Shakeout stores about you, table by table. Times are UTC; dates are in the timezone stored beside them.",
				Tables:     tables,
			}
			raw, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				return nil, err
			}
			return []chat.Reply{{Text: string(raw)}}, nil
		}),
	}
}
