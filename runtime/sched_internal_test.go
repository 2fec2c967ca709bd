package runtime

import "testing"

// TestReadyQueueHoldsOnlyQueuedTasks: once a task has left the ready queue,
// no slot of the queue's backing array may still point at it — a finished
// task held there keeps its thread and everything on that thread's stack
// (a closed connection's whole graph) alive. The queue compacts itself
// when more than half of it has been popped, which moves its tail down.
func TestReadyQueueHoldsOnlyQueuedTasks(t *testing.T) {
	rt := &Runtime{}
	s := &sched{held: true} // held: pushes queue without granting
	const pushed, popped = 300, 200
	for range pushed {
		s.pushLocked(&Task{rt: rt, wake: make(chan struct{}, 1)})
	}
	for range popped {
		s.grantLocked()
		s.held = true
	}
	if got := s.readyCountLocked(); got != pushed-popped {
		t.Fatalf("%d tasks ready, want %d", got, pushed-popped)
	}
	all := s.queue[:cap(s.queue)]
	for i, task := range all {
		queued := i >= s.head && i < len(s.queue)
		if queued && task == nil {
			t.Errorf("slot %d of the queue is empty", i)
		}
		if !queued && task != nil {
			t.Errorf("slot %d (head %d, len %d, cap %d) still holds a task that left the queue", i, s.head, len(s.queue), cap(s.queue))
		}
	}
}
