package stubs

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// Description is what a stub file says about one module.
type Description struct {
	Name      string // from "---@meta NAME"
	Summary   string // the "---" lines after ---@meta
	Functions []Function
	Classes   []Class
}

// Class is a "---@class" with the methods defined on its local table.
type Class struct {
	Name    string
	Summary string
	Fields  []string // the text of each ---@field line
	Methods []Function
}

// Function is one "function M.name(...) end" (or "function Class:name")
// with the doc block above it.
type Function struct {
	Name    string
	Params  string // the parameter list as written
	Method  bool   // defined with ':' (called as obj:name)
	Summary string
	Tags    []Tag // ---@param, ---@return, ... in order
}

// Tag is one "---@kind text" annotation line.
type Tag struct {
	Kind string // "param", "return", "overload", ...
	Text string
}

var (
	metaLine  = regexp.MustCompile(`^---@meta\s+(\S+)\s*$`)
	classLine = regexp.MustCompile(`^---@class\s+([\w.]+)`)
	localLine = regexp.MustCompile(`^local\s+(\w+)\s*=\s*\{\s*\}\s*$`)
	funcLine  = regexp.MustCompile(`^function\s+(\w+)([.:])(\w+)\s*\(([^)]*)\)\s*end\s*$`)
	tagLine   = regexp.MustCompile(`^---@(\w+)\s*(.*)$`)
)

// moduleTable is the local every stub file returns.
const moduleTable = "M"

// Parse reads a stub file. It understands the subset of LuaLS annotations
// the stubs use, one declaration a line, and rejects a function defined on
// a table it does not know, so that a typo cannot hide a function from the
// drift test.
func Parse(src []byte) (*Description, error) {
	d := &Description{}
	tables := map[string]int{} // local name -> index in d.Classes
	var doc []string           // pending "---" lines
	pendingClass := -1         // a ---@class waiting for its local
	sc := bufio.NewScanner(bytes.NewReader(src))
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case d.Name == "":
			m := metaLine.FindStringSubmatch(line)
			if m == nil {
				return nil, fmt.Errorf("line %d: the file must start with ---@meta <module name>", lineNo)
			}
			d.Name = m[1]
		case classLine.MatchString(line):
			name := classLine.FindStringSubmatch(line)[1]
			summary, _ := splitDoc(doc)
			d.Classes = append(d.Classes, Class{Name: name, Summary: summary})
			pendingClass = len(d.Classes) - 1
			doc = nil
		case pendingClass >= 0 && strings.HasPrefix(line, "---@field"):
			c := &d.Classes[pendingClass]
			c.Fields = append(c.Fields, strings.TrimSpace(strings.TrimPrefix(line, "---@field")))
		case strings.HasPrefix(line, "---"):
			doc = append(doc, line)
			pendingClass = -1
		case line == "":
			// A ---@class names the table on the line right after its
			// annotations; after a blank line it is a shape (an options
			// table) with no table of its own.
			pendingClass = -1
			if d.Summary == "" && len(d.Functions) == 0 && len(d.Classes) == 0 && len(doc) > 0 {
				d.Summary, _ = splitDoc(doc)
				doc = nil
			}
		case localLine.MatchString(line):
			local := localLine.FindStringSubmatch(line)[1]
			switch {
			case local == moduleTable:
				tables[local] = -1
				if pendingClass >= 0 && pendingClass == len(d.Classes)-1 {
					// "---@class NAME" on the module table itself types
					// the module; its doc block is the module's summary.
					if d.Summary == "" {
						d.Summary = d.Classes[pendingClass].Summary
					}
					d.Classes = d.Classes[:pendingClass]
				}
			case pendingClass >= 0:
				tables[local] = pendingClass
			}
			pendingClass = -1
			doc = nil
		case funcLine.MatchString(line):
			m := funcLine.FindStringSubmatch(line)
			summary, tags := splitDoc(doc)
			doc = nil
			fn := Function{Name: m[3], Params: strings.TrimSpace(m[4]), Method: m[2] == ":", Summary: summary, Tags: tags}
			idx, ok := tables[m[1]]
			if !ok {
				return nil, fmt.Errorf("line %d: function on %q, which is neither %s nor a ---@class table", lineNo, m[1], moduleTable)
			}
			if idx < 0 {
				d.Functions = append(d.Functions, fn)
			} else {
				d.Classes[idx].Methods = append(d.Classes[idx].Methods, fn)
			}
		case strings.HasPrefix(line, "function "):
			return nil, fmt.Errorf("line %d: write a function as one line, function T.name(args) end", lineNo)
		default:
			doc = nil
			pendingClass = -1
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if d.Name == "" {
		return nil, fmt.Errorf("empty file: no ---@meta")
	}
	return d, nil
}

// splitDoc separates a doc block into its prose and its annotations.
func splitDoc(doc []string) (string, []Tag) {
	var prose []string
	var tags []Tag
	for _, l := range doc {
		if m := tagLine.FindStringSubmatch(l); m != nil {
			tags = append(tags, Tag{Kind: m[1], Text: strings.TrimSpace(m[2])})
			continue
		}
		if t := strings.TrimSpace(strings.TrimPrefix(l, "---")); t != "" {
			prose = append(prose, t)
		}
	}
	return strings.Join(prose, " "), tags
}
