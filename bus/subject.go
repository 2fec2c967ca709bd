package bus

import (
	"fmt"
	"strings"
)

// SubjectError describes why a subject is not valid. It matches
// ErrBadSubject with errors.Is.
type SubjectError struct {
	Subject string
	Reason  string
}

func (e *SubjectError) Error() string {
	return fmt.Sprintf("bus: bad subject %q: %s", e.Subject, e.Reason)
}

// Is makes errors.Is(err, ErrBadSubject) true.
func (e *SubjectError) Is(target error) bool { return target == ErrBadSubject }

// MaxSubjectLen is the longest subject the bus accepts, in bytes. A NATS
// server reads a publish's subject and reply subject on one control line of
// at most 4,096 bytes by default, and closes the connection of a client that
// sends a longer one; every bus refuses such subjects up front, so that one
// script's bad subject fails that call alone, the same on every bus.
const MaxSubjectLen = 1024

// CheckSubject reports whether s is a valid subject: non-empty tokens
// separated by '.', without white space, at most MaxSubjectLen bytes.
// With wildcards, a token may be '*' or, as the last token, '>' (a
// subscription's subject); without, those tokens are refused (a publish
// subject). '*' and '>' inside a
// longer token are ordinary characters, as in NATS.
func CheckSubject(s string, wildcards bool) error {
	if s == "" {
		return &SubjectError{s, "empty"}
	}
	if len(s) > MaxSubjectLen {
		return &SubjectError{s[:32] + "...", fmt.Sprintf("longer than %d bytes", MaxSubjectLen)}
	}
	if strings.ContainsAny(s, " \t\r\n\f\v\x00") {
		return &SubjectError{s, "contains white space or NUL"}
	}
	rest := s
	for {
		tok, more, found := strings.Cut(rest, ".")
		switch {
		case tok == "":
			return &SubjectError{s, "empty token"}
		case tok == "*" && !wildcards, tok == ">" && !wildcards:
			return &SubjectError{s, "wildcard in a publish subject"}
		case tok == ">" && found:
			return &SubjectError{s, "'>' must be the last token"}
		}
		if !found {
			return nil
		}
		rest = more
	}
}

// hasWildcard reports whether a valid subscription subject has a wildcard
// token.
func hasWildcard(s string) bool {
	for tok := range strings.SplitSeq(s, ".") {
		if tok == "*" || tok == ">" {
			return true
		}
	}
	return false
}

// Match reports whether the publish subject subject matches the
// subscription subject pattern (both valid): '*' matches one token, '>'
// one or more trailing tokens.
func Match(pattern, subject string) bool {
	for {
		ptok, prest, pmore := strings.Cut(pattern, ".")
		stok, srest, smore := strings.Cut(subject, ".")
		switch {
		case ptok == ">":
			return true // subject has at least this token left
		case ptok != "*" && ptok != stok:
			return false
		case !pmore || !smore:
			return pmore == smore
		}
		pattern, subject = prest, srest
	}
}
