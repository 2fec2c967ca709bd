package sillynet

import (
	"errors"

	"github.com/golua-ws/golua-ws/luamod/internal/outbox"
)

// Outbox is the shared write-behind queue (package outbox) with silly's
// error for a push after close. Push never blocks, which gives silly's
// "write never yields" semantics without holding the VM token during a
// socket write.
type Outbox struct{ outbox.Outbox }

// OutItem is one queued write.
type OutItem = outbox.Item

// Push queues data and starts the writer. After Close it returns
// errLocalClose (errno.CLOSED); after a failed send, that send's error.
func (o *Outbox) Push(kind int, data string) error {
	err := o.Outbox.Push(kind, data)
	if errors.Is(err, outbox.ErrClosed) {
		return errLocalClose
	}
	return err
}
