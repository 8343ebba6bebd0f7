package activity

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/muktihari/fit/decoder"
	"github.com/muktihari/fit/kit/datetime"
	"github.com/muktihari/fit/profile/basetype"
	"github.com/muktihari/fit/profile/typedef"
	"github.com/muktihari/fit/profile/untyped/fieldnum"
	"github.com/muktihari/fit/profile/untyped/mesgnum"
	"github.com/muktihari/fit/proto"
)

// semicircle is one FIT position unit in degrees (180 / 2^31).
const semicircle = 180.0 / (1 << 31)

// maxFieldDescriptions bounds the developer field descriptions in one FIT
// file. The decoder keeps every one it meets and searches them for each
// developer field, so a file made of them costs memory and time without
// end; a real file carries a few dozen at most (one per Connect IQ data
// field). Own choice.
const maxFieldDescriptions = 256

// fitListener receives every decoded FIT message and keeps only what the
// Activity needs, so the decoder retains nothing (WithBroadcastOnly). On
// a limit it records the error and cancels the decode through stop.
type fitListener struct {
	c          collector
	err        error // the first limit broken
	stop       context.CancelFunc
	fieldDescs int

	fileType     typedef.File
	fileTypeSeen bool

	// Totals summed over the session messages, and separately over the lap
	// messages for files without a session.
	sessions, laps fitTotals
	sportMesg      typedef.Sport
	sportMesgSeen  bool
}

// fitTotals adds up session (or lap) messages; a multisport file has one
// session per leg.
type fitTotals struct {
	n              int
	start          time.Time
	elapsed, timer time.Duration
	distanceM      float64
	distSet        bool
	hrWeighted     float64 // Σ avg HR × timer seconds
	hrWeight       float64
	maxHR          int
	sport          typedef.Sport
	mixedSports    bool
	sportSet       bool
}

func (l *fitListener) OnMesg(m proto.Message) {
	switch m.Num {
	case mesgnum.FileId:
		if v := m.FieldValueByNum(fieldnum.FileIdType).Uint8(); v != basetype.EnumInvalid {
			l.fileType, l.fileTypeSeen = typedef.File(v), true
		}
	case mesgnum.Record:
		l.record(&m)
	case mesgnum.Session:
		l.sessions.add(&m, fieldnum.SessionAvgHeartRate, fieldnum.SessionMaxHeartRate, fieldnum.SessionSport)
	case mesgnum.Lap:
		l.laps.add(&m, fieldnum.LapAvgHeartRate, fieldnum.LapMaxHeartRate, fieldnum.LapSport)
	case mesgnum.Sport:
		if v := m.FieldValueByNum(fieldnum.SportSport).Uint8(); v != basetype.EnumInvalid && !l.sportMesgSeen {
			l.sportMesg, l.sportMesgSeen = typedef.Sport(v), true
		}
	case mesgnum.FieldDescription:
		if l.fieldDescs++; l.fieldDescs > maxFieldDescriptions && l.err == nil {
			l.fail(newErr(ErrCorrupt, FormatFIT, fmt.Sprintf("more than %d developer field descriptions", maxFieldDescriptions), nil))
		}
	}
}

// fail records the first broken limit and stops the decoder.
func (l *fitListener) fail(err error) {
	if l.err == nil {
		l.err = err
		l.stop()
	}
}

func (l *fitListener) record(m *proto.Message) {
	if l.err != nil {
		return
	}
	ts := m.FieldValueByNum(fieldnum.RecordTimestamp).Uint32()
	if ts == basetype.Uint32Invalid {
		return
	}
	p := point{t: datetime.ToTime(ts), dist: math.NaN()}
	if d := m.FieldValueByNum(fieldnum.RecordDistance).Uint32(); d != basetype.Uint32Invalid {
		p.dist = float64(d) / 100
	}
	lat := m.FieldValueByNum(fieldnum.RecordPositionLat).Int32()
	lon := m.FieldValueByNum(fieldnum.RecordPositionLong).Int32()
	if lat != basetype.Sint32Invalid && lon != basetype.Sint32Invalid {
		p.lat, p.lon, p.hasPos = float64(lat)*semicircle, float64(lon)*semicircle, true
	}
	if hr := m.FieldValueByNum(fieldnum.RecordHeartRate).Uint8(); hr != basetype.Uint8Invalid {
		p.hr = int(hr)
	}
	if err := l.c.add(p); err != nil {
		l.fail(err)
	}
}

// add folds one session or lap message in. Session and lap share the field
// numbers for start, elapsed, timer and distance; heart rate and sport
// differ and are passed in.
func (t *fitTotals) add(m *proto.Message, avgHRField, maxHRField, sportField byte) {
	t.n++
	if v := m.FieldValueByNum(fieldnum.SessionStartTime).Uint32(); v != basetype.Uint32Invalid {
		if s := datetime.ToTime(v); t.start.IsZero() || s.Before(t.start) {
			t.start = s
		}
	}
	timer := time.Duration(0)
	if v := m.FieldValueByNum(fieldnum.SessionTotalElapsedTime).Uint32(); v != basetype.Uint32Invalid {
		t.elapsed += time.Duration(v) * time.Millisecond
	}
	if v := m.FieldValueByNum(fieldnum.SessionTotalTimerTime).Uint32(); v != basetype.Uint32Invalid {
		timer = time.Duration(v) * time.Millisecond
		t.timer += timer
	}
	if v := m.FieldValueByNum(fieldnum.SessionTotalDistance).Uint32(); v != basetype.Uint32Invalid {
		t.distanceM += float64(v) / 100
		t.distSet = true
	}
	if v := m.FieldValueByNum(avgHRField).Uint8(); v != basetype.Uint8Invalid && v > 0 {
		w := timer.Seconds()
		if w <= 0 {
			w = 1
		}
		t.hrWeighted += float64(v) * w
		t.hrWeight += w
	}
	if v := m.FieldValueByNum(maxHRField).Uint8(); v != basetype.Uint8Invalid {
		t.maxHR = max(t.maxHR, int(v))
	}
	if v := m.FieldValueByNum(sportField).Uint8(); v != basetype.EnumInvalid {
		s := typedef.Sport(v)
		if t.sportSet && s != t.sport {
			t.mixedSports = true
		}
		t.sport, t.sportSet = s, true
	}
}

// totals turns the summed messages into the file's stated totals.
func (t *fitTotals) totals() totals {
	var out totals
	if t.n == 0 {
		return out
	}
	out.start = t.start
	out.elapsed = t.elapsed
	out.timer = t.timer
	out.distanceM, out.distSet = t.distanceM, t.distSet
	if t.hrWeight > 0 {
		out.avgHR = int(math.Round(t.hrWeighted / t.hrWeight))
	}
	out.maxHR = t.maxHR
	switch {
	case t.mixedSports:
		out.sportName, out.sport = "multisport", SportOther
	case t.sportSet:
		out.sportName = fitSportName(t.sport)
		out.sport = sportFromWord(out.sportName)
	}
	return out
}

func fitSportName(s typedef.Sport) string {
	name := s.String()
	if strings.HasPrefix(name, "SportInvalid") {
		return ""
	}
	return name
}

func (p *parser) parseFIT(r io.Reader) (Activity, error) {
	ctx, stop := context.WithCancel(p.ctx)
	defer stop()
	l := &fitListener{c: collector{max: p.limits.MaxSamples}, stop: stop}
	dec := decoder.New(r, decoder.WithMesgListener(l), decoder.WithBroadcastOnly())
	sequences := 0
	for dec.Next() {
		if _, err := dec.DecodeWithContext(ctx); err != nil {
			if l.err != nil {
				return Activity{}, l.err
			}
			return Activity{}, p.fitError(err)
		}
		sequences++
		if l.err != nil {
			return Activity{}, l.err
		}
	}
	if l.err != nil {
		return Activity{}, l.err
	}
	if err := p.ctx.Err(); err != nil {
		return Activity{}, err
	}
	if sequences == 0 {
		return Activity{}, newErr(ErrCorrupt, FormatFIT, "no complete FIT data", nil)
	}
	if l.fileTypeSeen && l.fileType != typedef.FileActivity {
		return Activity{}, newErr(ErrNotActivity, FormatFIT, fmt.Sprintf("a FIT %s file, not an activity", l.fileType), nil)
	}
	tot := l.sessions.totals()
	if l.sessions.n == 0 {
		tot = l.laps.totals()
	}
	if tot.sportName == "" && l.sportMesgSeen {
		tot.sportName = fitSportName(l.sportMesg)
		tot.sport = sportFromWord(tot.sportName)
	}
	return summarize(FormatFIT, l.c.pts, tot)
}

// fitError classifies a decoder error.
func (p *parser) fitError(err error) error {
	switch {
	case errors.Is(err, decoder.ErrCRCChecksumMismatch):
		return newErr(ErrCorrupt, FormatFIT, "bad checksum (CRC)", err)
	case errors.Is(err, decoder.ErrNotFITFile):
		return newErr(ErrCorrupt, FormatFIT, "a FIT header that does not hold", err)
	case errors.Is(err, decoder.ErrMesgDefMissing):
		return newErr(ErrCorrupt, FormatFIT, "a record without its definition", err)
	}
	return p.classify(err)
}
