// Package bus provides the Lua module "golua.bus", the same in the eco and
// silly dialects: publish/subscribe with NATS subjects over the runtime's
// bus (package github.com/golua-ws/golua-ws/bus: the in-process bus shared
// by a process's workers, or NATS with --bus).
//
//	local bus = require 'golua.bus'
//	bus.publish(subject, data)          --> true | nil, err
//	local sub = bus.subscribe(subject)  --> sub | nil, err   ('*', '>' wildcards)
//	sub:recv([timeout])                 --> data, subject, reply | nil, err
//	sub:dropped()                       --> messages lost to a full queue
//	sub:subject(), sub:close()
//	bus.request(subject, data[, timeout]) --> data | nil, err   (default 5 s)
//
// Timeouts are in seconds. recv and request release the VM while they
// wait, so every other task keeps running; they return nil, 'timeout' when
// the timeout expires and nil, 'closed' once the subscription is closed or
// the runtime begins to shut down (every subscription is closed then).
// Other errors are strings: 'no responders', 'buffer full', 'too large',
// 'bad subject "…": reason'.
package bus
