package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/bus/natsbus"
)

// envBus names the environment variable that gives --bus's value when the
// option is absent.
const envBus = "GOLUA_BUS"

// busConnectTimeout bounds the first connection to NATS at start-up.
const busConnectTimeout = 10 * time.Second

// busURL is the bus to use: --bus if given, else $GOLUA_BUS, else "" (the
// embedded bus).
func busURL(flag string, flagSet bool, getenv func(string) string) string {
	if flagSet {
		return flag
	}
	return getenv(envBus)
}

// openBus makes the process's bus, which every runtime (worker) of the
// process shares: the embedded in-process bus for url "", else a NATS
// connection to url (comma-separated nats:// or tls:// URLs), with
// credentials and TLS files from GOLUA_BUS_CREDS, GOLUA_BUS_CA,
// GOLUA_BUS_CERT and GOLUA_BUS_KEY. NATS's reconnects and drops are
// logged to stderr, through logger when it is not nil (--log-format
// json). The caller closes the bus after the runtimes.
func openBus(url string, getenv func(string) string, stderr io.Writer, logger *slog.Logger) (bus.Bus, error) {
	if url == "" {
		return bus.NewLocal(), nil
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	ctx, cancel := context.WithTimeout(context.Background(), busConnectTimeout)
	defer cancel()
	opts := append([]natsbus.Option{
		natsbus.WithName("golua-ws"),
		natsbus.WithLogger(logger),
	}, natsbus.EnvOptions(getenv)...)
	b, err := natsbus.Connect(ctx, url, opts...)
	if err != nil {
		return nil, fmt.Errorf("--bus: %w", err)
	}
	return b, nil
}
