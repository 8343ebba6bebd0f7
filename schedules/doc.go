// Package schedules decides when the bot's daily messages fall due: the
// club's morning post, members' personal morning messages and post-race
// steps, and the recovery-week reminders.
//
// It owns the timing only. robfig/cron/v3 ticks every minute (with panic
// recovery and no overlapping runs, which cron does not give by default);
// on each tick the Scheduler asks package bot for its daily jobs, works out
// with pure functions which slot of each job is due (see SlotTime and
// Latest for the daylight-saving rules), and hands due slots back to bot,
// which builds the messages and puts them in the outbox under keys of
// what, who and local date. So a double tick, a restart or a clock change
// never sends twice and never skips a day. Slots up to two hours late are
// still sent (the bot was down); older ones are recorded as missed.
//
// It must not build message text, touch storage or talk to a platform.
package schedules
