package main

import (
	_ "github.com/bwmarrin/discordgo"
	_ "github.com/go-telegram/bot"
	_ "github.com/robfig/cron/v3"
	_ "modernc.org/sqlite"
	_ "golang.org/x/time/rate"
	_ "github.com/gorilla/websocket"
)

func main() {}
