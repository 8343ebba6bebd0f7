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
	if keys, ok := leadingLiterals(tree.Simplify()); ok {
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
		for _, sub := range re.Sub {
			switch sub.Op {
			case syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginLine, syntax.OpBeginText, syntax.OpEmptyMatch:
				continue
			}
			return leadingLiterals(sub)
		}
	case syntax.OpPlus:
		return leadingLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return leadingLiterals(re.Sub[0])
		}
	}
	return nil, false
}
