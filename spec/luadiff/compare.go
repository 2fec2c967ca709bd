package luadiff

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// labelRE takes the label a corpus line starts with: the text before the
// first tab or space, which corpus programs print as their first value.
var labelRE = regexp.MustCompile(`^[^\t ]+`)

// compare checks got (golua-ws) against want (lua5.4) line by line and
// describes the first line that differs after the rules, or returns "".
// path names the program in the message; src is its source, used to point
// at the statement that printed the line.
func compare(path string, src []byte, want, got Output, rules []Rule, hits *ruleHits) string {
	base := filepath.Base(path)
	for i := 0; i < len(want.Lines) || i < len(got.Lines); i++ {
		w, g := "<end of output>", "<end of output>"
		if i < len(want.Lines) {
			w = want.Lines[i]
		}
		if i < len(got.Lines) {
			g = got.Lines[i]
		}
		if w == g || (i < len(want.Lines) && i < len(got.Lines) && accept(rules, base, w, g, hits)) {
			continue
		}
		// A marker says little: show the error message after it.
		if i+1 < len(want.Lines) && w == stderrMarker {
			w += " " + want.Lines[i+1]
		}
		if i+1 < len(got.Lines) && g == stderrMarker {
			g += " " + got.Lines[i+1]
		}
		where := path
		if n := sourceLine(src, w); n > 0 {
			where = fmt.Sprintf("%s:%d", path, n)
		}
		return fmt.Sprintf("%s: output line %d differs\n  golua-ws: %q\n  lua5.4:   %q", where, i+1, g, w)
	}
	return ""
}

// sourceLine guesses which line of src printed out: the first line that
// holds the output's label (its first word) as a string literal. It
// returns 0 when there is no such line.
func sourceLine(src []byte, out string) int {
	label := labelRE.FindString(out)
	if label == "" || len(src) == 0 {
		return 0
	}
	for i, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "--") {
			continue
		}
		if strings.Contains(l, `"`+label+`"`) || strings.Contains(l, `'`+label+`'`) {
			return i + 1
		}
	}
	return 0
}
