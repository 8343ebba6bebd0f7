// Package activity reads the files sports watches write (FIT, GPX, TCX,
// each optionally gzip-compressed or inside a zip export) into one
// platform-neutral Activity: sport, start instant, elapsed, timer and moving
// time, distance, average and maximum heart rate and the heart-rate samples.
//
// What it owns:
//
//   - Format detection by content, never by file name (Parse): the FIT
//     header, the XML root element (gpx, TrainingCenterDatabase), the gzip
//     and zip magic numbers.
//   - The three parsers (fit.go, gpx.go, tcx.go). FIT uses the
//     github.com/muktihari/fit decoder in streaming mode; GPX and TCX are
//     read token by token with encoding/xml, so no parser holds more than
//     the samples it keeps.
//   - The rules that turn samples into figures when a file states no totals
//     (summary.go), moving time among them.
//   - The bounds that keep a hostile file from stalling the bot (Limits):
//     bytes as sent, bytes after decompression, samples kept, and a time
//     limit checked on every read and every FIT message; besides these,
//     XML nesting depth and text length, and FIT developer field
//     descriptions (which the decoder keeps) are capped.
//   - Typed errors (errors.go) for a file that is not an activity file, is
//     corrupt, holds no samples, is too large, took too long or lies in the
//     future, each with a suggested fix the core can show.
//
// What it must not do: talk to a chat platform, the store or the network,
// read the clock (the caller passes now in Limits), log, or decide load and
// hardness: that is package coach (coach.HeartRateLoad). It returns the
// start as a UTC instant; turning it into the member's local date is the
// caller's job.
package activity
