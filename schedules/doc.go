// Package schedules decides when the bot's daily messages fall due: the
// club's morning post, members' personal morning messages and post-race
// steps, and the recovery-week reminders.
//
// It owns the timing only. robfig/cron/v3 ticks every minute (with panic
// recovery and no overlapping runs, which cron does not give by default).
// Its boundary with package bot is two calls (JobRunner): on each tick the
// Scheduler asks for the daily jobs afresh, so a changed setting counts from
// the next minute, works out with pure functions which slot of each job is
// due (see SlotTime and Latest for the daylight-saving rules), and hands the
// due slots to RunSlots. bot keeps the ledger: it builds the messages and
// puts them in the outbox under keys of what, who and local date, records
// slots more than two hours late (the bot was down) as missed, and prunes
// old outcomes. So a double tick, a restart or a clock change never sends
// twice and never skips a day.
//
// It must not build message text, touch storage or talk to a platform.
package schedules
