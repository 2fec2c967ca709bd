package luadiff

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Seeds of the generated programs run by TestGenerated, in batches: one
// lua5.4 process and one runtime per batch instead of one per program.
const (
	genSeeds = 300
	genBatch = 75
)

// seedMarker starts each program's output in a batch.
const seedMarker = "@@seed "

// writeBatch writes the programs of seeds into one file: each runs in a
// protected call of its own, so that an error ends only that program, and
// starts by printing seedMarker and its seed.
func writeBatch(path string, seeds []uint64) error {
	var b strings.Builder
	for _, s := range seeds {
		fmt.Fprintf(&b, "print(%q)\ndo\nlocal ok, err = pcall(function()\n%send)\nif not ok then print(\"@@error\", err) end\nend\n",
			seedMarker+strconv.FormatUint(s, 10), Generate(s))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing generated programs: %w", err)
	}
	return nil
}

// splitSeeds splits a batch's output at the seed markers; lines before
// the first marker and the stderr part go with the seed before them.
func splitSeeds(out Output) map[uint64][]string {
	m := map[uint64][]string{}
	var cur uint64
	for _, l := range out.Lines {
		if s, ok := strings.CutPrefix(l, seedMarker); ok {
			if n, err := strconv.ParseUint(s, 10, 64); err == nil {
				cur = n
				m[cur] = []string{}
				continue
			}
		}
		m[cur] = append(m[cur], l)
	}
	return m
}

// checkSeeds runs the generated programs of seeds under both interpreters
// and fails t for each seed whose output differs, printing the first such
// seed's program.
func checkSeeds(t *testing.T, seeds []uint64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "generated.lua")
	if err := writeBatch(path, seeds); err != nil {
		t.Fatal(err)
	}
	want, err := RunOracle(context.Background(), ".", path, programTimeout)
	if err != nil {
		t.Fatal(err)
	}
	got, err := RunOurs(path, programTimeout)
	if err != nil {
		t.Fatal(err)
	}
	wantBy, gotBy := splitSeeds(want), splitSeeds(got)
	var failed []uint64
	for _, s := range seeds {
		d := compare(fmt.Sprintf("generated program %d", s), nil, Output{wantBy[s]}, Output{gotBy[s]}, nil, nil)
		if d == "" {
			continue
		}
		if len(failed) < 3 {
			t.Errorf("seed %d: %s\nprogram (luadiff.Generate(%d)):\n%s", s, d, s, Generate(s))
		}
		failed = append(failed, s)
	}
	if len(failed) > 0 {
		t.Errorf("%d of %d generated programs differ; seeds: %v", len(failed), len(seeds), failed)
	}
}

func TestGenerated(t *testing.T) {
	requireOracle(t)
	for first := 0; first < genSeeds; first += genBatch {
		seeds := make([]uint64, 0, genBatch)
		for s := first; s < first+genBatch && s < genSeeds; s++ {
			seeds = append(seeds, uint64(s))
		}
		t.Run(fmt.Sprintf("seeds%d-%d", first, first+len(seeds)-1), func(t *testing.T) {
			t.Parallel()
			checkSeeds(t, seeds)
		})
	}
}

// TestGenerateIsDeterministic checks that a seed always gives the same
// program and that seeds give different programs.
func TestGenerateIsDeterministic(t *testing.T) {
	first, second := Generate(7), Generate(7)
	if first != second {
		t.Fatal("Generate(7) differs between calls")
	}
	if first == Generate(8) {
		t.Fatal("Generate(7) and Generate(8) are the same program")
	}
}

// FuzzDifferential runs generated programs for fuzzed seeds beyond the
// ones TestGenerated covers: go test -fuzz FuzzDifferential ./spec/luadiff.
func FuzzDifferential(f *testing.F) {
	requireOracle(f)
	for _, s := range []uint64{1000, 1001, 424242, 1 << 40} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		checkSeeds(t, []uint64{seed})
	})
}
