package config

import (
	"os"
	"strings"
	"testing"
)

// ReadmeRow is how a variable appears in the README's configuration table.
func readmeRow(v Variable) string {
	def := ""
	if v.Default != "" {
		def = "`" + v.Default + "`"
	}
	return "| `" + v.Name + "` | " + def + " | " + v.Description + " |"
}

// TestReadmeListsEveryVariable keeps the README's configuration table true:
// every variable Load reads is listed there, with its default.
func TestReadmeListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Variables() {
		if row := readmeRow(v); !strings.Contains(string(readme), row) {
			t.Errorf("README.md lacks the row\n%s", row)
		}
	}
}
