package worker_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/golua/worker"
	"github.com/golua-ws/golua-ws/runtime"
)

// A Go host runs one script on two workers sharing one port. The script is
// silly-style; each connection is answered by whichever worker took it.
func ExamplePool() {
	const script = `
		local tcp = require 'silly.net.tcp'
		local w = require 'golua.worker'
		local l = assert(tcp.listen { addr = '127.0.0.1:0', accept = function(conn)
			conn:write('hello from worker ' .. w.id .. '\n')
			conn:close()
		end })
		print('listening on ' .. l:addr())
	`
	out, lines := io.Pipe()
	pool, err := worker.NewPool(worker.Config{
		Workers: 2,
		Options: []runtime.Option{runtime.WithStdout(lines)},
		Setup:   luamod.Register, // both dialects' modules
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		// Run returns once ctx ends and every worker has shut down.
		code, _ := pool.Run(ctx, func(rt *runtime.Runtime) { rt.RunString(script, "=server") })
		done <- code
	}()

	// Both workers print the same port (port 0 is one port for the pool).
	r := bufio.NewReader(out)
	addrs := map[string]bool{}
	for range pool.Runtimes() {
		line, _ := r.ReadString('\n')
		addrs[strings.TrimPrefix(strings.TrimSpace(line), "listening on ")] = true
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
	var addr string
	for a := range addrs {
		addr = a
	}
	fmt.Println("addresses printed by the workers:", len(addrs))

	served := map[string]bool{}
	for i := 0; i < 20 && len(served) < 2; i++ {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			fmt.Println(err)
			break
		}
		reply, _ := bufio.NewReader(c).ReadString('\n')
		c.Close()
		served[strings.TrimSpace(reply)] = true
	}
	fmt.Println("workers that answered:", len(served))

	cancel()
	fmt.Println("exit code:", <-done)
	// Output:
	// addresses printed by the workers: 1
	// workers that answered: 2
	// exit code: 0
}
