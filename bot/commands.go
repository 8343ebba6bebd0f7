package bot

// commands lists every command in the order /help and the menus show them.
// Each command is defined in its own cmd_*.go file.
var commands = []func(*Bot) Command{
	startCommand,
	helpCommand,
	askCommand,
	todayCommand,
	logCommand,
	importCommand,
	checkinCommand,
	racedCommand,
	recoveryCommand,
	hrCommand,
	weekCommand,
	settingsCommand,
	connectCommand,
	disconnectCommand,
	syncCommand,
	mydataCommand,
	forgetmeCommand,
	stopCommand,
	clubCommand,
	recoveryWeekCommand,
	broadcastCommand,
	previewCommand,
	coachCommand,
}
