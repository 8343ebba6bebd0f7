package coach

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// A prefilter holds the literal fragments that every match of a regular
// expression starts with, read from the expression itself. Most questions
// contain none of a rule's fragments, and a substring test is far cheaper
// than running the expression, which is what keeps answering fast.
type prefilter struct {
	re   *regexp.Regexp
	keys []string // nil: no fragment is certain, always run re
}

func newPrefilter(re *regexp.Regexp) prefilter {
	p := prefilter{re: re}
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return p
	}
	if keys, ok := leadingLiterals(tree.Simplify()); ok && len(keys) > 0 {
		for _, k := range keys {
			if k == "" {
				return p
			}
		}
		p.keys = keys
	}
	return p
}

// mayMatch reports whether re can match s; false only when it certainly cannot.
func (p prefilter) mayMatch(s string) bool {
	if p.keys == nil {
		return true
	}
	for _, k := range p.keys {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

// MatchString is re.MatchString behind the prefilter.
func (p prefilter) MatchString(s string) bool { return p.mayMatch(s) && p.re.MatchString(s) }

// leadingLiterals returns literals one of which starts every match of re,
// skipping zero-width assertions; ok is false when some match may start
// with something else (a character class, a repeat that can be empty).
// Literals are extended across a concatenation as far as they stay
// certain, so the factored "p(oint|urpose)" gives "point" and "purpose".
func leadingLiterals(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCapture:
		return leadingLiterals(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			keys, ok := leadingLiterals(sub)
			if !ok {
				return nil, false
			}
			out = append(out, keys...)
		}
		return out, true
	case syntax.OpConcat:
		acc := []string{""}
		for _, sub := range re.Sub {
			switch sub.Op {
			case syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginLine, syntax.OpBeginText, syntax.OpEmptyMatch:
				if len(acc) == 1 && acc[0] == "" {
					continue
				}
				return acc, true
			}
			keys, ok := leadingLiterals(sub)
			if !ok || len(acc)*len(keys) > 64 {
				break
			}
			next := make([]string, 0, len(acc)*len(keys))
			for _, a := range acc {
				for _, k := range keys {
					next = append(next, a+k)
				}
			}
			acc = next
			if !wholeLiteral(sub) {
				// Only the start of sub is certain; stop extending.
				return acc, true
			}
		}
		if len(acc) == 1 && acc[0] == "" {
			return nil, false
		}
		return acc, true
	case syntax.OpPlus:
		return leadingLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return leadingLiterals(re.Sub[0])
		}
	}
	return nil, false
}

// wholeLiteral reports whether every match of re is one of the literals
// leadingLiterals returns for it (a literal, or a group or alternation of them).
func wholeLiteral(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		return re.Flags&syntax.FoldCase == 0
	case syntax.OpCapture:
		return wholeLiteral(re.Sub[0])
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !wholeLiteral(sub) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !wholeLiteral(sub) {
				return false
			}
		}
		return true
	}
	return false
}
