package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
)

// readerCase is one input for the table-driven reader test; the same table
// seeds the fuzz targets.
type readerCase struct {
	name    string
	input   []byte
	opts    Options
	format  string // format NewReader should detect; "" if NewReader must fail
	frames  int    // frames expected before the end
	labels  []int  // per frame label, -1 for none; nil: not checked
	newErr  string // substring of NewReader's error
	endErr  string // substring of the error that ends the stream; "" for io.EOF
	noCheck bool   // skip the pcapgo cross-check (pcapgo disagrees by design)
	// discarded is how many frames a SLIP or u16 reader must count as
	// dropped by the end; -1 means not checked.
	discarded int
}

func le() binary.ByteOrder { return binary.LittleEndian }
func be() binary.ByteOrder { return binary.BigEndian }

func pcapngLabelled(order binary.ByteOrder) []byte {
	n := &ngBuilder{order: order}
	n.shb()
	n.idb(linkTypeEthernet, ngOpt{ngOptIfTsresol, []byte{9}})
	fs := testFrames(4)
	n.epb(0, uint64(testEpoch.UnixNano()), fs[0], comment("label=3 scenario=scan"))
	n.epb(0, uint64(testEpoch.UnixNano())+1000, fs[1])
	n.epb(0, uint64(testEpoch.UnixNano())+2000, fs[2], comment("note label=0"))
	n.block(0x0bad, []byte("unknown block, skipped"))
	n.epb(0, uint64(testEpoch.UnixNano())+3000, fs[3], comment("relabel=5 mislabel=7"))
	return n.b.Bytes()
}

func pcapngTwoSections() []byte {
	a := &ngBuilder{order: le()}
	a.shb()
	a.idb(linkTypeEthernet)
	a.epb(0, 1, testFrame(1, 64))
	a.spb(testFrame(2, 70))
	a.isb(0, 10, 4)
	b := &ngBuilder{order: be()}
	b.shb()
	b.idb(113) // a Linux cooked interface first
	b.idb(linkTypeEthernet, ngOpt{ngOptIfTsresol, []byte{0x80 | 20}})
	b.epb(1, 5<<20, testFrame(3, 80), comment("label=1"))
	return append(a.b.Bytes(), b.b.Bytes()...)
}

func pcapngFCS() []byte {
	n := &ngBuilder{order: be()}
	n.shb()
	n.idb(linkTypeEthernet, ngOpt{ngOptIfFcslen, []byte{32}})
	n.epb(0, 1, append(testFrame(1, 60), 1, 2, 3, 4))
	return n.b.Bytes()
}

func pcapngForeign() []byte {
	n := &ngBuilder{order: le()}
	n.shb()
	n.idb(113)
	n.epb(0, 1, testFrame(1, 64))
	return n.b.Bytes()
}

func corruptPcapLength() []byte {
	b := buildPcap(le(), false, linkTypeEthernet, testFrames(12))
	// record 12's captured length
	off := 24
	for i := 0; i < 11; i++ {
		off += 16 + int(le().Uint32(b[off+8:]))
	}
	le().PutUint32(b[off+8:], 0xffffffff)
	return b
}

func corruptPcapngLength() []byte {
	b := pcapngLabelled(le())
	// second block after the SHB (the IDB) gets an absurd length
	shbLen := int(le().Uint32(b[4:]))
	le().PutUint32(b[shbLen+4:], 0xfffffff0)
	return b
}

func slipEncode(frames ...[]byte) []byte {
	var b bytes.Buffer
	for _, f := range frames {
		b.WriteByte(slipEnd)
		for _, c := range f {
			switch c {
			case slipEnd:
				b.Write([]byte{slipEsc, slipEscEnd})
			case slipEsc:
				b.Write([]byte{slipEsc, slipEscEsc})
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte(slipEnd)
	}
	return b.Bytes()
}

func u16Encode(frames ...[]byte) []byte {
	var b bytes.Buffer
	for _, f := range frames {
		b.Write([]byte{byte(len(f) >> 8), byte(len(f))})
		b.Write(f)
	}
	return b.Bytes()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func readerCases() []readerCase {
	fs := testFrames(5)
	escFrame := testFrame(9, 40)
	escFrame[20], escFrame[21], escFrame[22] = slipEnd, slipEsc, slipEnd
	slipGarbage := append([]byte{slipEnd, 1, 2, slipEsc, 7, 3, 4}, slipEncode(fs[0], escFrame)...)
	slipGarbage = append(slipGarbage, slipEnd, slipEnd, 5, 6, 7, slipEnd) // empty frames, then a runt
	banner := append([]byte("ArduinoPcap sniffer v1.2\r\nchannel 6\n"), buildPcap(le(), false, 1, fs)...)
	fcs := make([][]byte, 3)
	for i := range fcs {
		fcs[i] = append(testFrame(i, 64), 0xde, 0xad, 0xbe, 0xef)
	}
	slipStream := slipEncode(fs...)
	odd := testFrame(7, 80)
	odd[12], odd[13] = 0x12, 0x34 // an EtherType nobody sends
	cases := []readerCase{
		{name: "pcap µs little-endian", input: buildPcap(le(), false, 1, fs), format: "pcap", frames: 5},
		{name: "pcap µs big-endian", input: buildPcap(be(), false, 1, fs), format: "pcap", frames: 5},
		{name: "pcap ns little-endian", input: buildPcap(le(), true, 1, fs), format: "pcap", frames: 5},
		{name: "pcap ns big-endian", input: buildPcap(be(), true, 1, fs), format: "pcap", frames: 5},
		{name: "pcap empty", input: buildPcap(le(), false, 1, nil), format: "pcap", frames: 0},
		{name: "pcap with 4-byte FCS", input: buildPcap(le(), false, 1|pcapFCSPresentFlag|2<<28, fcs), format: "pcap", frames: 3, noCheck: true},
		{name: "pcap Linux cooked refused", input: buildPcap(le(), false, 113, fs), newErr: "link type 113", noCheck: true},
		{name: "pcap corrupt record length", input: corruptPcapLength(), format: "pcap", frames: 11,
			endErr: "pcap record 12: captured length 4294967295 exceeds maximum frame size 65535"},
		{name: "pcap truncated record", input: buildPcap(le(), false, 1, fs)[:24+16+60+10], format: "pcap", frames: 1, endErr: "pcap record 2: header: stream ended"},
		{name: "pcap small MaxFrame", input: buildPcap(le(), false, 1, fs), opts: Options{MaxFrame: 64}, format: "pcap", frames: 1,
			endErr: "pcap record 2: captured length 67 exceeds maximum frame size 64", noCheck: true},
		{name: "pcapng labelled little-endian", input: pcapngLabelled(le()), format: "pcapng", frames: 4, labels: []int{3, -1, 0, -1}},
		{name: "pcapng labelled big-endian", input: pcapngLabelled(be()), format: "pcapng", frames: 4, labels: []int{3, -1, 0, -1}},
		{name: "pcapng two sections, SPB, ISB", input: pcapngTwoSections(), opts: Options{SkipNonEthernet: true}, format: "pcapng", frames: 3, labels: []int{-1, -1, 1}, noCheck: true},
		{name: "pcapng Linux cooked refused", input: pcapngForeign(), format: "pcapng", endErr: "link type 113", noCheck: true},
		{name: "pcapng Linux cooked skipped", input: pcapngForeign(), opts: Options{SkipNonEthernet: true}, format: "pcapng", noCheck: true},
		{name: "pcapng corrupt block length", input: corruptPcapngLength(), format: "pcapng", endErr: "block length 4294967280 exceeds maximum frame size", noCheck: true},
		{name: "pcapng truncated", input: pcapngLabelled(le())[:200], format: "pcapng", frames: 1, endErr: "stream ended", noCheck: true},
		{name: "gzip pcapng", input: gz(pcapngLabelled(le())), format: "pcapng", frames: 4, labels: []int{3, -1, 0, -1}, noCheck: true},
		{name: "banner then pcap", input: banner, format: "pcap", frames: 5, noCheck: true},
		{name: "banner without capture", input: []byte("hello\nworld\n"), newErr: "only a text banner", noCheck: true},
		{name: "slip", input: slipEncode(fs...), format: "slip", frames: 5},
		{name: "slip escapes and garbage", input: slipGarbage, format: "slip", frames: 2, discarded: 2},
		{name: "slip oversized frame dropped", input: slipEncode(testFrame(1, 40), testFrame(2, 200), testFrame(3, 41)), opts: Options{MaxFrame: 64}, format: "slip", frames: 2, discarded: 1},
		{name: "slip ends mid-frame", input: slipEncode(fs[0], fs[1])[:100], format: "slip", frames: 1, discarded: 1},
		{name: "pcapng with FCS", input: pcapngFCS(), format: "pcapng", frames: 1, noCheck: true},
		{name: "u16", input: u16Encode(fs...), format: "u16", frames: 5},
		{name: "u16 truncated", input: u16Encode(fs...)[:100], format: "u16", frames: 1, endErr: "u16 frame 2: data (67 bytes)"},
		{name: "unknown", input: []byte{0x00, 0x05, 0xff, 0x01}, newErr: "first bytes 00 05 ff 01"},
		{name: "empty", input: nil, newErr: "empty stream"},
		{name: "slip joined mid-frame", input: slipStream[30:], format: "slip", frames: 4, discarded: 1},
		{name: "slip odd EtherType between sound frames", input: slipEncode(fs[0], odd, odd, fs[1]), format: "slip", frames: 4, discarded: 0},
		{name: "slip odd frames at the end", input: slipEncode(fs[0], odd), format: "slip", frames: 2, discarded: 0},
		{name: "slip garbage ends the stream", input: slipEncode(fs[0], odd, odd, odd, odd, odd, odd, odd, odd, fs[1]), format: "slip", frames: 1,
			endErr: "slip: 8 frames in a row do not look like Ethernet (first seen: 80 bytes starting", discarded: 8},
		{name: "random bytes", input: randomBytes(1, 64<<10), format: "slip", frames: 0, endErr: "frames in a row do not look like Ethernet", discarded: -1},
		{name: "u16 odd frames", input: u16Encode(fs[0], fs[1], fs[2], odd, fs[3]), format: "u16", frames: 5, discarded: 0},
		{name: "u16 garbage ends the stream", input: u16Encode(fs[0], fs[1], fs[2], odd, odd, odd, odd, odd, odd, odd, odd, fs[3]), format: "u16", frames: 3,
			endErr: "u16: 8 frames in a row do not look like Ethernet", discarded: 8},
		{name: "u16 needs Ethernet-like records", input: u16Encode(fs[0], odd, fs[1]), newErr: "record 2 (80 bytes) does not look like Ethernet: it starts 02 00 00 00 00 01 02 00 00 00 00 02 12 34 15 16 (EtherType 0x1234)"},
		{name: "u16 first record implausible length", input: append([]byte{0x00, 0x05}, make([]byte, 64)...), newErr: "record 1 claims 5 bytes, outside 14..65535"},
	}
	for i := range cases {
		if cases[i].format != "slip" && cases[i].format != "u16" {
			cases[i].discarded = -1
		}
	}
	return cases
}

// randomBytes is n bytes of a fixed pseudo-random sequence (line noise, a
// sender speaking something else).
func randomBytes(seed uint64, n int) []byte {
	b := make([]byte, n)
	x := seed*0x9e3779b97f4a7c15 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = byte(x >> 24)
	}
	return b
}
