// Package console is the terminal chat: the same core as the chat platforms,
// driven by lines from a terminal or a pipe, with a database of its own.
//
// It owns the scenario language (":as NAME [coach]", ":at YYYY-MM-DD HH:MM",
// ":file PATH" to send a file, ":quit"), a clock that moves only when told,
// the numbered rendering of buttons (typing the number presses one) and the
// printing of scheduled messages as they are sent. It must not decide what to say: that is the
// core's job.
package console
