// Package telegram connects the bot core to Telegram through
// github.com/go-telegram/bot. It owns everything Telegram-specific:
// receiving updates (long polling or a webhook), turning them into
// chat.Message values with its own command parsing, rendering chat.Reply
// values as messages with inline keyboards, the command menu, the
// administrator check, and Telegram's limits on the way out.
//
// It must not decide what to say (that is the core's job), keep state of its
// own beyond short-lived caches, or log message text, health data or the
// token. It and its test fake are the only packages that import the SDK.
// It reaches the core only through chat.Core and delivers for the outbox as
// an outbox.Sender; it never imports package bot (imports_test.go). Every
// Bot API call but getUpdates goes through API (api.go), which the SDK's
// client satisfies; unit tests drive the adapter with a small fake of it,
// and the fault, load and end-to-end tests with the loopback fake
// (telegramtest).
//
// # Receiving without losing or repeating an update
//
// Telegram forgets an update once getUpdates is called with a higher offset.
// The SDK's polling loop (Bot.Start) raises its offset as soon as it has
// queued a batch, before any handler ran, even with WithNotAsyncHandlers:
// the last update of every batch is confirmed while it is still being
// handled, and a crash then loses it. The SDK exports no raw request or
// getUpdates call to build a loop on. So the adapter runs its own small
// getUpdates loop over the same HTTP client: it asks for updates above the
// stored offset, handles the whole batch (different chats in parallel, each
// chat in order), stores the batch's last update_id through State, and only
// then polls again, which is what confirms the batch to Telegram. A crash
// mid-batch makes Telegram resend the batch on restart, and the core's inbox
// (keyed by Message.UpdateID, the update_id) drops the updates it already
// handled. Every other call goes through the SDK. It asks for messages,
// callback queries and my_chat_member, which says when a member blocks or
// unblocks the bot and when a group removes or adds it back (reachability
// is recorded through Reach at once, without waiting for a failed send).
//
// Handling never waits for sending. Replies go to a queue per chat, sent by
// that chat's own worker at Telegram's pace, with the members of a group
// taking turns; so one chat's flood delays no other chat, and a callback
// query is answered as soon as the core has handled it (a refusal that
// concerns only the presser comes back as its alert, never as a group
// message). Members over the inbound limits (Limiter) get one notice and are
// ignored for the cool-down. On stop the queues get a few seconds to drain;
// whatever is still unsent is stored in the outbox (Spool) and delivered
// after the next start.
//
// In webhook mode Telegram retries any request not answered with 2xx, so the
// handler answers only after the update was handled; a wrong or missing
// secret header gets 401 before anything is read or stored.
//
// # Understanding messages
//
// Commands are found through bot_command entities (UTF-16 offsets), so
// "/today", "/today@ourbot", and "💪 /today" after an emoji or text all work;
// "/today@otherbot" is ignored. A mention of the bot (@username, or a
// text_mention of it) or a reply to one of its messages is a question, as is
// any free text in a direct message. Other group chatter is ignored.
//
// Anonymous group administrators (messages sent on behalf of the group, or
// of a channel) are answered with a request to send it again from their own
// account: the bot cannot tell who they are, so it can neither keep their
// personal data apart from anyone else's nor check their coach rights per
// person. Coach commands and button presses of coach commands are checked
// with getChatMember (creator or administrator), cached for a minute.
//
// # Sending
//
// Replies go to the forum topic (message_thread_id) they were asked in;
// club posts to the topic a coach chose. A closed or deleted topic sends the
// message to General instead; a club post with General closed as well is a
// *outbox.RefusedError for the coaches to fix.
//
// Replies and scheduled messages are plain text (no parse mode, so nothing
// needs escaping), split at 4,096 UTF-16 units on paragraph, line or word
// boundaries, with the buttons under the last part. Pacing keeps every send
// under Telegram's limits as Telegram counts them, by arrival
// (internal/pace): 30 messages in any second overall (Deps.PerSecond), one
// in any second per chat and 20 in any minute per group. A short 429 is waited out
// and retried; a long one holds the chat back and is returned as
// *outbox.RetryAfterError for scheduled messages, while an interactive reply is
// dropped with a log line rather than stalling the updates behind it. 403s
// are outbox.ErrUnreachable and a group upgrade is *outbox.ChatMovedError for
// scheduled messages; for an interactive reply the move is stored through
// OnChatMoved and the reply sent once to the new id. Private replies to a group message go to the member's direct
// chat; a member who never started one gets, once per process, a group hint
// with a t.me deep link whose /start payload runs the command in private.
package telegram
