package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// healthCheckTimeout bounds --health-check: a container runtime kills a
// HEALTHCHECK that outlives its own timeout, and a check that hangs says
// less than one that fails with a reason.
const healthCheckTimeout = 3 * time.Second

// healthCheck GETs url and reports whether the server answered with a
// status below 400. It exists so that a container image without curl or
// wget (distroless, scratch) can still have a HEALTHCHECK that really
// talks to the server: the image runs its own binary.
func healthCheck(url string, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithTimeout(context.Background(), healthCheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "golua-ws: --health-check: %v\n", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "golua-ws: --health-check: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode >= 400 {
		fmt.Fprintf(stderr, "golua-ws: --health-check: %s answered %s\n", url, resp.Status)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %s\n", url, resp.Status)
	return 0
}
