package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/bot/chart"
	"github.com/shakeoutbot/shakeout/chat"
)

const clubPictureExample = "/club picture on"

// tooFewForPicture is the refusal of the club picture. It gives no count:
// below the threshold even the number who agreed says too much.
var tooFewForPicture = Errorf(CodeNotFound, "There's no club picture yet: it needs at least %d members who agreed to health data "+
	"(/settings consent yes), so that no count can point at one person. Fewer than that have, so far.", chart.MinClubMembers)

// clubToday sends the coach the club picture, privately.
func (b *Bot) clubToday(ctx context.Context, r *Request, args string) ([]chat.Reply, error) {
	if strings.TrimSpace(args) != "" {
		return nil, Invalidf("/club today", "/club today takes nothing after it; it always shows today.")
	}
	img, err := b.clubPicture(ctx, r.Club, r.Now)
	if errors.Is(err, chart.ErrTooFewMembers) {
		return nil, tooFewForPicture
	}
	if err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: "The club today, from members who agreed to health data (counts only, no names).", Image: img, Private: true}}, nil
}

// setClubPicture turns the club picture in the morning club post on or off.
func (b *Bot) setClubPicture(ctx context.Context, r *Request, args string) ([]chat.Reply, error) {
	ps, err := b.pictureStore()
	if err != nil {
		return nil, err
	}
	var on bool
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "on", "yes":
		on = true
	case "off", "no":
	default:
		return nil, Invalidf(clubPictureExample, "Say on or off: /club picture on adds the club picture to the morning club post, /club picture off takes it out.")
	}
	if err := ps.SetClubPictureMorning(ctx, r.Club.ID, on); err != nil {
		return nil, err
	}
	if !on {
		return []chat.Reply{{Text: "The morning club post goes out as text only. /club today still shows you the club picture."}}, nil
	}
	return []chat.Reply{{Text: fmt.Sprintf("The morning club post now carries the club picture: counts of EASY, REST and HARD and of post-race plan days, "+
		"from members who agreed to health data, never names. On a day fewer than %d of them count, the post goes as text only.", chart.MinClubMembers)}}, nil
}
