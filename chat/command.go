package chat

import (
	"context"
	"strings"
)

// OptionType is the type of a command option, used by platforms with typed
// options (Discord slash commands).
type OptionType string

// The option types.
const (
	OptionString  OptionType = "string"
	OptionInteger OptionType = "integer"
	// OptionUser is a member of the server, by platform id.
	OptionUser OptionType = "user"
	// OptionChannel is a text channel or thread of the server.
	OptionChannel OptionType = "channel"
	// OptionAttachment is a file uploaded with the command (Discord); the
	// adapter puts it in Message.Attachment instead of the text arguments.
	OptionAttachment OptionType = "attachment"
)

// Option is one argument of a command. Adapters with typed options render
// each as a typed field and join the values back into the text arguments in
// declaration order, so every platform goes through the same parsing.
type Option struct {
	Name        string
	Description string
	Type        OptionType
	Required    bool
	// Choices restrict the value (rendered as a fixed list where supported).
	Choices []string
	// Keyword options are written "name value" in the text form (rpe 7).
	Keyword bool
	// Autocomplete asks the platform to offer completions (timezones).
	Autocomplete bool
}

// Command is what an adapter knows of a command: enough to render it in a
// menu or as a slash command and to route a button press. The core's
// registry holds the handlers.
type Command struct {
	Name string
	// Summary is one short line for menus (at most 100 characters).
	Summary string
	// Usage is the syntax, e.g. "/hr <age> <resting hr>".
	Usage   string
	Options []Option
	// ClubAdmin commands are refused to members who do not run the club.
	ClubAdmin bool
	// Private commands reply with personal data, privately.
	Private bool
	// ButtonPrefix routes button data "prefix:..." to the command.
	ButtonPrefix string
}

// Catalog is the list of commands in display order, with lookups by name
// and by button prefix. The zero value is empty.
type Catalog struct {
	list    []Command
	byName  map[string]int
	buttons map[string]int
}

// NewCatalog indexes commands; names are matched case-insensitively. The
// core checks that names and prefixes are unique before building it.
func NewCatalog(cmds []Command) *Catalog {
	c := &Catalog{list: append([]Command(nil), cmds...), byName: map[string]int{}, buttons: map[string]int{}}
	for i, cmd := range c.list {
		c.byName[strings.ToLower(cmd.Name)] = i
		if cmd.ButtonPrefix != "" {
			c.buttons[cmd.ButtonPrefix] = i
		}
	}
	return c
}

// Commands returns every command in display order.
func (c *Catalog) Commands() []Command {
	if c == nil {
		return nil
	}
	return append([]Command(nil), c.list...)
}

// Lookup finds a command by name, case-insensitively.
func (c *Catalog) Lookup(name string) (Command, bool) {
	if c == nil {
		return Command{}, false
	}
	i, ok := c.byName[strings.ToLower(name)]
	if !ok {
		return Command{}, false
	}
	return c.list[i], true
}

// ForButton finds the command that owns button data "prefix:arg".
func (c *Catalog) ForButton(data string) (Command, string, bool) {
	if c == nil {
		return Command{}, "", false
	}
	prefix, arg, _ := strings.Cut(data, ":")
	i, ok := c.buttons[prefix]
	if !ok {
		return Command{}, "", false
	}
	return c.list[i], arg, true
}

// Core is what an adapter needs of the bot core: an answer to each message,
// and the commands to render. *bot.Bot implements it; ops wraps it to count
// and time messages.
type Core interface {
	Handle(ctx context.Context, m Message) []Reply
	Catalog() *Catalog
}
