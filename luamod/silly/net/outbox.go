package sillynet

import "sync"

// Outbox is a write queue drained by a goroutine that exists only while
// there is something to send. Push never blocks, which gives silly's
// "write never yields" semantics without holding the VM token during a
// socket write.
//
// The first send error is kept: later Pushes return it and queued items are
// dropped. Close asks for finish to run once everything queued before it has
// been sent (silly flushes queued data before freeing a closed socket).
type Outbox struct {
	// Send writes one batch of items in order; it runs on the drain
	// goroutine, never concurrently with itself.
	Send func(items []OutItem) error
	// Finish runs once, on the drain goroutine, after Close and the last
	// send. It typically closes the connection.
	Finish func()

	mu       sync.Mutex
	idle     sync.Cond // signalled when the drain goroutine stops
	queue    []OutItem
	spare    []OutItem
	pending  int
	running  bool
	closed   bool
	finished bool
	err      error
}

// OutItem is one queued write: Kind is free for the owner (the WebSocket
// module stores the opcode there), Data is sent as is.
type OutItem struct {
	Kind int
	Data string
}

// Push queues data. It returns the stored send error, or errLocalClose after
// Close, without queuing anything.
func (o *Outbox) Push(kind int, data string) error {
	o.mu.Lock()
	if o.err != nil || o.closed {
		err := o.err
		if err == nil {
			err = errLocalClose
		}
		o.mu.Unlock()
		return err
	}
	o.queue = append(o.queue, OutItem{kind, data})
	o.pending += len(data)
	start := !o.running
	o.running = true
	o.mu.Unlock()
	if start {
		go o.drain()
	}
	return nil
}

// Err returns the first send error, if any.
func (o *Outbox) Err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// Pending returns the number of bytes queued and not yet sent.
func (o *Outbox) Pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pending
}

// WaitSent blocks until everything queued so far has been handed to Send
// (or dropped after an error). Readers call it, without the VM token,
// before reading on, so that replies already written go out before
// anything the read may send itself (a protocol-error close, for one).
func (o *Outbox) WaitSent() {
	o.mu.Lock()
	if o.idle.L == nil {
		o.idle.L = &o.mu
	}
	for o.running && !o.closed {
		o.idle.Wait()
	}
	o.mu.Unlock()
}

// Close stops accepting items and runs Finish once the queue is empty. It
// reports false if Close was already called.
func (o *Outbox) Close() bool {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return false
	}
	o.closed = true
	start := !o.running
	o.running = true
	o.mu.Unlock()
	if start {
		go o.drain()
	}
	return true
}

func (o *Outbox) drain() {
	for {
		o.mu.Lock()
		if len(o.queue) == 0 {
			o.running = false
			if o.idle.L != nil {
				o.idle.Broadcast()
			}
			fin := o.closed && !o.finished
			o.finished = o.finished || fin
			o.mu.Unlock()
			if fin && o.Finish != nil {
				o.Finish()
			}
			return
		}
		batch := o.queue
		o.queue = o.spare[:0]
		failed := o.err != nil
		o.mu.Unlock()

		var err error
		if !failed {
			err = o.Send(batch)
		}
		n := 0
		for i := range batch {
			n += len(batch[i].Data)
			batch[i] = OutItem{}
		}
		o.mu.Lock()
		o.pending -= n
		if err != nil && o.err == nil {
			o.err = err
		}
		o.spare = batch
		o.mu.Unlock()
	}
}
