package ingest

import (
	"bufio"
	"bytes"
	"io"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// Fuzz targets, one per FrameReader and one for detection, seeded from the
// case table of TestReaders. Each checks that no input panics, that every
// frame fits MaxFrame, and that the reader's buffer never grows past
// MaxFrame (the per-frame allocation bound). The second argument picks a
// MaxFrame (0: the default) so small bounds are explored too.

func fuzzSeeds(f *testing.F, format string) {
	for _, tc := range readerCases() {
		if format == "" || tc.format == format {
			f.Add(tc.input, uint16(tc.opts.MaxFrame))
		}
	}
}

func fuzzOptions(m uint16) Options {
	return Options{MaxFrame: int(m), SkipNonEthernet: m%2 == 1}
}

// drain reads frames until an error and checks the bounds.
func drain(t *testing.T, fr FrameReader, opts Options) {
	limit := opts.maxFrame()
	for i := 0; ; i++ {
		f, err := fr.ReadFrame()
		if err != nil {
			if err != io.EOF && err.Error() == "" {
				t.Fatal("error without a message")
			}
			return
		}
		if len(f.Data) > limit || cap(f.Data) > limit {
			t.Fatalf("frame %d: len %d cap %d exceeds MaxFrame %d", i, len(f.Data), cap(f.Data), limit)
		}
		if f.OrigLen < len(f.Data) {
			t.Fatalf("frame %d: OrigLen %d < len %d", i, f.OrigLen, len(f.Data))
		}
		if i > 1<<20 {
			t.Fatal("reader does not end")
		}
	}
}

func FuzzNewReader(f *testing.F) {
	fuzzSeeds(f, "")
	f.Fuzz(func(t *testing.T, b []byte, m uint16) {
		opts := fuzzOptions(m)
		fr, err := NewReader(bytes.NewReader(b), opts)
		if err != nil {
			return
		}
		drain(t, fr, opts)
	})
}

func FuzzPcap(f *testing.F) {
	fuzzSeeds(f, "pcap")
	f.Fuzz(func(t *testing.T, b []byte, m uint16) {
		opts := fuzzOptions(m)
		fr, err := newPcapReader(bufio.NewReader(bytes.NewReader(b)), opts)
		if err != nil {
			return
		}
		drain(t, fr, opts)
	})
}

func FuzzPcapng(f *testing.F) {
	fuzzSeeds(f, "pcapng")
	f.Fuzz(func(t *testing.T, b []byte, m uint16) {
		opts := fuzzOptions(m)
		fr := newPcapngReader(bufio.NewReader(bytes.NewReader(b)), opts)
		drain(t, fr, opts)
	})
}

func FuzzSLIP(f *testing.F) {
	fuzzSeeds(f, "slip")
	f.Fuzz(func(t *testing.T, b []byte, m uint16) {
		opts := fuzzOptions(m)
		r := newSlipReader(bufio.NewReader(bytes.NewReader(b)), opts)
		drain(t, r, opts)
		// Every frame SLIP returns must re-encode to bytes found in the
		// input: check the count of END-separated non-empty chunks bounds
		// the frames returned.
		r2 := newSlipReader(bufio.NewReader(bytes.NewReader(b)), opts)
		n := 0
		for {
			if _, err := r2.ReadFrame(); err != nil {
				break
			}
			n++
		}
		if chunks := bytes.Count(b, []byte{slipEnd}); n > chunks {
			t.Fatalf("%d frames from %d END bytes", n, chunks)
		}
	})
}

func FuzzU16(f *testing.F) {
	fuzzSeeds(f, "u16")
	f.Fuzz(func(t *testing.T, b []byte, m uint16) {
		opts := fuzzOptions(m)
		drain(t, newU16Reader(bufio.NewReader(bytes.NewReader(b)), opts), opts)
	})
}

// cycleReader serves head once, then body over and over: an endless
// stream for benchmarks that never allocates.
type cycleReader struct {
	head, body []byte
	pos        int
}

func (c *cycleReader) Read(p []byte) (int, error) {
	if len(c.head) > 0 {
		n := copy(p, c.head)
		c.head = c.head[n:]
		return n, nil
	}
	n := 0
	for n < len(p) {
		k := copy(p[n:], c.body[c.pos:])
		n += k
		c.pos = (c.pos + k) % len(c.body)
	}
	return n, nil
}

func benchFrames() [][]byte {
	sizes := []int{60, 64, 128, 590, 1514, 74, 342, 1024}
	var fs [][]byte
	for i := range 64 {
		fs = append(fs, testFrame(i, sizes[i%len(sizes)]))
	}
	return fs
}

func benchReader(b *testing.B, r io.Reader, format string) {
	fr, err := NewReader(r, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if fr.Format() != format {
		b.Fatalf("format %s", fr.Format())
	}
	// Warm up: buffers reach their steady size.
	for range 200 {
		if _, err := fr.ReadFrame(); err != nil {
			b.Fatal(err)
		}
	}
	bytes := 0
	b.ReportAllocs()
	for b.Loop() {
		f, err := fr.ReadFrame()
		if err != nil {
			b.Fatal(err)
		}
		bytes += len(f.Data)
	}
	b.ReportMetric(float64(bytes)/float64(b.N), "bytes/frame")
}

func BenchmarkPcap(b *testing.B) {
	all := buildPcap(le(), false, 1, benchFrames())
	benchReader(b, &cycleReader{head: all[:24], body: all[24:]}, "pcap")
}

func BenchmarkPcapng(b *testing.B) {
	n := &ngBuilder{order: le()}
	n.shb()
	n.idb(linkTypeEthernet, ngOpt{ngOptIfTsresol, []byte{9}})
	head := bytes.Clone(n.b.Bytes())
	n.b.Reset()
	for i, f := range benchFrames() {
		if i%2 == 0 {
			n.epb(0, uint64(i), f, comment("label=1 scenario=bench"))
		} else {
			n.epb(0, uint64(i), f)
		}
	}
	benchReader(b, &cycleReader{head: head, body: n.b.Bytes()}, "pcapng")
}

func BenchmarkSLIP(b *testing.B) {
	benchReader(b, &cycleReader{body: slipEncode(benchFrames()...)}, "slip")
}

func BenchmarkU16(b *testing.B) {
	benchReader(b, &cycleReader{body: u16Encode(benchFrames()...)}, "u16")
}

func BenchmarkRecorder(b *testing.B) {
	rec, err := NewRecorder(io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	fs := benchFrames()
	frames := make([]Frame, len(fs))
	for i := range fs {
		frames[i] = Frame{Data: fs[i], OrigLen: len(fs[i]), Timestamp: testEpoch, Label: i % 3, HasLabel: i%2 == 0, Comment: "scenario=bench"}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := rec.WriteFrame(&frames[i%len(frames)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// TestZeroAllocsPerFrame checks the steady-state allocation claim outside
// benchmarks, so `go test` catches a regression.
func TestZeroAllocsPerFrame(t *testing.T) {
	n := &ngBuilder{order: le()}
	n.shb()
	n.idb(linkTypeEthernet)
	head := bytes.Clone(n.b.Bytes())
	n.b.Reset()
	for i, f := range benchFrames() {
		n.epb(0, uint64(i), f, comment("label=2 scenario=x"))
	}
	pcap := buildPcap(be(), true, 1, benchFrames())
	for _, s := range []struct {
		name string
		r    io.Reader
	}{
		{"pcap", &cycleReader{head: pcap[:24], body: pcap[24:]}},
		{"pcapng", &cycleReader{head: head, body: n.b.Bytes()}},
		{"slip", &cycleReader{body: slipEncode(benchFrames()...)}},
		{"u16", &cycleReader{body: u16Encode(benchFrames()...)}},
	} {
		fr, err := NewReader(s.r, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for range 200 {
			fr.ReadFrame()
		}
		allocs, check := testkit.AllocsPerRun(t, 1000, func() {
			if _, err := fr.ReadFrame(); err != nil {
				t.Fatal(err)
			}
		})
		if check && allocs != 0 {
			t.Errorf("%s: %v allocations per frame, want 0", s.name, allocs)
		}
	}
}
