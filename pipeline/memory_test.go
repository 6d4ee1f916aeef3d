package pipeline

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/ingest"
)

// TestLargeFramesDoNotPinMemory: 250 frames of 4 MiB (as with --max-frame
// 16777216) pass through the queue; afterwards the heap holds far less
// than the 1 GB that slots keeping their largest buffer would pin. The
// bound is QueueBytes (in flight) plus QueueSize × slotKeepBytes (idle
// slots) plus the test's own frame and the learners: 128 MiB.
func TestLargeFramesDoNotPinMemory(t *testing.T) {
	const frameBytes, frames, bound = 4 << 20, 250, 128 << 20
	p, err := New(Config{Learners: []string{"majority"}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background()) }()
	data := make([]byte, frameBytes)
	copy(data, []byte{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x88, 0xb5})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	maxQueued := int64(0)
	for range frames {
		if err := p.Submit(ctx, &ingest.Frame{Data: data, Timestamp: time.Now()}); err != nil {
			t.Fatal(err)
		}
		maxQueued = max(maxQueued, p.queuedBytes.Load())
	}
	p.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if maxQueued > DefaultQueueBytes+frameBytes {
		t.Errorf("the queue held %d bytes, over its cap %d plus one frame", maxQueued, DefaultQueueBytes)
	}
	if s := p.Snapshot(); s.Counters.Received != frames || s.Counters.Decoded != frames {
		t.Fatalf("counters %+v, want %d received and decoded", s.Counters, frames)
	}
	data = nil
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("heap in use after %d frames of %d bytes: %d MiB (bound %d MiB)", frames, frameBytes, ms.HeapInuse>>20, bound>>20)
	if ms.HeapInuse > bound {
		t.Errorf("heap in use %d MiB after the frames passed, want at most %d MiB", ms.HeapInuse>>20, bound>>20)
	}
	runtime.KeepAlive(p)
}

// TestQueueByteCapDrops: with DropWhenBusy, a frame that would take the
// queued bytes over QueueBytes is dropped and counted; a frame alone in
// the queue passes whatever its size.
func TestQueueByteCapDrops(t *testing.T) {
	p, err := New(Config{QueueBytes: 1500, DropWhenBusy: true, Learners: []string{"majority"}})
	if err != nil {
		t.Fatal(err)
	}
	big := &ingest.Frame{Data: make([]byte, 4000)}
	small := &ingest.Frame{Data: make([]byte, 1000)}
	ctx := context.Background()
	if err := p.Submit(ctx, big); err != nil {
		t.Fatalf("a frame alone in the queue: %v", err)
	}
	if err := p.Submit(ctx, small); err != ErrDropped {
		t.Fatalf("over the byte cap: %v, want ErrDropped", err)
	}
	p.Close()
	if err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	c := p.Snapshot().Counters
	if c.Received != 2 || c.Dropped != 1 || c.DecodeErrors+c.Decoded != 1 {
		t.Fatalf("counters %+v", c)
	}
}
