package dns

import (
	"encoding/binary"
	"testing"

	"github.com/miekg/dns"
	lua "github.com/yuin/gopher-lua"
)

// callParse runs parse_response(data, id) and returns its results.
func callParse(t *testing.T, data []byte, id int) (lua.LValue, lua.LValue) {
	t.Helper()
	L := lua.NewState()
	defer L.Close()
	if err := L.CallByParam(lua.P{Fn: L.NewFunction(parseResponse), NRet: 2, Protect: true},
		lua.LString(data), lua.LNumber(id)); err != nil {
		t.Fatal(err)
	}
	return L.Get(-2), L.Get(-1)
}

func reply(t *testing.T, mutate func(m *dns.Msg)) []byte {
	t.Helper()
	q := new(dns.Msg)
	q.SetQuestion("x.test.", dns.TypeA)
	q.Id = 77
	m := new(dns.Msg)
	m.SetReply(q)
	rr, _ := dns.NewRR("x.test. 5 IN A 192.0.2.1")
	m.Answer = []dns.RR{rr}
	if mutate != nil {
		mutate(m)
	}
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseResponseErrors: each check of the header and question gives
// lua-eco's message, and a good answer gives the record.
func TestParseResponseErrors(t *testing.T) {
	good := reply(t, nil)
	v, _ := callParse(t, good, 77)
	tb, ok := v.(*lua.LTable)
	if !ok || tb.Len() != 1 || tb.RawGetInt(1).(*lua.LTable).RawGetString("address").String() != "192.0.2.1" {
		t.Fatalf("good reply parsed to %v", v)
	}
	notResponse := append([]byte(nil), good...)
	binary.BigEndian.PutUint16(notResponse[2:], binary.BigEndian.Uint16(notResponse[2:])&^0x8000)
	truncated := reply(t, func(m *dns.Msg) { m.Truncated = true })
	for name, tc := range map[string]struct {
		data []byte
		id   int
		want string
	}{
		"short":        {good[:11], 77, "malformed response"},
		"id":           {good, 78, "transaction ID mismatch"},
		"not response": {notResponse, 77, "not a response"},
		"truncated":    {truncated, 77, "truncated"},
		"refused":      {reply(t, func(m *dns.Msg) { m.Rcode = dns.RcodeRefused }), 77, "refused"},
		"rcode 9":      {reply(t, func(m *dns.Msg) { m.Rcode = dns.RcodeNotAuth }), 77, "unknown error code: 9"},
		"two questions": {reply(t, func(m *dns.Msg) { m.Question = append(m.Question, m.Question[0]) }), 77,
			"unexpected number of questions: 2"},
		"class": {reply(t, func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassCHAOS }), 77,
			"unknown query class 3 in DNS response"},
	} {
		v, e := callParse(t, tc.data, tc.id)
		if v != lua.LNil || e.String() != tc.want {
			t.Errorf("%s: got %v, %v; want nil, %q", name, v, e, tc.want)
		}
	}
	// a cut record is malformed, not a crash
	v, e := callParse(t, good[:len(good)-2], 77)
	if v != lua.LNil || e == lua.LNil {
		t.Fatalf("cut reply parsed to %v, %v", v, e)
	}
}
