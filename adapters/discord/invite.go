package discord

import "github.com/bwmarrin/discordgo"

// InvitePermissions are the permissions the invite link asks for, and all
// the bot uses: seeing the club's channel, posting there and in threads,
// and reading history so an answer to a mention can reply to it. Slash
// commands, buttons and DMs need none.
const InvitePermissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionSendMessagesInThreads | discordgo.PermissionReadMessageHistory
