package bench

import (
	"slices"
	"testing"
)

func TestParseWorkersTarget(t *testing.T) {
	for _, tc := range []struct {
		name    string
		base    string
		workers int
		reuse   bool
		ok      bool
	}{
		{"eco-w2", TargetEco, 2, false, true},
		{"silly-w4r", TargetSilly, 4, true, true},
		{"eco-w1", TargetEco, 1, false, true},
		{"eco-w0", "", 0, false, false},
		{"gorilla-w2", "", 0, false, false},
		{"eco-w", "", 0, false, false},
		{"eco", "", 0, false, false},
		{"silly-wx", "", 0, false, false},
	} {
		base, n, reuse, ok := ParseWorkersTarget(tc.name)
		if base != tc.base || n != tc.workers || reuse != tc.reuse || ok != tc.ok {
			t.Errorf("%s: got %q %d %v %v", tc.name, base, n, reuse, ok)
		}
	}
}

func TestWorkersTargetRunsTheCommandWithWorkers(t *testing.T) {
	tg, err := NewTarget("silly-w2r", "..", "wsbench", "golua-ws")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"golua-ws", "--workers", "2", "--accept", "reuseport"}
	if len(tg.Argv) != len(want)+2 || !slices.Equal(tg.Argv[:len(want)], want) || tg.Argv[len(want)+1] != tg.Addr {
		t.Fatalf("argv %q", tg.Argv)
	}
	cfg := MatrixConfig{Targets: []string{"eco", "eco-w2"}}
	if err := cfg.setDefaults(); err != nil || !slices.Equal(cfg.Targets, []string{TargetWscore, TargetEco, "eco-w2"}) {
		t.Fatalf("targets %q, %v", cfg.Targets, err)
	}
}
