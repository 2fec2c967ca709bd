// Package dom provides silly's "silly.net.http.dom": a small, lenient
// HTML/XML parser into Lua tables, with CSS-like selection by tag name,
// ".class" and "#id".
//
// parse(str) returns the first element as a node {name=, attr={},
// class={}, child={}} whose children are nodes and text strings (trimmed,
// with &quot; &amp; &lt; &gt; &nbsp; and decimal &#N; unescaped), or nil
// and an error when the markup cannot be read. Comments and <!...>
// declarations are skipped; <script> and <style> keep their content raw;
// META, LINK, INPUT, IMG, BR and HR never have children; a closing tag
// that does not match closes the element anyway and is left to its
// parent. Nodes have the methods text(), value(buffer), match(cond),
// select(selector) and selectn(selector, level).
package dom

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{"silly.net.http.dom": load}
}

// nodeMetatable is the registry name of the nodes' metatable.
const nodeMetatable = "silly.net.http.dom.node"

func load(L *lua.LState) int {
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"value":   nodeValue,
		"text":    nodeText,
		"match":   nodeMatch,
		"select":  nodeSelect,
		"selectn": nodeSelectN,
	})
	mt := L.NewTypeMetatable(nodeMetatable)
	mt.RawSetString("__index", methods)
	mod := L.NewTable()
	mod.RawSetString("parse", L.NewFunction(func(L *lua.LState) int {
		p := &parser{L: L, s: luaarg.CheckString(L, 1, "parse"), mt: mt}
		node, err := p.element()
		if err != nil {
			L.Push(lua.LNil)
			L.Push(lua.LString(err.Error()))
			return 2
		}
		if node == nil {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(node)
		return 1
	}))
	L.Push(mod)
	return 1
}

// childless are the elements that never have children (compared in upper case).
var childless = map[string]bool{"META": true, "LINK": true, "INPUT": true, "IMG": true, "BR": true, "HR": true}

// token kinds
const (
	tokOpen      = iota // <
	tokCloseOpen        // </
	tokEnd              // >
	tokSelfEnd          // />
	tokSlash            // /
	tokEquals           // =
	tokWord             // a name or unquoted value
	tokQuoted           // the content of a quoted value
)

type token struct {
	kind int
	text string
}

type parser struct {
	L   *lua.LState
	s   string
	pos int
	mt  *lua.LTable
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// skip moves past white space, comments and <!...> declarations.
func (p *parser) skip() {
	for {
		for p.pos < len(p.s) && isSpace(p.s[p.pos]) {
			p.pos++
		}
		switch {
		case strings.HasPrefix(p.s[p.pos:], "<!--"):
			end := strings.Index(p.s[p.pos+4:], "-->")
			if end < 0 {
				p.pos = len(p.s)
				return
			}
			p.pos += 4 + end + 3
		case strings.HasPrefix(p.s[p.pos:], "<!"):
			end := strings.IndexByte(p.s[p.pos:], '>')
			if end < 0 {
				p.pos = len(p.s)
				return
			}
			p.pos += end + 1
		default:
			return
		}
	}
}

// next returns the next token, or false at the end of the input.
func (p *parser) next() (token, bool, error) {
	p.skip()
	if p.pos >= len(p.s) {
		return token{}, false, nil
	}
	s, i := p.s, p.pos
	switch c := s[i]; c {
	case '"', '\'':
		j := i + 1
		for j < len(s) && (s[j] != c || s[j-1] == '\\') {
			j++
		}
		if j >= len(s) {
			return token{}, false, fmt.Errorf("unterminated quoted value at offset %d", i)
		}
		p.pos = j + 1
		return token{tokQuoted, s[i+1 : j]}, true, nil
	case '<':
		if i+1 < len(s) && s[i+1] == '/' {
			p.pos = i + 2
			return token{kind: tokCloseOpen}, true, nil
		}
		p.pos = i + 1
		return token{kind: tokOpen}, true, nil
	case '/':
		if i+1 < len(s) && s[i+1] == '>' {
			p.pos = i + 2
			return token{kind: tokSelfEnd}, true, nil
		}
		p.pos = i + 1
		return token{kind: tokSlash}, true, nil
	case '>':
		p.pos = i + 1
		return token{kind: tokEnd}, true, nil
	case '=':
		p.pos = i + 1
		return token{kind: tokEquals}, true, nil
	}
	j := i
	for j < len(s) && !isSpace(s[j]) && !strings.ContainsRune("<>=/", rune(s[j])) {
		j++
	}
	p.pos = j
	return token{tokWord, s[i:j]}, true, nil
}

// element parses one element at the current position; nil at the end of
// the input.
func (p *parser) element() (*lua.LTable, error) {
	L := p.L
	tk, ok, err := p.next()
	if err != nil || !ok {
		return nil, err
	}
	if tk.kind != tokOpen {
		return nil, fmt.Errorf("expected '<' before offset %d", p.pos)
	}
	name := "unknown"
	if tk, ok, err = p.next(); err != nil {
		return nil, err
	} else if ok && (tk.kind == tokWord || tk.kind == tokQuoted) {
		name = tk.text
	}
	attr, class, child := L.NewTable(), L.NewTable(), L.NewTable()
	node := L.NewTable()
	node.RawSetString("name", lua.LString(name))
	node.RawSetString("attr", attr)
	node.RawSetString("class", class)
	node.RawSetString("child", child)
	node.Metatable = p.mt

	// Attributes: key, key=value, key="value".
	for {
		if tk, ok, err = p.next(); err != nil {
			return nil, err
		}
		if !ok || tk.kind == tokEnd || tk.kind == tokSelfEnd {
			break
		}
		key := tk.text
		back := p.pos
		eq, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		if !ok || eq.kind != tokEquals {
			attr.RawSetString(key, lua.LTrue)
			p.pos = back
			continue
		}
		val, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		if !ok || (val.kind != tokWord && val.kind != tokQuoted) {
			return nil, fmt.Errorf("attribute %q has no value", key)
		}
		v := val.text
		if key == "class" {
			for _, c := range strings.Fields(v) {
				class.Append(lua.LString(c))
			}
			if prev, ok := attr.RawGetString("class").(lua.LString); ok {
				v = string(prev) + " " + v
			}
		}
		attr.RawSetString(key, lua.LString(v))
	}
	if !ok || tk.kind == tokSelfEnd || childless[strings.ToUpper(name)] {
		return node, nil
	}
	if name == "script" || name == "style" {
		end := strings.Index(p.s[p.pos:], "</"+name+">")
		if end < 0 {
			return nil, fmt.Errorf("<%s> is not closed", name)
		}
		child.Append(lua.LString(p.s[p.pos : p.pos+end]))
		p.pos += end + len(name) + 3
		return node, nil
	}
	// Children, until the closing tag or the end of the input.
	for {
		p.skip()
		back := p.pos
		tk, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch {
		case !ok:
			return node, nil
		case tk.kind == tokOpen:
			p.pos = back
			sub, err := p.element()
			if err != nil {
				return nil, err
			}
			child.Append(sub)
		case tk.kind == tokCloseOpen:
			closing, _, err := p.next()
			if err != nil {
				return nil, err
			}
			if _, _, err := p.next(); err != nil { // the '>'
				return nil, err
			}
			if closing.text != name {
				p.pos = back // not ours: the parent's (or a stray one)
			}
			return node, nil
		default:
			end := strings.IndexByte(p.s[back:], '<')
			if end < 0 {
				return nil, fmt.Errorf("text at offset %d is not followed by a tag", back)
			}
			text := strings.TrimRight(p.s[back:back+end], " \t\n\r\f\v")
			child.Append(lua.LString(unescape(text)))
			p.pos = back + end
		}
	}
}

var (
	decimalEntity = regexp.MustCompile(`&#([0-9]+);`)
	namedEntity   = regexp.MustCompile(`&([A-Za-z]+);`)
	entities      = map[string]string{"quot": `"`, "amp": "&", "lt": "<", "gt": ">", "nbsp": " "}
)

// unescape replaces decimal character references, then the five named
// entities silly knows; anything else is left as written.
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	s = decimalEntity.ReplaceAllStringFunc(s, func(m string) string {
		n, err := strconv.ParseUint(m[2:len(m)-1], 10, 32)
		if err != nil || n > 0x7FFFFFFF {
			return m
		}
		return string(rune(n))
	})
	return namedEntity.ReplaceAllStringFunc(s, func(m string) string {
		if r, ok := entities[m[1:len(m)-1]]; ok {
			return r
		}
		return m
	})
}

// children returns node.child, raising when node is not a node table.
func children(L *lua.LState, v lua.LValue, fname string) *lua.LTable {
	if t, ok := v.(*lua.LTable); ok {
		if c, ok := t.RawGetString("child").(*lua.LTable); ok {
			return c
		}
	}
	luaarg.Method(fname).TypeError(L, 1, "dom node")
	return nil
}

// collectText appends the text of node's subtree to buf in document order.
func collectText(L *lua.LState, node lua.LValue, buf *lua.LTable) {
	c := children(L, node, "value")
	for i := 1; i <= c.Len(); i++ {
		switch v := c.RawGetInt(i).(type) {
		case lua.LString:
			buf.Append(v)
		case *lua.LTable:
			collectText(L, v, buf)
		}
	}
}

// nodeValue implements node:value(buffer): appends the subtree's text
// pieces to the array buffer.
func nodeValue(L *lua.LState) int {
	collectText(L, L.Get(1), L.CheckTable(2))
	return 0
}

// nodeText implements node:text(): the subtree's text, concatenated.
func nodeText(L *lua.LState) int {
	buf := L.NewTable()
	collectText(L, L.Get(1), buf)
	var sb strings.Builder
	for i := 1; i <= buf.Len(); i++ {
		sb.WriteString(string(buf.RawGetInt(i).(lua.LString)))
	}
	L.Push(lua.LString(sb.String()))
	return 1
}

// condition is a parsed selector: each field empty when not required.
type condition struct{ name, id, class string }

var selectorPart = regexp.MustCompile(`[.#]*[^.#\s]+`)

// parseSelector reads "tag.class#id" (in any order; the last of each kind wins).
func parseSelector(sel string) condition {
	var c condition
	for _, part := range selectorPart.FindAllString(sel, -1) {
		switch part[0] {
		case '.':
			c.class = strings.TrimLeft(part, ".#")
		case '#':
			c.id = strings.TrimLeft(part, ".#")
		default:
			c.name = part
		}
	}
	return c
}

func (c condition) matches(node *lua.LTable) bool {
	if c.class != "" {
		found := false
		if classes, ok := node.RawGetString("class").(*lua.LTable); ok {
			classes.ForEach(func(_, v lua.LValue) {
				if v == lua.LString(c.class) {
					found = true
				}
			})
		}
		if !found {
			return false
		}
	}
	if c.id != "" {
		attr, _ := node.RawGetString("attr").(*lua.LTable)
		if attr == nil || attr.RawGetString("id") != lua.LString(c.id) {
			return false
		}
	}
	return c.name == "" || node.RawGetString("name") == lua.LString(c.name)
}

// nodeMatch implements node:match{name=, id=, class=}.
func nodeMatch(L *lua.LState) int {
	node := L.CheckTable(1)
	cond := L.CheckTable(2)
	get := func(k string) string {
		s, _ := cond.RawGetString(k).(lua.LString)
		return string(s)
	}
	L.Push(lua.LBool(condition{name: get("name"), id: get("id"), class: get("class")}.matches(node)))
	return 1
}

// selectFrom returns the nodes of root's subtree (root included) that
// match, breadth first.
func selectFrom(L *lua.LState, root *lua.LTable, c condition) *lua.LTable {
	out := L.NewTable()
	queue := []*lua.LTable{root}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		kids := children(L, n, "select")
		for i := 1; i <= kids.Len(); i++ {
			if t, ok := kids.RawGetInt(i).(*lua.LTable); ok {
				queue = append(queue, t)
			}
		}
		if c.matches(n) {
			out.Append(n)
		}
	}
	return out
}

// nodeSelect implements node:select(selector): the matching nodes.
func nodeSelect(L *lua.LState) int {
	L.Push(selectFrom(L, L.CheckTable(1), parseSelector(luaarg.Method("select").CheckString(L, 2))))
	return 1
}

// nodeSelectN implements node:selectn(selector, level): select applied
// level times, each time from the first match of the previous one.
func nodeSelectN(L *lua.LState) int {
	item := L.CheckTable(1)
	c := parseSelector(luaarg.Method("selectn").CheckString(L, 2))
	level := int(luaarg.CheckInteger(L, 3, "selectn"))
	for i := 1; i < level; i++ {
		first, ok := selectFrom(L, item, c).RawGetInt(1).(*lua.LTable)
		if !ok {
			L.RaiseError("selectn: no match at level %d", i)
		}
		item = first
	}
	L.Push(selectFrom(L, item, c))
	return 1
}
