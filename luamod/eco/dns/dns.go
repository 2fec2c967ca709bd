package dns

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/golua-ws/golua-ws/runtime"
	"github.com/miekg/dns"
	lua "github.com/yuin/gopher-lua"
)

// querySource is eco.dns in Lua (see the package comment).
//
//go:embed dns.lua
var querySource []byte

// sectionAnswer is lua-eco's SECTION_AN: every record parse_response returns
// is from the answer section.
const sectionAnswer = 1

// Register makes "eco.dns" and "eco.internal.dns" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("eco.internal.dns", func(L *lua.LState) int {
		L.Push(L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"build_request":  buildRequest,
			"parse_response": parseResponse,
		}))
		return 1
	})
	rt.RegisterModule("eco.dns", func(L *lua.LState) int {
		fn, err := rt.Compile(querySource, "@eco/dns.lua")
		if err != nil {
			L.RaiseError("eco.dns: %v", err)
		}
		L.Push(fn)
		L.Call(0, 1)
		return 1
	})
}

// buildRequest is build_request(qname, id, qtype, recurse): the query
// message, names written out in full (no compression pointers).
func buildRequest(L *lua.LState) int {
	qname := L.CheckString(1)
	m := new(dns.Msg)
	m.Id = uint16(L.CheckInt(2))
	m.RecursionDesired = lua.LVAsBool(L.Get(4))
	m.Question = []dns.Question{{Name: dns.Fqdn(qname), Qtype: uint16(L.CheckInt(3)), Qclass: dns.ClassINET}}
	m.Compress = false
	b, err := m.Pack()
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString("bad name"))
		return 2
	}
	L.Push(lua.LString(b))
	return 1
}

// rcodeNames are lua-eco's words for the response codes 1 to 5.
var rcodeNames = []string{"", "format error", "server failure", "name error", "not implemented", "refused"}

// parseResponse is parse_response(data, id): the answer records as lua-eco's
// tables, or nil and lua-eco's error string.
func parseResponse(L *lua.LState) int {
	data := []byte(L.CheckString(1))
	id := uint16(L.CheckInt(2))
	fail := func(format string, args ...any) int {
		L.Push(lua.LNil)
		L.Push(lua.LString(fmt.Sprintf(format, args...)))
		return 2
	}
	if len(data) < 12 {
		return fail("malformed response")
	}
	flags := binary.BigEndian.Uint16(data[2:])
	switch {
	case binary.BigEndian.Uint16(data) != id:
		return fail("transaction ID mismatch")
	case flags&0x8000 == 0:
		return fail("not a response")
	case flags&0x0200 != 0:
		return fail("truncated")
	}
	if code := int(flags & 0xf); code != 0 {
		if code < len(rcodeNames) {
			return fail("%s", rcodeNames[code])
		}
		return fail("unknown error code: %d", code)
	}
	if n := binary.BigEndian.Uint16(data[4:]); n != 1 {
		return fail("unexpected number of questions: %d", n)
	}
	var m dns.Msg
	if err := m.Unpack(data); err != nil {
		return fail("malformed response: %v", err)
	}
	if c := m.Question[0].Qclass; c != dns.ClassINET {
		return fail("unknown query class %d in DNS response", c)
	}
	answers := L.CreateTable(len(m.Answer), 0)
	for _, rr := range m.Answer {
		answers.Append(recordTable(L, rr))
	}
	L.Push(answers)
	return 1
}

// bareName drops the root label's dot, as lua-eco's names have none.
func bareName(name string) string {
	if name == "." {
		return ""
	}
	return strings.TrimSuffix(name, ".")
}

// recordTable is lua-eco's table of one answer record.
func recordTable(L *lua.LState, rr dns.RR) *lua.LTable {
	h := rr.Header()
	t := L.CreateTable(0, 8)
	t.RawSetString("section", lua.LNumber(sectionAnswer))
	t.RawSetString("type", lua.LNumber(h.Rrtype))
	t.RawSetString("class", lua.LNumber(h.Class))
	t.RawSetString("ttl", lua.LNumber(h.Ttl))
	t.RawSetString("name", lua.LString(bareName(h.Name)))
	str := func(k, v string) { t.RawSetString(k, lua.LString(v)) }
	num := func(k string, v uint32) { t.RawSetString(k, lua.LNumber(v)) }
	switch r := rr.(type) {
	case *dns.A:
		str("address", r.A.String())
	case *dns.AAAA:
		str("address", r.AAAA.String())
	case *dns.CNAME:
		str("cname", bareName(r.Target))
	case *dns.MX:
		num("preference", uint32(r.Preference))
		str("exchange", bareName(r.Mx))
	case *dns.SRV:
		num("priority", uint32(r.Priority))
		num("weight", uint32(r.Weight))
		num("port", uint32(r.Port))
		str("target", bareName(r.Target))
	case *dns.NS:
		str("nsdname", bareName(r.Ns))
	case *dns.PTR:
		str("ptrdname", bareName(r.Ptr))
	case *dns.TXT:
		t.RawSetString("txt", textValue(L, r.Txt))
	case *dns.SPF:
		t.RawSetString("spf", textValue(L, r.Txt))
	case *dns.SOA:
		str("mname", bareName(r.Ns))
		str("rname", bareName(r.Mbox))
		num("serial", r.Serial)
		num("refresh", r.Refresh)
		num("retry", r.Retry)
		num("expire", r.Expire)
		num("minimum", r.Minttl)
	default:
		str("rdata", string(rawRdata(rr)))
	}
	return t
}

// textValue is lua-eco's shape of TXT data: one string as a string, several
// as a list, none as "". The strings are the wire bytes, without the
// escaping miekg/dns keeps in Txt.
func textValue(L *lua.LState, txt []string) lua.LValue {
	switch len(txt) {
	case 0:
		return lua.LString("")
	case 1:
		return lua.LString(unescapeText(txt[0]))
	}
	list := L.CreateTable(len(txt), 0)
	for _, s := range txt {
		list.Append(lua.LString(unescapeText(s)))
	}
	return list
}

// unescapeText undoes miekg/dns's presentation escapes (\" \\ \DDD).
func unescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			b.WriteByte((s[i+1]-'0')*100 + (s[i+2]-'0')*10 + (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// rawRdata is the record's data as on the wire (for the types lua-eco does
// not decode).
func rawRdata(rr dns.RR) []byte {
	buf := make([]byte, dns.Len(rr)+1)
	n, err := dns.PackRR(rr, buf, 0, nil, false)
	if err != nil {
		return nil
	}
	name := make([]byte, 256)
	nameLen, err := dns.PackDomainName(rr.Header().Name, name, 0, nil, false)
	if err != nil || nameLen+10 > n {
		return nil
	}
	return buf[nameLen+10 : n]
}
