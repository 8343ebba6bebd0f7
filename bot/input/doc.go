// Package input reads what members type: durations, distances, dates,
// times of day (Clock), timezones, scores, and the plausible ranges of each.
// Its parsers are pure (text in, a value or a plain-words error out) and
// import only package coach and the standard library; the commands in
// package bot add a correct example to each error.
package input
