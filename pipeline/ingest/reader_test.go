package ingest

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

// readAll reads every frame of a stream, copying the data.
func readAll(t testing.TB, fr FrameReader, maxFrame int) ([]Frame, error) {
	var out []Frame
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			if err == io.EOF {
				return out, nil
			}
			return out, err
		}
		if len(f.Data) > maxFrame {
			t.Fatalf("frame %d: %d bytes exceeds MaxFrame %d", len(out)+1, len(f.Data), maxFrame)
		}
		c := *f
		c.Data = bytes.Clone(f.Data)
		out = append(out, c)
		if len(out) > 1<<20 {
			t.Fatal("reader does not end")
		}
	}
}

// pcapgoCount reads a pcap or pcapng stream with gopacket's pcapgo, an
// independent implementation, and returns the frames it sees.
func pcapgoFrames(t *testing.T, format string, b []byte) [][]byte {
	t.Helper()
	var out [][]byte
	switch format {
	case "pcap":
		r, err := pcapgo.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("pcapgo: %v", err)
		}
		for {
			d, _, err := r.ReadPacketData()
			if err != nil {
				break
			}
			out = append(out, d)
		}
	case "pcapng":
		r, err := pcapgo.NewNgReader(bytes.NewReader(b), pcapgo.NgReaderOptions{})
		if err != nil {
			t.Fatalf("pcapgo: %v", err)
		}
		for {
			d, _, err := r.ReadPacketData()
			if err != nil {
				break
			}
			out = append(out, d)
		}
	}
	return out
}

func TestReaders(t *testing.T) {
	for _, tc := range readerCases() {
		t.Run(tc.name, func(t *testing.T) {
			fr, err := NewReader(bytes.NewReader(tc.input), tc.opts)
			if tc.newErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.newErr) {
					t.Fatalf("NewReader error = %v, want one containing %q", err, tc.newErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewReader: %v", err)
			}
			if fr.Format() != tc.format {
				t.Fatalf("format %q, want %q", fr.Format(), tc.format)
			}
			frames, err := readAll(t, fr, tc.opts.maxFrame())
			if tc.endErr == "" && err != nil {
				t.Fatalf("after %d frames: %v", len(frames), err)
			}
			if tc.endErr != "" && (err == nil || !strings.Contains(err.Error(), tc.endErr)) {
				t.Fatalf("end error = %v, want one containing %q", err, tc.endErr)
			}
			if len(frames) != tc.frames {
				t.Fatalf("%d frames, want %d", len(frames), tc.frames)
			}
			if tc.discarded >= 0 {
				dc, ok := fr.(DiscardCounter)
				if !ok {
					t.Fatalf("a %s reader does not count discarded frames", fr.Format())
				}
				if got := dc.Discarded(); got != uint64(tc.discarded) {
					t.Fatalf("%d frames discarded, want %d", got, tc.discarded)
				}
			}
			if tc.labels != nil {
				for i, f := range frames {
					want := tc.labels[i]
					if (want >= 0) != f.HasLabel || (f.HasLabel && f.Label != want) {
						t.Errorf("frame %d: label %d/%v (comment %q), want %d", i+1, f.Label, f.HasLabel, f.Comment, want)
					}
				}
			}
			if tc.noCheck || tc.format != "pcap" && tc.format != "pcapng" {
				return
			}
			ref := pcapgoFrames(t, tc.format, tc.input)
			if len(ref) != len(frames) {
				t.Fatalf("pcapgo reads %d frames, we read %d", len(ref), len(frames))
			}
			for i := range ref {
				if !bytes.Equal(ref[i], frames[i].Data) {
					t.Fatalf("frame %d differs from pcapgo's", i+1)
				}
			}
		})
	}
}

func TestPcapTimestamps(t *testing.T) {
	for _, nano := range []bool{false, true} {
		fr, err := NewReader(bytes.NewReader(buildPcap(be(), nano, 1, testFrames(3))), Options{})
		if err != nil {
			t.Fatal(err)
		}
		frames, err := readAll(t, fr, DefaultMaxFrame)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range frames {
			want := testEpoch.Add(time.Duration(i) * time.Millisecond)
			if !f.Timestamp.Equal(want) {
				t.Errorf("nano=%v frame %d: timestamp %v, want %v", nano, i, f.Timestamp.UTC(), want)
			}
		}
	}
}

func TestPcapFCSStripped(t *testing.T) {
	fcs := [][]byte{append(testFrame(0, 64), 1, 2, 3, 4)}
	fr, err := NewReader(bytes.NewReader(buildPcap(le(), false, 1|pcapFCSPresentFlag|2<<28, fcs)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := fr.ReadFrame()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.Data, testFrame(0, 64)) || f.OrigLen != 64 {
		t.Fatalf("got %d bytes (orig %d), want the 64-byte frame without its FCS", len(f.Data), f.OrigLen)
	}
}

func TestPcapngFCSStripped(t *testing.T) {
	fr, err := NewReader(bytes.NewReader(pcapngFCS()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := fr.ReadFrame()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.Data, testFrame(1, 60)) || f.OrigLen != 60 {
		t.Fatalf("got %d bytes (orig %d), want the 60-byte frame without its FCS", len(f.Data), f.OrigLen)
	}
}

func TestPcapngDetails(t *testing.T) {
	var stats []InterfaceStats
	fr, err := NewReader(bytes.NewReader(pcapngTwoSections()), Options{SkipNonEthernet: true,
		OnInterfaceStats: func(s InterfaceStats) { stats = append(stats, s) }})
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, fr, DefaultMaxFrame)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 || stats[0].Dropped != 4 || stats[0].Received != 10 {
		t.Errorf("interface stats %+v, want one with 10 received, 4 dropped", stats)
	}
	if got := frames[0].Timestamp; !got.Equal(time.Unix(0, 1000)) {
		t.Errorf("EPB default resolution: timestamp %v, want 1 µs after the epoch", got)
	}
	if got := frames[2].Timestamp; !got.Equal(time.Unix(5, 0)) {
		t.Errorf("EPB with if_tsresol 2^-20: timestamp %v, want 5 s after the epoch", got)
	}
	if frames[2].Interface != 1 || !bytes.Equal(frames[1].Data, testFrame(2, 70)) {
		t.Errorf("interface %d, SPB data ok %v", frames[2].Interface, bytes.Equal(frames[1].Data, testFrame(2, 70)))
	}
}

// TestPcapngWrittenByPcapgo reads a pcapng stream written by gopacket's
// NgWriter, an independent writer, with packet comments.
func TestPcapngWrittenByPcapgo(t *testing.T) {
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriter(&b, 1)
	if err != nil {
		t.Fatal(err)
	}
	fs := testFrames(20)
	for i, f := range fs {
		ci := captureInfo(testEpoch.Add(time.Duration(i)*time.Microsecond), f)
		var opts pcapgo.NgPacketOptions
		if i%3 != 0 {
			opts.Comments = []string{"label=" + string(rune('0'+i%3)) + " scenario=test"}
		}
		if err := w.WritePacketWithOptions(ci, f, opts); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	fr, err := NewReader(&b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, fr, DefaultMaxFrame)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != len(fs) {
		t.Fatalf("%d frames, want %d", len(frames), len(fs))
	}
	for i, f := range frames {
		if !bytes.Equal(f.Data, fs[i]) {
			t.Errorf("frame %d data differs", i)
		}
		if !f.Timestamp.Equal(testEpoch.Add(time.Duration(i) * time.Microsecond)) {
			t.Errorf("frame %d timestamp %v", i, f.Timestamp)
		}
		if wantLabel := i%3 != 0; f.HasLabel != wantLabel || (wantLabel && f.Label != i%3) {
			t.Errorf("frame %d: label %d/%v from comment %q", i, f.Label, f.HasLabel, f.Comment)
		}
	}
}

func TestParseLabel(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want bool
	}{
		{"label=3", 3, true},
		{"label=12 scenario=scan", 12, true},
		{"scenario=x, label=0", 0, true},
		{"mylabel=4", 0, false},
		{"label=", 0, false},
		{"label=4x", 0, false},
		{"label=99999999999999999999", 0, false},
		{"relabel=1 label=2", 2, true},
		{"", 0, false},
	} {
		n, ok := ParseLabel(tc.in)
		if n != tc.n || ok != tc.want {
			t.Errorf("ParseLabel(%q) = %d, %v; want %d, %v", tc.in, n, ok, tc.n, tc.want)
		}
	}
}

func TestErrorsAreUnexpectedEOF(t *testing.T) {
	fr, err := NewReader(bytes.NewReader(buildPcap(le(), false, 1, testFrames(2))[:50]), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = fr.ReadFrame()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated record: %v, want io.ErrUnexpectedEOF", err)
	}
}
