// Package discordtest is a fake Discord (REST API v9 and gateway) for tests.
//
// It owns an httptest server on 127.0.0.1 that speaks enough of Discord for a
// real *discordgo.Session to run against it: the gateway handshake (HELLO,
// IDENTIFY, READY, heartbeat ACK, RESUME, close codes), dispatching events
// such as INTERACTION_CREATE, and the REST routes a bot needs (application
// commands, interaction callbacks and webhooks, channel messages, DMs, users,
// guilds, members, roles). It answers with Discord's rate-limit headers and
// 429 bodies, and records every call, message and interaction response.
//
// Behaviour Discord would punish or reject is recorded as a Violation so a
// test can assert there were none: exceeding a route bucket or the global
// 50 requests/s, content over 2,000 characters, messages without
// allowed_mentions {"parse": []}, custom_id over 100 characters, nonce over 25
// characters, interaction callbacks after 3 s or twice, and more than 10,000
// invalid (401/403/429) requests. Faults (429, 403 50007/50001/50278/40003,
// 5xx and "created then failed") can be queued per route.
//
// Channels are real: a message to a channel id the fake does not know is
// refused with 404 Unknown Channel (10003), as Discord does; a guild's own
// id in particular is no channel. Channels exist once added (AddChannel,
// AddDMChannel), seen in a dispatched interaction or message, or opened as
// a DM. DeleteChannel makes one unknown again, DenySend answers 403 Missing
// Permissions (50013). A user option (UserOption) carries resolved.users,
// and resolved.members only for members of the interaction's guild.
//
// Pointing a session at the fake: Attach replaces the session's HTTP client
// with one whose transport rewrites every request for discord.com to the fake
// (discordgo's Endpoint* variables stay untouched, so parallel tests do not
// race on package state). The fake's GET /api/v9/gateway answers with its own
// ws://127.0.0.1:PORT/ws URL, so Open dials the fake directly:
//
//	srv := discordtest.New(t)
//	s, _ := discordgo.New("Bot " + srv.Token())
//	s.ShouldReconnectOnError = false
//	srv.Attach(s)
//	err := s.Open()
//
// Repointing discordgo.EndpointDiscord is not enough: EndpointAPI,
// EndpointChannels, EndpointGateway and the rest are separate package
// variables computed from it at init, and rewriting them all is global state
// shared by every test in the binary. The transport rewrite avoids both.
//
// discordgo v0.29.0 behaviour the fake reproduces or relies on:
//   - Open calls GET /api/v9/gateway (no auth needed), adds a trailing "/" and
//     dials "<url>/?v=9&encoding=json"; the fake serves /ws and /ws/.
//   - Close and CloseWithCode sleep 1 s and close with 1000, which invalidates
//     the session; discordgo still keeps its session ID and sequence, so the
//     next Open sends RESUME, gets op 9 and then IDENTIFYs again.
//   - A close code on a running connection is not surfaced: listen logs it,
//     calls Close (1 s) and emits Disconnect. With ShouldReconnectOnError it
//     reopens forever, even after 4004/4014. The code is only visible as the
//     *websocket.CloseError returned by a later Open.
//   - Op 7 (RequestReconnect) closes with 1012 and reconnects only when
//     ShouldReconnectOnError is set.
//   - MessageSend has no nonce or enforce_nonce: send them through
//     Session.RequestWithBucketID with a struct embedding *MessageSend.
//   - A zero MessageAllowedMentions marshals "parse": null, which Discord
//     reads as "parse nothing"; the fake accepts it.
//   - InteractionResponseData always sends "content" and null "components"
//     and "embeds": a type 7 update clears content and embeds it does not
//     repeat ("components": null keeps the buttons, as on Discord).
//   - REST retries 429 forever by default and resends after 502 up to
//     MaxRestRetries; a 500 is returned as *RESTError. X-RateLimit-Global is
//     honoured only together with X-RateLimit-Reset-After, which Discord's
//     global 429 does not send.
//   - State mutates event structs after handlers start: reading Ready.Guilds
//     in a handler races with GUILD_CREATE (go test -race reports it).
//
// The package is imported only by tests. It must not import other packages
// of this module, must never reach the real Discord, and listens only on
// 127.0.0.1.
package discordtest
