package natsbus

import (
	"testing"
	"time"
)

func TestRedactHidesSecrets(t *testing.T) {
	for in, want := range map[string]string{
		"nats://127.0.0.1:4222":                     "nats://127.0.0.1:4222",
		"nats://alice:s3cret@h:4222":                "nats://alice:xxxxx@h:4222",
		"nats://tok3n@h:4222,nats://bob:pw@h2:4222": "nats://xxxxx@h:4222,nats://bob:xxxxx@h2:4222",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnvOptions(t *testing.T) {
	env := map[string]string{EnvCreds: "/x.creds", EnvCA: "/ca.pem", EnvKey: "/k.pem", EnvCert: "/c.pem"}
	var c config
	for _, o := range EnvOptions(func(k string) string { return env[k] }) {
		o(&c)
	}
	if c.creds != "/x.creds" || c.ca != "/ca.pem" || c.cert != "/c.pem" || c.key != "/k.pem" {
		t.Fatalf("options from the environment: %+v", c)
	}
	if n := len(EnvOptions(func(string) string { return "" })); n != 0 {
		t.Fatalf("%d options from an empty environment", n)
	}
}

func TestBackoffGrowsToItsCeiling(t *testing.T) {
	c := config{reconnectMin: 50 * time.Millisecond, reconnectMax: 2 * time.Second}
	prevFloor := time.Duration(0)
	for attempts := 1; attempts <= 10; attempts++ {
		d := c.backoff(attempts)
		floor := min(c.reconnectMin<<(attempts-1), c.reconnectMax)
		if d < floor || d > floor+floor/5+1 {
			t.Fatalf("attempt %d: %v, want within [%v, %v]", attempts, d, floor, floor+floor/5)
		}
		if floor < prevFloor {
			t.Fatalf("attempt %d: backoff shrank", attempts)
		}
		prevFloor = floor
	}
}
