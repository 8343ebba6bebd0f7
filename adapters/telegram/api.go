package telegram

import (
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// API is the part of the go-telegram/bot client the adapter calls: every
// Bot API method but getUpdates, which the adapter makes itself (see the
// package doc). The SDK's *tgbot.Bot satisfies it and is what New builds;
// unit tests give Deps.API a small in-package fake instead, while the
// loopback fake in telegramtest serves the whole protocol for the fault,
// load and end-to-end tests.
//
// Errors are the SDK's: tgbot.ErrorForbidden and the other sentinels
// wrapped with Telegram's description, *tgbot.TooManyRequestsError for a
// 429 and *tgbot.MigrateError for a group that became a supergroup.
type API interface {
	GetMe(ctx context.Context) (*models.User, error)
	SetMyCommands(ctx context.Context, p *tgbot.SetMyCommandsParams) (bool, error)
	SetWebhook(ctx context.Context, p *tgbot.SetWebhookParams) (bool, error)
	DeleteWebhook(ctx context.Context, p *tgbot.DeleteWebhookParams) (bool, error)
	GetChatMember(ctx context.Context, p *tgbot.GetChatMemberParams) (*models.ChatMember, error)
	AnswerCallbackQuery(ctx context.Context, p *tgbot.AnswerCallbackQueryParams) (bool, error)
	SendMessage(ctx context.Context, p *tgbot.SendMessageParams) (*models.Message, error)
	// SendPhoto uploads an image (multipart when the params carry an
	// upload), for messages that come with a chart.
	SendPhoto(ctx context.Context, p *tgbot.SendPhotoParams) (*models.Message, error)
	// GetFile and FileDownloadLink fetch a file a member sent: GetFile
	// gives its path, FileDownloadLink the URL to download it from (it
	// holds the token: never log it).
	GetFile(ctx context.Context, p *tgbot.GetFileParams) (*models.File, error)
	FileDownloadLink(f *models.File) string
}

var _ API = (*tgbot.Bot)(nil)
