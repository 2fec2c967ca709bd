package sillynet

import (
	"encoding/binary"
	"net/netip"
	"strings"
)

// DNS wire format as silly's resolver speaks it: one question with an
// EDNS0 OPT record (4096-byte UDP payload) and recursion desired; answers
// parsed into records, each an owner name, a type, a TTL in milliseconds and
// the data (an address or a CNAME target as a string, or a SRV record).
const (
	dnsTypeCNAME     = 5
	dnsTypeSOA       = 6
	dnsTypeOPT       = 41
	dnsHeaderSize    = 12
	dnsMaxName       = 256
	dnsPtrDepth      = 128
	dnsMaxRecords    = 1000
	dnsNegativeTTLMS = 5000
	dnsRcodeNXDomain = 3
)

// dnsSRV is the data of a SRV record.
type dnsSRV struct {
	priority, weight, port uint16
	target                 string
}

// dnsRecord is one parsed resource record. A record without data (hasData
// false) stands for a negative answer to the question: no records of that
// type, for ttlMS.
type dnsRecord struct {
	name    string
	qtype   uint16
	ttlMS   int64
	data    any // string or dnsSRV
	hasData bool
}

// validDNSName reports whether name fits DNS's limits: at most 253
// characters, labels of 1 to 63 (a trailing dot allowed).
func validDNSName(name string) bool {
	if name == "" || len(name) > 253 {
		return false
	}
	for i, label := range strings.Split(name, ".") {
		last := i == strings.Count(name, ".")
		if len(label) > 63 || (len(label) == 0 && !last) {
			return false
		}
	}
	return true
}

// dnsQuestion builds the query packet for name and qtype with id.
func dnsQuestion(name string, qtype, id uint16) []byte {
	b := make([]byte, 0, dnsHeaderSize+len(name)+2+4+11)
	b = binary.BigEndian.AppendUint16(b, id)
	b = append(b, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1) // RD; QD=1, AN=0, NS=0, AR=1
	for _, label := range strings.Split(name, ".") {
		if label != "" {
			b = append(b, byte(len(label)))
			b = append(b, label...)
		}
	}
	b = append(b, 0)
	b = binary.BigEndian.AppendUint16(b, qtype)
	b = binary.BigEndian.AppendUint16(b, 1) // class IN
	// OPT: root name, type 41, class = UDP payload size, TTL 0, no data.
	b = append(b, 0, 0, dnsTypeOPT, 0x10, 0x00, 0, 0, 0, 0, 0, 0)
	return b
}

// dnsReadName reads a possibly compressed name at pos, lower-cased and
// without the trailing dot. It returns the position after the name, or 0
// for a malformed name (a pointer that does not point backwards, a loop,
// a label over 63 bytes, a name over 255 bytes).
func dnsReadName(msg []byte, pos int) (string, int) {
	var out []byte
	next := 0
	for depth := 0; ; depth++ {
		if depth >= dnsPtrDepth || pos >= len(msg) {
			return "", 0
		}
		c := int(msg[pos])
		pos++
		switch {
		case c == 0:
			if next == 0 {
				next = pos
			}
			return string(out), next
		case c&0xC0 == 0xC0:
			if pos >= len(msg) {
				return "", 0
			}
			off := (c&0x3F)<<8 | int(msg[pos])
			if off >= pos-1 {
				return "", 0
			}
			if next == 0 {
				next = pos + 1
			}
			pos = off
		default:
			if c > 63 || pos+c > len(msg) || len(out)+c+1 >= dnsMaxName {
				return "", 0
			}
			if len(out) > 0 {
				out = append(out, '.')
			}
			out = append(out, strings.ToLower(string(msg[pos:pos+c]))...)
			pos += c
		}
	}
}

// dnsAnswer is a parsed response.
type dnsAnswer struct {
	id        uint16
	name      string
	qtype     uint16
	truncated bool
	failed    bool // an RCODE other than success and NXDOMAIN
	records   []dnsRecord
}

// parseDNSAnswer parses a response; ok is false for anything that is not a
// well-formed response to exactly one question.
func parseDNSAnswer(msg []byte) (a dnsAnswer, ok bool) {
	if len(msg) < dnsHeaderSize {
		return a, false
	}
	flags := binary.BigEndian.Uint16(msg[2:])
	if flags&0x8000 == 0 {
		return a, false
	}
	a.id = binary.BigEndian.Uint16(msg)
	a.truncated = flags&0x0200 != 0
	rcode := flags & 0x000F
	if binary.BigEndian.Uint16(msg[4:]) != 1 {
		return a, false
	}
	total := int(binary.BigEndian.Uint16(msg[6:])) + int(binary.BigEndian.Uint16(msg[8:])) + int(binary.BigEndian.Uint16(msg[10:]))
	name, pos := dnsReadName(msg, dnsHeaderSize)
	if pos == 0 || pos+4 > len(msg) {
		return a, false
	}
	a.name = name
	a.qtype = binary.BigEndian.Uint16(msg[pos:])
	pos += 4
	if a.truncated {
		return a, true
	}
	if rcode != 0 && rcode != dnsRcodeNXDomain {
		a.failed = true
		return a, true
	}
	if total > dnsMaxRecords {
		return a, false
	}
	for i := 0; i < total; i++ {
		rname, next := dnsReadName(msg, pos)
		if next == 0 || next+10 > len(msg) {
			break
		}
		rtype := binary.BigEndian.Uint16(msg[next:])
		ttl := int64(binary.BigEndian.Uint32(msg[next+4:]))
		rdlen := int(binary.BigEndian.Uint16(msg[next+8:]))
		rd := next + 10
		if rd+rdlen > len(msg) {
			break
		}
		pos = rd + rdlen
		rec := dnsRecord{name: rname, qtype: rtype, ttlMS: ttl * 1000}
		switch rtype {
		case dnsTypeSOA:
			// A SOA in the authority section is a negative answer for the
			// question, cached for min(TTL, MINIMUM).
			_, p := dnsReadName(msg, rd)
			if p == 0 {
				continue
			}
			_, p = dnsReadName(msg, p)
			if p == 0 || p+20 > len(msg) {
				continue
			}
			if minimum := int64(binary.BigEndian.Uint32(msg[p+16:])); ttl > minimum {
				ttl = minimum
			}
			rec = dnsRecord{name: a.name, qtype: a.qtype, ttlMS: ttl * 1000}
		case DNSTypeA, DNSTypeAAAA:
			n := 4
			if rtype == DNSTypeAAAA {
				n = 16
			}
			if rdlen < n {
				continue
			}
			ip, _ := netip.AddrFromSlice(msg[rd : rd+n])
			rec.data, rec.hasData = ip.String(), true
		case dnsTypeCNAME:
			target, p := dnsReadName(msg, rd)
			if p == 0 {
				continue
			}
			rec.data, rec.hasData = target, true
		case DNSTypeSRV:
			if rdlen < 6 {
				continue
			}
			target, p := dnsReadName(msg, rd+6)
			if p == 0 {
				continue
			}
			rec.data = dnsSRV{
				priority: binary.BigEndian.Uint16(msg[rd:]),
				weight:   binary.BigEndian.Uint16(msg[rd+2:]),
				port:     binary.BigEndian.Uint16(msg[rd+4:]),
				target:   target,
			}
			rec.hasData = true
		default:
			continue // OPT and types silly does not use
		}
		a.records = append(a.records, rec)
	}
	if len(a.records) == 0 && rcode == dnsRcodeNXDomain {
		a.records = append(a.records, dnsRecord{name: a.name, qtype: a.qtype, ttlMS: dnsNegativeTTLMS})
	}
	return a, true
}
