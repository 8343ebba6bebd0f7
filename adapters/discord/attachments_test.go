package discord_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/bot/activity/fittest"
)

func rideFile(t *testing.T) []byte {
	t.Helper()
	w := fittest.Steady(time.Now().Add(-3*time.Hour).Truncate(time.Second), 45*time.Minute, 8, 0)
	w.Ride = true
	data, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDMAttachmentIsImported(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	f := e.srv.AddAttachment("Evening_Ride.fit", rideFile(t))
	e.srv.Dispatch("MESSAGE_CREATE", e.srv.DMMessage(dmChanID, discordtest.User{ID: memberID, Username: "ann"}, "", f))
	discordtest.WaitFor(t, func() bool { return len(e.srv.Messages(dmChanID)) >= 2 }, 20*time.Second)
	m := e.core.last(t)
	if m.Attachment == nil || m.Attachment.Name != "Evening_Ride.fit" || m.Attachment.Size != int64(f.Size) || m.Command != "" {
		t.Fatalf("core saw %+v", m)
	}
	got := e.srv.Messages(dmChanID)
	if !strings.Contains(got[0].Content, "Logged from a FIT file: cross") || !strings.Contains(got[1].Content, "How hard did it feel") {
		t.Errorf("replies = %q, %q", got[0].Content, got[1].Content)
	}
	if e.srv.AttachmentDownloads() != 1 {
		t.Errorf("%d downloads, want 1", e.srv.AttachmentDownloads())
	}
	e.srv.AssertNoViolations(t)
}

func TestImportSlashCommandWithAttachment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	var def string
	for _, c := range e.srv.Commands(guildID) {
		if c.Name == "import" {
			def = string(c.Raw)
		}
	}
	if !strings.Contains(def, `"type":11`) {
		t.Fatalf("/import is not registered with an attachment option: %s", def)
	}
	f := e.srv.AddAttachment("run.fit", rideFile(t))
	i := e.command(member(), "import", discordtest.AttachmentOption("file", f))
	m := e.core.last(t)
	if m.Command != "import" || m.Args != "" || m.Attachment == nil || m.Attachment.Name != "run.fit" {
		t.Fatalf("core saw /%s %q %+v", m.Command, m.Args, m.Attachment)
	}
	if r := e.response(i); r.Flags&64 == 0 {
		t.Errorf("the answer to /import in a server is not ephemeral: %+v", r)
	}
	var texts []string
	discordtest.WaitFor(t, func() bool {
		texts = texts[:0]
		for _, msg := range e.answer(i, channelID) {
			texts = append(texts, msg.Content)
		}
		return strings.Contains(strings.Join(texts, "\n"), "How hard did it feel")
	}, 20*time.Second)
	if !strings.Contains(strings.Join(texts, "\n"), "Logged from a FIT file: cross") {
		t.Errorf("answer = %q", texts)
	}
	// A file that is not an activity: the reason, in words.
	bad := e.srv.AddAttachment("notes.txt", []byte("8 km easy"))
	i = e.command(member(), "import", discordtest.AttachmentOption("file", bad))
	discordtest.WaitFor(t, func() bool { return len(e.answer(i, channelID)) > 0 }, 20*time.Second)
	if got := e.answer(i, channelID)[0].Content; !strings.Contains(got, "not an activity file") {
		t.Errorf("bad file answer = %q", got)
	}
	e.srv.AssertNoViolations(t)
}
