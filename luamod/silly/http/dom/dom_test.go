package dom

import "testing"

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"&lt;b&gt; &amp; &quot;": `<b> & "`,
		"a&nbsp;b":               "a b",
		"&#20320;&#22909;":       "你好",
		"&copy; &#x41; &#;":      "&copy; &#x41; &#;", // unknown names and hex stay as written
		"&#38;lt;":               "<",                 // decimal first, then names, as silly does
	} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseSelector(t *testing.T) {
	for in, want := range map[string]condition{
		"div":          {name: "div"},
		".item":        {class: "item"},
		"#menu":        {id: "menu"},
		"a.item#x":     {name: "a", class: "item", id: "x"},
		"  p.one.two ": {name: "p", class: "two"},
	} {
		if got := parseSelector(in); got != want {
			t.Errorf("parseSelector(%q) = %+v, want %+v", in, got, want)
		}
	}
}
