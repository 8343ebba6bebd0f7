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
// It is the only non-test package that imports discordgo. It turns Discord
// events into bot.Message values and bot.Reply values into API calls; it
// never decides what to say, stores nothing durable (the DM channel cache
// and the pending "I couldn't DM you" hints live in memory), and never logs
// message text, health data or the token.
package discord
