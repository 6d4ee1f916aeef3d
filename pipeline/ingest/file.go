package ingest

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// File is a Source that reads a capture file (any supported format, gzip
// included) once: as fast as possible, or, if Paced, at the pace of the
// capture's own frame timestamps. Formats without timestamps (SLIP, u16)
// carry receive times and therefore play as fast as possible.
type File struct {
	Path  string
	Paced bool

	read  atomic.Int64
	total atomic.Int64

	mu      sync.Mutex
	paused  bool
	resume  chan struct{} // closed when unpaused
	first   time.Time     // timestamp of the first paced frame
	start   time.Time     // when it was handed on
	pauseAt time.Time
}

func (f *File) String() string { return "file " + f.Path }

// Finite reports that a file ends: Run finishes at its end.
func (f *File) Finite() bool { return true }

// Open opens the file and resets progress and pacing.
func (f *File) Open(ctx context.Context) (io.ReadCloser, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	if st.IsDir() {
		fh.Close()
		return nil, fmt.Errorf("%s is a directory", f.Path)
	}
	f.read.Store(0)
	f.total.Store(st.Size())
	f.mu.Lock()
	f.first = time.Time{}
	f.mu.Unlock()
	return &countingReader{f: fh, n: &f.read}, nil
}

// Progress returns the fraction of the file read so far, 0..1 (bytes of
// the file as stored, so compressed bytes for a gzip file).
func (f *File) Progress() float64 {
	t := f.total.Load()
	if t <= 0 {
		return 0
	}
	return min(float64(f.read.Load())/float64(t), 1)
}

// SetPaused pauses or resumes the replay; Run blocks before handing on the
// next frame while paused. Pacing does not count the paused time.
func (f *File) SetPaused(p bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p == f.paused {
		return
	}
	f.paused = p
	if p {
		f.resume = make(chan struct{})
		f.pauseAt = time.Now()
		return
	}
	close(f.resume)
	if !f.start.IsZero() {
		f.start = f.start.Add(time.Since(f.pauseAt))
	}
}

// Paused reports whether the replay is paused.
func (f *File) Paused() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.paused
}

// pace waits while paused, and if Paced until the frame is due.
func (f *File) pace(ctx context.Context, fr *Frame) error {
	for {
		f.mu.Lock()
		if f.paused {
			ch := f.resume
			f.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if !f.Paced {
			f.mu.Unlock()
			return nil
		}
		if f.first.IsZero() {
			f.first, f.start = fr.Timestamp, time.Now()
			f.mu.Unlock()
			return nil
		}
		due := f.start.Add(fr.Timestamp.Sub(f.first))
		f.mu.Unlock()
		wait := time.Until(due)
		if wait <= 0 {
			return nil
		}
		// Wake at least every 100 ms so a pause takes effect promptly.
		if !sleep(ctx, min(wait, 100*time.Millisecond)) {
			return ctx.Err()
		}
	}
}

type countingReader struct {
	f *os.File
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingReader) Close() error { return c.f.Close() }
