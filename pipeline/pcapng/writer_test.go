package pcapng

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// TestWriterReadBackWithPcapgo writes packets of every padding length,
// with and without comments, in both timestamp resolutions, and reads them
// back with gopacket's pcapgo (an independent reader).
func TestWriterReadBackWithPcapgo(t *testing.T) {
	epoch := time.Date(2024, 5, 1, 12, 0, 0, 123456789, time.UTC)
	long := strings.Repeat("x", MaxComment+10)
	type pkt struct {
		data    []byte
		orig    int
		comment string
	}
	var pkts []pkt
	for n := 60; n < 64; n++ {
		pkts = append(pkts, pkt{bytes.Repeat([]byte{byte(n)}, n), n, ""})
		pkts = append(pkts, pkt{bytes.Repeat([]byte{byte(n)}, n), n + 100, "label=" + strings.Repeat("7", n-59)})
	}
	pkts = append(pkts, pkt{[]byte{1, 2, 3}, 3, long})
	for _, nanos := range []bool{false, true} {
		var b bytes.Buffer
		w := NewWriter(&b, "test app", Interface{Name: "eth9", SnapLen: 65535, Nanoseconds: nanos})
		for i, p := range pkts {
			if err := w.WritePacket(epoch.Add(time.Duration(i)*time.Millisecond), p.data, p.orig, []byte(p.comment)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r, err := pcapgo.NewNgReader(bytes.NewReader(b.Bytes()), pcapgo.NgReaderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.LinkType() != 1 {
			t.Errorf("link type %v, want Ethernet", r.LinkType())
		}
		if intf, err := r.Interface(0); err != nil || intf.Name != "eth9" || intf.SnapLength != 65535 {
			t.Errorf("interface %+v, %v", intf, err)
		}
		for i, p := range pkts {
			data, ci, opts, err := r.ReadPacketDataWithOptions()
			if err != nil {
				t.Fatalf("nanos=%v packet %d: %v", nanos, i, err)
			}
			want := epoch.Add(time.Duration(i) * time.Millisecond)
			if !nanos {
				want = want.Truncate(time.Microsecond)
			}
			c := ""
			if len(opts.Comments) > 0 {
				c = opts.Comments[0]
			}
			wantC := p.comment
			if len(wantC) > MaxComment {
				wantC = wantC[:MaxComment]
			}
			if !bytes.Equal(data, p.data) || ci.Length != p.orig || !ci.Timestamp.Equal(want) || c != wantC {
				t.Errorf("nanos=%v packet %d: %d bytes, length %d, time %v, comment %d bytes; want %d, %d, %v, %d",
					nanos, i, len(data), ci.Length, ci.Timestamp, len(c), len(p.data), p.orig, want, len(wantC))
			}
		}
		if _, _, err := r.ReadPacketData(); err != io.EOF {
			t.Errorf("after the last packet: %v, want EOF", err)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestWriterErrorSticks: the first write error is returned by every later
// call.
func TestWriterErrorSticks(t *testing.T) {
	w := NewWriter(failingWriter{}, "x", Interface{})
	if err := w.Flush(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Flush: %v", err)
	}
	if err := w.WritePacket(time.Unix(1, 0), []byte{1}, 1, nil); err == nil {
		t.Error("WritePacket after a failed flush succeeded")
	}
}

// TestWritePacketAllocs: writing a packet does not allocate.
func TestWritePacketAllocs(t *testing.T) {
	w := NewWriter(io.Discard, "x", Interface{})
	data, comment := make([]byte, 200), []byte("label=1 scenario=default")
	ts := time.Unix(1700000000, 0)
	if n, check := testkit.AllocsPerRun(t, 1000, func() { _ = w.WritePacket(ts, data, len(data), comment) }); check && n != 0 {
		t.Errorf("WritePacket: %v allocations per packet, want 0", n)
	}
}
