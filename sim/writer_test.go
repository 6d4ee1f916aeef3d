package sim

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

// writerCases seed both TestWritersRoundTrip and FuzzWriters.
var writerCases = []struct {
	name string
	f    Frame
}{
	{"minimum frame", Frame{Data: bytes.Repeat([]byte{0x11}, 60), Time: epoch, Label: 0, Episode: "normal", Scenario: "default"}},
	{"length not a multiple of 4", Frame{Data: bytes.Repeat([]byte{0x22}, 61), Time: epoch.Add(time.Microsecond), Label: 1, Episode: "port_scan", Scenario: "port_scan"}},
	{"SLIP END and ESC bytes", Frame{Data: []byte{0xC0, 0xDB, 0xDC, 0xDD, 0xC0, 0xC0, 0xDB, 0xDB, 0x00, 0xDC}, Time: epoch, Label: 5, Episode: "broadcast_storm", Scenario: "default"}},
	{"full-size frame", Frame{Data: bytes.Repeat([]byte{0xC0, 0x01, 0xDB}, 505)[:1514], Time: epoch.Add(time.Hour), Label: 2}},
	{"one byte, no scenario or episode", Frame{Data: []byte{0xff}, Time: time.Unix(0, 0), Label: 3}},
	{"comment length a multiple of 4", Frame{Data: make([]byte, 64), Time: time.Unix(1<<32-1, 999999000), Label: 4, Episode: "abcd", Scenario: "xy"}},
}

// readBack decodes what one writer wrote: the frames (data, time, and the
// pcapng comment where the format has one).
func readBack(t testing.TB, format string, b []byte) (frames []Frame, comments []string) {
	t.Helper()
	switch format {
	case "pcapng":
		r, err := pcapgo.NewNgReader(bytes.NewReader(b), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			t.Fatal(err)
		}
		for {
			data, ci, opts, err := r.ReadPacketDataWithOptions()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ci.Length != len(data) {
				t.Fatalf("original length %d, captured %d", ci.Length, len(data))
			}
			frames = append(frames, Frame{Data: append([]byte(nil), data...), Time: ci.Timestamp})
			comments = append(comments, fmt.Sprint(opts.Comments))
		}
	case "pcap":
		r, err := pcapgo.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if r.LinkType() != 1 || r.Snaplen() != 65535 {
			t.Fatalf("pcap link type %d snaplen %d", r.LinkType(), r.Snaplen())
		}
		for {
			data, ci, err := r.ReadPacketData()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			frames = append(frames, Frame{Data: append([]byte(nil), data...), Time: ci.Timestamp})
		}
	case "slip":
		return slipDecode(t, b), nil
	}
	t.Fatalf("no reader for %s", format)
	return
}

// slipDecode is an RFC 1055 receiver that also insists every frame starts
// and ends with END and that ESC is only ever followed by ESC_END or ESC_ESC.
func slipDecode(t testing.TB, b []byte) []Frame {
	t.Helper()
	var frames []Frame
	var cur []byte
	in := false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == slipEND && !in:
			in = true
			cur = []byte{}
		case c == slipEND:
			frames = append(frames, Frame{Data: cur})
			in = false
		case !in:
			t.Fatalf("byte %#x at %d outside a frame", c, i)
		case c == slipESC:
			i++
			if i == len(b) || (b[i] != slipESCEND && b[i] != slipESCESC) {
				t.Fatalf("bad escape at %d", i)
			}
			cur = append(cur, map[byte]byte{slipESCEND: slipEND, slipESCESC: slipESC}[b[i]])
		default:
			cur = append(cur, c)
		}
	}
	if in {
		t.Fatal("last frame not closed by END")
	}
	return frames
}

func wantComment(f Frame) string {
	c := fmt.Sprintf("label=%d", f.Label)
	if f.Scenario != "" {
		c += " scenario=" + f.Scenario
	}
	if f.Episode != "" {
		c += " episode=" + f.Episode
	}
	return "[" + c + "]"
}

func checkRoundTrip(t testing.TB, format string, in []Frame) {
	t.Helper()
	var b bytes.Buffer
	w, err := NewWriter(&b, format)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range in {
		if err := w.WriteFrame(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out, comments := readBack(t, format, b.Bytes())
	if len(out) != len(in) {
		t.Fatalf("%s: read %d frames back, wrote %d", format, len(out), len(in))
	}
	for i := range in {
		if !bytes.Equal(out[i].Data, in[i].Data) {
			t.Fatalf("%s frame %d: data %x, want %x", format, i, out[i].Data, in[i].Data)
		}
		if format != "slip" && !out[i].Time.Equal(in[i].Time.Truncate(time.Microsecond)) {
			t.Fatalf("%s frame %d: time %v, want %v", format, i, out[i].Time, in[i].Time)
		}
		if format == "pcapng" && comments[i] != wantComment(in[i]) {
			t.Fatalf("pcapng frame %d: comments %s, want %s", i, comments[i], wantComment(in[i]))
		}
	}
}

func TestWritersRoundTrip(t *testing.T) {
	for _, format := range formats {
		for _, c := range writerCases {
			t.Run(format+"/"+c.name, func(t *testing.T) {
				checkRoundTrip(t, format, []Frame{c.f})
			})
		}
		t.Run(format+"/all in one stream", func(t *testing.T) {
			var all []Frame
			for _, c := range writerCases {
				all = append(all, c.f)
			}
			checkRoundTrip(t, format, all)
		})
	}
}

func TestNewWriterUnknownFormat(t *testing.T) {
	if _, err := NewWriter(io.Discard, "pcapx"); err == nil {
		t.Fatal("NewWriter accepted format pcapx")
	}
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, io.ErrClosedPipe
	}
	return len(p), nil
}

func TestWritersReportWriteErrors(t *testing.T) {
	for _, format := range formats {
		w, err := NewWriter(&failingWriter{after: 100}, format)
		if err != nil {
			t.Fatal(err)
		}
		var werr error
		for range 1000 {
			if werr = w.WriteFrame(writerCases[3].f); werr != nil {
				break
			}
		}
		if werr == nil {
			werr = w.Flush()
		}
		if werr == nil {
			t.Errorf("%s: a failing destination gave no error", format)
		}
	}
}

func FuzzWriters(f *testing.F) {
	for _, c := range writerCases {
		f.Add(c.f.Data, uint8(c.f.Label), c.f.Time.UnixMicro(), c.f.Episode)
	}
	f.Fuzz(func(t *testing.T, data []byte, label uint8, usec int64, episode string) {
		if len(data) == 0 || len(data) > 65535 || usec < 0 || usec >= 1<<32*1e6 || len(episode) > 1000 {
			t.Skip()
		}
		fr := Frame{Data: data, Label: int(label), Time: time.UnixMicro(usec).UTC(), Episode: episode, Scenario: "fuzz"}
		for _, format := range formats {
			checkRoundTrip(t, format, []Frame{fr, fr})
		}
	})
}
