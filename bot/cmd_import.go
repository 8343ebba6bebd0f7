package bot

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/bot/activity"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// importCommand logs a session from a watch file sent in chat: a message
// with a file and no command comes here, and so does /import with a file
// (Discord's slash command with an attachment option).
func importCommand(b *Bot) Command {
	return Command{
		Name:     "import",
		Summary:  "Log a session from your watch's file (FIT, GPX or TCX)",
		Usage:    "/import <file>",
		Examples: []string{"/import file:Morning_Run.fit"},
		Help: "Send me the file your watch recorded (FIT, GPX or TCX, also .gz or Garmin's .zip; up to 20 MB) and I log the session: " +
			"sport, date, time, distance and, when you have agreed to health data and I know your resting and maximum heart rate, " +
			"the load and hard-or-easy from your heart rate (Banister TRIMP and the minutes in your threshold band). " +
			"Without heart rate I ask how hard it felt. The same activity sent twice is logged once. " +
			"In a direct message just attach the file; in a server use /import and attach it.",
		Options: []chat.Option{
			{Name: "file", Description: "the .fit, .gpx or .tcx file from your watch", Type: chat.OptionAttachment, Required: true},
		},
		Private:      true,
		ButtonPrefix: "import",
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			return b.importFile(ctx, r)
		}),
		Press: b.pressImport,
	}
}

// importFile fetches, parses and logs the message's file.
func (b *Bot) importFile(ctx context.Context, r *Request) ([]chat.Reply, error) {
	att := r.Msg.Attachment
	if att == nil || att.Fetch == nil {
		return nil, Errorf(CodeInvalid, "Attach the file your watch recorded (a .fit, .gpx or .tcx file) to a message to me, "+
			"or in a server use /import and attach it. Garmin Connect: open the activity, ⚙ → Export Original.")
	}
	limits := activity.DefaultLimits(r.Now)
	if att.Size > limits.MaxBytes {
		return nil, fileError(&activity.Error{Kind: activity.ErrTooLarge, Detail: "over the size limit"}, att.Name)
	}
	data, err := att.Fetch(ctx, limits.MaxBytes)
	if errors.Is(err, chat.ErrAttachmentTooLarge) {
		return nil, fileError(&activity.Error{Kind: activity.ErrTooLarge, Detail: "over the size limit"}, att.Name)
	}
	if err != nil {
		return nil, err
	}
	a, err := activity.ParseContext(ctx, bytes.NewReader(data), att.Name, limits)
	if err != nil {
		var e *activity.Error
		if errors.As(err, &e) {
			b.log.Info("activity file refused", "platform", r.Msg.Platform, "user_id", r.Msg.UserID,
				"kind", e.Kind.Error(), "format", string(e.Format), "bytes", len(data))
		}
		return nil, fileError(err, att.Name)
	}
	res, err := b.ImportActivity(ctx, r.Member, r.Location(), a, ImportFile, "", r.Now)
	if err != nil {
		return nil, fileError(err, att.Name)
	}
	out := ImportReplies(res, r.Member.Units, r.Today())
	if res.Outcome == ImportLogged {
		more, err := b.afterLog(ctx, r, res.Session)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// pressImport handles the buttons under an imported session (see
// importRPEButton).
func (b *Bot) pressImport(ctx context.Context, r *Request, arg string) ([]chat.Reply, error) {
	if arg == strings.TrimPrefix(importNoRace, "import:") {
		return []chat.Reply{{Text: "Fine, it stays a training run. /raced starts a recovery plan any time."}}, nil
	}
	kind, rest, _ := strings.Cut(arg, ":")
	idText, rpeText, _ := strings.Cut(rest, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || (kind != "rpe" && kind != "race") {
		return nil, Errorf(CodeNotFound, "That button has expired. Send the file again to get fresh buttons.")
	}
	s, x, err := b.store.ImportedByID(ctx, r.Member.ID, id)
	if errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeNotFound, "That session is no longer in your log (deleted or undone), so the button no longer works. Send the file again to log it.")
	}
	if err != nil {
		return nil, err
	}
	today := r.Today()
	if kind == "race" {
		if s.Kind != coach.KindRace {
			s.Kind = coach.KindRace
			if !s.RPEGiven {
				s.RPE = coach.KindRace.DefaultRPE()
			}
			if err := b.store.UpdateSession(ctx, r.Member.ID, s); err != nil {
				return nil, err
			}
		}
		return b.startPlan(ctx, r, s.DistanceKm, s.Date)
	}
	n, err := strconv.Atoi(rpeText)
	if err != nil || n < 1 || n > 10 {
		return nil, Errorf(CodeNotFound, "That button has expired. Send the file again to get fresh buttons.")
	}
	s.RPE, s.RPEGiven = n, true
	if err := b.store.UpdateSession(ctx, r.Member.ID, s); err != nil {
		return nil, err
	}
	out := []chat.Reply{{Text: "Effort saved: " + describeSession(s, r.Member.Units, today) + "."}}
	if x.Sport == string(activity.SportRun) && s.Kind != coach.KindRace {
		if km, race := coach.RaceLike(s.DistanceKm, coach.HRLoad{}, false, n); race {
			out = append(out, raceQuestion(s, km, r.Member.Units))
		}
	}
	return out, nil
}

// prefetchAttachment downloads a message's file before the update's unit
// of work begins, so a slow download never holds the store's shared write
// batch (or the member's lock) open; the core then reads the bytes from
// memory. A file over the size limit is not downloaded at all.
func prefetchAttachment(ctx context.Context, m chat.Message, now time.Time) chat.Message {
	att := m.Attachment
	if att == nil || att.Fetch == nil || m.Button != "" {
		return m
	}
	limit := activity.DefaultLimits(now).MaxBytes
	var data []byte
	var err error
	if att.Size > limit {
		err = chat.ErrAttachmentTooLarge
	} else {
		data, err = att.Fetch(ctx, limit)
	}
	fetched := *att
	fetched.Fetch = func(context.Context, int64) ([]byte, error) { return data, err }
	m.Attachment = &fetched
	return m
}
