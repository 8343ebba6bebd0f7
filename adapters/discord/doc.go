// Package discord runs Shakeout on Discord with github.com/bwmarrin/discordgo.
//
// It owns everything Discord-specific: the gateway connection (only the
// non-privileged intents guilds, guild messages and direct messages; fatal
// close codes stop the bot instead of burning the daily identify budget),
// slash commands rendered from the core's registry and registered by bulk
// overwrite, interactions (deferred at once, then edited; ephemeral when
// personal), buttons, mentions and direct messages as questions, personal
// nudges by DM, and Discord's limits: a global request rate under 50/s,
// per-route buckets, 429s returned to the dispatcher instead of slept out,
// a nonce with enforce_nonce on every message it creates, allowed_mentions
// that ping nobody, and text split at 2,000 characters.
//
// A club's posts go to the channel its coaches chose (a server's id is
// never a channel). Discord refusing one for a reason a coach can fix
// (10003 unknown channel, 50001 missing access, 50013 missing permission,
// 50083 archived thread) is a *outbox.RefusedError saying what to fix, not an
// unreachable club. DM channels it opens are stored through DMs; opening
// them is paced, and a 40003 ("too fast") slows it down further. 50007 and
// 50278 make a member unreachable, with a one-time hint. Server removal and
// return (GUILD_DELETE, GUILD_CREATE) are reported through Reach; events
// are handled in order for that, the slow ones in goroutines of their own.
//
// It is the only non-test package that imports discordgo. It turns Discord
// events into chat.Message values and chat.Reply values into API calls; it
// never decides what to say, keeps only caches and the pending "I couldn't
// DM you" hints in memory, and never logs message text, health data or the
// token. It reaches the core only through chat.Core and delivers for the
// outbox as an outbox.Sender; it never imports package bot (imports_test.go).
// Every REST call goes through REST (rest.go), which the discordgo session
// satisfies (the gateway stays on the session); unit tests drive the adapter
// with a small fake of it, and the fault, load and end-to-end tests with the
// loopback fake (discordtest).
package discord
