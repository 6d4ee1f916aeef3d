package ingest

import (
	"bytes"
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket"
)

// testFrame returns a plausible Ethernet frame of n bytes (n >= 14) whose
// payload encodes i, so frames can be told apart.
func testFrame(i, n int) []byte {
	b := make([]byte, n)
	copy(b, []byte{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x88, 0xb5})
	for j := 14; j < n; j++ {
		b[j] = byte(i + j)
	}
	return b
}

func testFrames(count int) [][]byte {
	fs := make([][]byte, count)
	for i := range fs {
		fs[i] = testFrame(i, 60+i*7%200)
	}
	return fs
}

var testEpoch = time.Date(2026, 11, 27, 12, 0, 0, 123456000, time.UTC)

// buildPcap hand-builds a pcap stream. linkType may carry FCS bits.
func buildPcap(order binary.ByteOrder, nano bool, linkType uint32, frames [][]byte) []byte {
	var b bytes.Buffer
	magic := uint32(pcapMagicMicro)
	if nano {
		magic = pcapMagicNano
	}
	h := make([]byte, 24)
	order.PutUint32(h[0:], magic)
	order.PutUint16(h[4:], 2)
	order.PutUint16(h[6:], 4)
	order.PutUint32(h[16:], 65535)
	order.PutUint32(h[20:], linkType)
	b.Write(h)
	for i, f := range frames {
		ts := testEpoch.Add(time.Duration(i) * time.Millisecond)
		r := make([]byte, 16)
		order.PutUint32(r[0:], uint32(ts.Unix()))
		frac := uint32(ts.Nanosecond() / 1000)
		if nano {
			frac = uint32(ts.Nanosecond())
		}
		order.PutUint32(r[4:], frac)
		order.PutUint32(r[8:], uint32(len(f)))
		order.PutUint32(r[12:], uint32(len(f)))
		b.Write(r)
		b.Write(f)
	}
	return b.Bytes()
}

// ngBuilder hand-builds pcapng blocks in a chosen byte order.
type ngBuilder struct {
	order binary.ByteOrder
	b     bytes.Buffer
}

type ngOpt struct {
	code uint16
	val  []byte
}

func ngOptsBytes(order binary.ByteOrder, opts []ngOpt) []byte {
	if len(opts) == 0 {
		return nil
	}
	var b bytes.Buffer
	for _, o := range opts {
		h := make([]byte, 4)
		order.PutUint16(h[0:], o.code)
		order.PutUint16(h[2:], uint16(len(o.val)))
		b.Write(h)
		b.Write(o.val)
		b.Write(make([]byte, (4-len(o.val)%4)%4))
	}
	b.Write([]byte{0, 0, 0, 0})
	return b.Bytes()
}

func (n *ngBuilder) block(typ uint32, body []byte) {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	l := uint32(12 + len(body))
	h := make([]byte, 8)
	n.order.PutUint32(h[0:], typ)
	n.order.PutUint32(h[4:], l)
	n.b.Write(h)
	n.b.Write(body)
	t := make([]byte, 4)
	n.order.PutUint32(t, l)
	n.b.Write(t)
}

func (n *ngBuilder) shb() {
	body := make([]byte, 16)
	n.order.PutUint32(body[0:], ngByteOrderMagic)
	n.order.PutUint16(body[4:], 1)
	n.order.PutUint64(body[8:], ^uint64(0))
	n.block(ngBlockSHB, body)
}

func (n *ngBuilder) idb(linkType uint16, opts ...ngOpt) {
	body := make([]byte, 8)
	n.order.PutUint16(body[0:], linkType)
	n.order.PutUint32(body[4:], 0)
	n.block(ngBlockIDB, append(body, ngOptsBytes(n.order, opts)...))
}

func (n *ngBuilder) epb(iface uint32, ts uint64, data []byte, opts ...ngOpt) {
	body := make([]byte, 20)
	n.order.PutUint32(body[0:], iface)
	n.order.PutUint32(body[4:], uint32(ts>>32))
	n.order.PutUint32(body[8:], uint32(ts))
	n.order.PutUint32(body[12:], uint32(len(data)))
	n.order.PutUint32(body[16:], uint32(len(data)))
	body = append(body, data...)
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	n.block(ngBlockEPB, append(body, ngOptsBytes(n.order, opts)...))
}

func (n *ngBuilder) spb(data []byte) {
	body := make([]byte, 4)
	n.order.PutUint32(body[0:], uint32(len(data)))
	n.block(ngBlockSPB, append(body, data...))
}

func (n *ngBuilder) isb(iface uint32, recv, drop uint64) {
	body := make([]byte, 12)
	n.order.PutUint32(body[0:], iface)
	r := make([]byte, 8)
	n.order.PutUint64(r, recv)
	d := make([]byte, 8)
	n.order.PutUint64(d, drop)
	n.block(ngBlockISB, append(body, ngOptsBytes(n.order, []ngOpt{{ngOptIsbIfRecv, r}, {ngOptIsbIfDrop, d}})...))
}

func comment(s string) ngOpt { return ngOpt{ngOptComment, []byte(s)} }

func captureInfo(ts time.Time, data []byte) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(data), Length: len(data)}
}
