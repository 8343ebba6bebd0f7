// Package chart draws Shakeout's pictures: the member's last 28 days of
// training load (Week), the post-race recovery plan as a strip of days
// (Recovery) and a coach's aggregate view of the club's morning (Club). Each
// returns a PNG sized for a phone screen, and a matching Summary function
// returns a short text the caller sends as the caption, so a member who
// cannot see the picture still gets its content.
//
// The package owns the drawing and nothing else. It takes plain value
// structs that the caller fills and must not read a store, import a chat SDK,
// log, or read the clock: every date comes in through the data, so the same
// data always gives the same picture. Deciding who may see a picture (a name
// in the title only in a private chat, the club picture only for coaches) is
// the caller's job; the club picture's data type holds no names at all and
// the renderer refuses too few members (ErrTooFewMembers), so privacy of the
// club view does not depend on the caller.
//
// Rendering uses the drawing layers of gonum.org/v1/plot (vg paths, the
// vgimg rasteriser, text layout, the font cache) rather than
// github.com/go-analyze/charts. The pictures are not stock charts: bars
// coloured one by one by what the day was, rest and unlogged days drawn as
// short stubs with a letter under every bar, a shaded current week, flag
// marks, a calendar-like strip of plan days, bars that stand for "1–2".
// gonum's canvas draws each of those marks exactly where the data puts
// it; go-analyze/charts is built around whole series with one colour each
// and leaves less room for marks outside its chart types. The package does
// not import gonum.org/v1/plot itself: that package's init parses all
// twelve Liberation faces and links every output format (PDF, SVG, LaTeX),
// about 5 MB of binary and of resident memory in any process that links
// it, while the week chart needs only an axis, a few ticks and a grid,
// drawn here. Text uses Liberation Sans regular and bold, embedded from the
// font module gonum/plot uses and parsed on first use; no system font is
// ever read.
//
// Some drawing bypasses the library for speed, all inside this package:
// upright text is drawn straight onto the image from glyph masks cached
// across pictures (the library's image canvas pushes every glyph through a
// general transform and makes a new font face for every string),
// rectangles and outlines are filled on whole pixels, and the PNG is
// written by writePNG as a paletted image of the picture's 256 most used
// colours, the flat colours that carry meaning always exact and the rare
// anti-aliased edge blends mapped to their nearest. Pixel buffers are
// pooled. The same data always gives the same bytes.
//
// Colours come from the Okabe–Ito palette, which stays distinguishable with
// the common forms of colour blindness; no pair of meanings is told apart by
// red against green alone, and every coloured mark also carries a letter or
// word. The pictures have their own dark slate background with light text,
// which reads on the dark and the light themes of Telegram and Discord alike.
//
// Club picture privacy rule: at least MinClubMembers members must
// contribute; the number of contributors is shown only as a band of five
// (10–14), and bars are scaled to the band's top, so an exact total never
// sits beside a hidden count; any count from 1 to SmallCell−1 is shown as
// "1–2", never its value; plan days are counted in fixed groups (race day,
// days 1, 2 and 3, days 4–6, then weeks of the plan), and a group with
// fewer than SmallCell members is merged with its neighbour until every
// range shown holds at least SmallCell. When fewer than SmallCell members
// are in a plan at all, the picture says "1–2" and gives no day. A test
// shows that clubs differing only in where one or two members sit give
// byte-identical pictures.
package chart
