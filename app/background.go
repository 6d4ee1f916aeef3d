package app

import (
	"errors"
	"fmt"
	"maps"
	"sync"

	"github.com/etherlearn/etherlearn/classifiers"
	"github.com/etherlearn/etherlearn/pipeline"
)

// The window must never wait for a source or a pipeline: opening a serial
// device, dialling, stopping a simulator or draining the pipeline's queue
// can each take a while. These methods run Start, Stop and SetParams on the
// session's own worker goroutine, one after another in the order they were
// asked for, and report back through a callback (and Status).

// StartInBackground stops what runs, then starts cfg; done (if not nil)
// receives Start's error on the worker goroutine.
func (s *Session) StartInBackground(cfg SourceConfig, done func(error)) {
	s.mu.Lock()
	s.status = Status{State: StateConnecting, Message: "Starting…"}
	s.mu.Unlock()
	s.work.do(func() {
		err := s.Start(cfg)
		if err != nil {
			s.mu.Lock()
			s.status = Status{State: StateFailed, Message: err.Error(), Err: err}
			s.mu.Unlock()
		}
		if done != nil {
			done(err)
		}
	})
}

// StopInBackground stops what runs; done (if not nil) is called on the
// worker goroutine once the source and the pipeline have ended.
func (s *Session) StopInBackground(done func()) {
	if s.Running() {
		s.setMessage("Stopping…")
	}
	s.work.do(func() {
		s.Stop()
		if done != nil {
			done()
		}
	})
}

// SetParamsInBackground checks a learner's new hyper-parameters and keeps
// them for the next Start at once (a bad value is an error here); the
// running learner is rebuilt on the worker.
func (s *Session) SetParamsInBackground(name string, values map[string]string) error {
	spec, ok := classifiers.Lookup(name)
	if !ok {
		return fmt.Errorf("unknown learner %q", name)
	}
	if err := spec.Validate(values); err != nil { // missing values take the defaults
		return err
	}
	cp := maps.Clone(values)
	s.mu.Lock()
	if s.settings.Params == nil {
		s.settings.Params = map[string]map[string]string{}
	}
	s.settings.Params[name] = cp
	p := s.pipe
	s.mu.Unlock()
	s.work.do(func() {
		if p == nil || !s.Running() {
			return
		}
		if err := p.SetParams(name, cp); err != nil && !errors.Is(err, pipeline.ErrEnded) {
			s.mu.Lock()
			s.status.Message = "Could not apply the new parameters: " + err.Error()
			s.mu.Unlock()
		}
	})
	return nil
}

// Shutdown ends the session at once, for a window that is closing: what
// the worker has queued is dropped, the source is closed, the pipeline
// stops without learning what it has queued, and any recording is closed
// complete. It returns when all of that is done.
func (s *Session) Shutdown() {
	s.abortPipeline()
	s.work.close()
	// A Start the worker was in the middle of has returned now (close
	// waits for it): end what it started the same way.
	s.abortPipeline()
	s.Stop()
}

// abortPipeline makes the running pipeline stop without draining its queue.
func (s *Session) abortPipeline() {
	s.mu.Lock()
	abort := s.abort
	s.mu.Unlock()
	if abort != nil {
		abort()
	}
}

// setMessage shows a sentence in the status line while the worker works.
func (s *Session) setMessage(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status.Message = msg
	s.status.Err = nil
}

// workQueue runs functions one at a time, in order, on a goroutine that
// exists only while there is work.
type workQueue struct {
	mu      sync.Mutex
	pending []func()
	running bool
	closed  bool
	idle    *sync.Cond
}

func (q *workQueue) do(f func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.pending = append(q.pending, f)
	if !q.running {
		q.running = true
		go q.loop()
	}
}

func (q *workQueue) loop() {
	for {
		q.mu.Lock()
		if len(q.pending) == 0 || q.closed {
			q.pending = nil
			q.running = false
			if q.idle != nil {
				q.idle.Broadcast()
			}
			q.mu.Unlock()
			return
		}
		f := q.pending[0]
		q.pending = q.pending[1:]
		q.mu.Unlock()
		f()
	}
}

// close drops what is queued, refuses new work and waits for the function
// that runs (if any) to return.
func (q *workQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.pending = nil
	if q.idle == nil {
		q.idle = sync.NewCond(&q.mu)
	}
	for q.running {
		q.idle.Wait()
	}
}
