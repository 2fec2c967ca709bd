package log

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Rolled files are named <path>.<seq>.<YYYYmmdd-HHMMSS>, seq counting up
// from 1 (four digits, zero padded, below 10000); at most rollCount of them
// are kept, the highest sequence numbers winning.

// rolledSeq parses the sequence number of a rolled file of base.
func rolledSeq(name, base string) (uint64, bool) {
	rest, ok := strings.CutPrefix(name, base+".")
	if !ok || rest == "" || rest[0] < '0' || rest[0] > '9' {
		return 0, false
	}
	digits, after, ok := strings.Cut(rest, ".")
	if !ok || after == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n > math.MaxUint32 {
		return 0, false
	}
	return n, true
}

func (lg *logger) rotate(now time.Time) {
	entries, _ := os.ReadDir(lg.dir)
	var next uint64 = 1
	for _, e := range entries {
		if seq, ok := rolledSeq(e.Name(), lg.base); ok && seq+1 > next {
			next = seq + 1
		}
	}
	if next > math.MaxUint32 {
		return
	}
	seq := strconv.FormatUint(next, 10)
	if next < 10000 {
		seq = fmt.Sprintf("%04d", next)
	}
	if os.Rename(lg.path, lg.path+"."+seq+"."+now.Format("20060102-150405")) != nil {
		return
	}
	lg.cleanupRolled()
}

func (lg *logger) cleanupRolled() {
	entries, err := os.ReadDir(lg.dir)
	if err != nil {
		return
	}
	type rolled struct {
		path string
		seq  uint64
	}
	var files []rolled
	for _, e := range entries {
		seq, ok := rolledSeq(e.Name(), lg.base)
		if !ok {
			continue
		}
		full := filepath.Join(lg.dir, e.Name())
		if st, err := os.Stat(full); err != nil || !st.Mode().IsRegular() {
			continue
		}
		files = append(files, rolled{full, seq})
	}
	if len(files) <= lg.rollCount {
		return
	}
	sort.Slice(files, func(i, j int) bool {
		if files[i].seq != files[j].seq {
			return files[i].seq > files[j].seq
		}
		return files[i].path > files[j].path
	})
	for _, f := range files[lg.rollCount:] {
		_ = os.Remove(f.path)
	}
}
