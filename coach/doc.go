// Package coach is Shakeout's domain: it decides which advice a member gets.
// The bot decides what to say and when; coach decides what is right.
//
// What it owns:
//
//   - The daily verdict (verdict.go): Decide turns a member's recent logs,
//     check-ins, profile, active race plan, the club's weekly pattern and a
//     recovery-week flag into exactly one of EASY, REST or HARD, with the rule
//     that fired, its reason in words and a suggested session. The rules are
//     tried in a fixed order and the first match decides; their numbers live
//     in one table (thresholds.go), each with its source.
//   - Load figures (load.go): session load is RPE × minutes (Foster 1998);
//     weekly load, the 28-day average week, week-over-week change,
//     acute:chronic ratio and monotony.
//   - Post-race plans (plans.go): day-by-day walkthroughs for the 5K, 10K,
//     half marathon and marathon, built from article 003 and stretched for
//     ultras, adapted by the member's Fresh / Sore / Hurting answers.
//   - Heart-rate maths (hr.go): the recovery ceiling by the heart-rate-reserve
//     (Karvonen) method at 65%, with the working shown, and the member's
//     resting-HR baseline.
//   - Sessions from recordings (trimp.go, hrsession.go, racefile.go): Banister
//     TRIMP and minutes in the threshold band from heart-rate samples, the
//     effort and kind (tempo or intervals) they imply, and when a recorded
//     run looks like a race worth asking about. Their numbers are listed by
//     Thresholds with the others.
//   - Civil dates and the stored value types (date.go, kinds.go): kinds of
//     session, levels, units, the club's week pattern, red flags.
//   - Red-flag triage (triage.go): Triage reads a question or a check-in
//     note and returns the most urgent symptom's tier (emergency, urgent,
//     injury) with the action to take; it runs before anything else.
//   - The knowledge base and question answering (kb.go, query.go, answer.go,
//     normalize.go, intent.go, scope.go, knowledge/): embedded Markdown
//     entries with their source article, distances, phase, question types
//     and intents; a question normalised (text-speak, typos against the
//     knowledge base's own words, distances with units, big races by name),
//     its slots found (distance, days since the race, body part, symptom,
//     activity, kind of question, intent such as "run again", everyday
//     subject such as sleep),
//     small talk and requests outside recovery recognised, and the question
//     matched to the entry that answers it, opened to fit the question.
//
// What it must not do: any I/O (files other than its embedded ones,
// network, database), logging, or reading the clock. Today's date and every
// record come in as arguments, so every function here is pure and a test
// can pin any day. It imports the standard library only.
//
// Facts come from the articles in ../shared/seeds/; every sentence a member
// reads is written in the project's own words.
package coach
