// Package limit holds back members who send faster than the bot should
// answer: each member gets a burst and a steady rate, then one notice and a
// quiet cool-down. The adapters call it before handing a message to the
// core; cmd_run.go builds one Members for all of them.
package limit
