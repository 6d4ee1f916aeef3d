package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
)

// maxBanner bounds the text banner skipped before a pcap or pcapng header.
const maxBanner = 4096

// readerBufSize is the size of the bufio.Reader under every FrameReader.
const readerBufSize = 64 << 10

// NewReader detects the wire format from the first bytes of r and returns a
// FrameReader for it. Detection, in this order:
//
//  1. 1f 8b: gzip; the stream is decompressed and detected again (once).
//  2. a pcap magic: a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds), in
//     either byte order: pcap.
//  3. 0a 0d 0d 0a (a pcapng section header block): pcapng.
//  4. c0 (SLIP END) at the start: SLIP.
//  5. a text banner: printable ASCII lines (tab and CR allowed), each ending
//     in LF, at most 4 KiB in all, directly followed by a pcap or pcapng
//     header: the banner is skipped. Text that is not followed by a header
//     within 4 KiB is an error.
//  6. u16 length-prefixed frames, but only on evidence: the first three
//     records (fewer if the stream ends sooner, two if the next one does
//     not fit in the 64 KiB look-ahead) each have a length from 14 to
//     MaxFrame and content that looks like Ethernet (see looksLikeEthernet).
//  7. SLIP joined mid-stream: an END byte within the first 4 KiB. The bytes
//     before it (the tail of a frame) are dropped and counted as one
//     discarded frame; reading resynchronises at the END.
//  8. anything else: an error naming the bytes seen.
//
// SLIP and u16 streams stay under watch after detection: MaxImplausibleRun
// frames in a row that do not look like Ethernet end the stream with an
// error (see plausibilityGate), so garbage is counted, never learned.
//
// Step 5 is tried before step 6, so a u16 stream whose first frame is at
// least 8 KiB long and made of printable bytes up to a newline would be
// taken for a banner; real Ethernet frames start with a MAC address and do
// not look like that.
//
// NewReader blocks until it has seen enough bytes to decide.
func NewReader(r io.Reader, opts Options) (FrameReader, error) {
	return newReader(r, opts, true)
}

func newReader(r io.Reader, opts Options, allowGzip bool) (FrameReader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < readerBufSize {
		br = bufio.NewReaderSize(r, readerBufSize)
	}
	head, err := br.Peek(4)
	if len(head) == 0 {
		if err == io.EOF {
			return nil, ErrEmptyStream
		}
		return nil, fmt.Errorf("detecting format: %w", err)
	}
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b && allowGzip {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip-compressed stream: %w", err)
		}
		zr.Multistream(true)
		fr, err := newReader(zr, opts, false)
		if err != nil {
			return nil, fmt.Errorf("inside gzip-compressed stream: %w", err)
		}
		return fr, nil
	}
	if fr, ok, err := captureReader(br, head, opts); ok {
		return fr, err
	}
	if head[0] == slipEnd {
		return newPlausibilityGate(newSlipReader(br, opts), opts.maxFrame()), nil
	}
	if isText(head[0]) {
		fr, isBanner, err := skipBanner(br, opts)
		if isBanner {
			return fr, err
		}
	}
	u16, u16Why := looksLikeU16(br, opts.maxFrame())
	if u16 {
		return newPlausibilityGate(newU16Reader(br, opts), opts.maxFrame()), nil
	}
	if at, ok := findSlipEnd(br); ok {
		sr := newSlipReader(br, opts)
		br.Discard(at)
		sr.discarded++ // the tail of a frame whose start was missed
		return newPlausibilityGate(sr, opts.maxFrame()), nil
	}
	seen, _ := br.Peek(min(br.Buffered(), 16))
	if len(seen) < 2 {
		return nil, fmt.Errorf("unrecognised stream format: it ended after %d byte (% x)", len(seen), seen)
	}
	return nil, fmt.Errorf("unrecognised stream format: first bytes % x are not a pcap magic (a1b2c3d4 or a1b23c4d, either byte order), a pcapng section header (0a0d0d0a), gzip (1f8b) or a text banner; no SLIP END (c0) in the first %d bytes; not u16 frames (%s)",
		seen, slipSyncWindow, u16Why)
}

// slipSyncWindow is how far into a stream an END byte is looked for to
// join a SLIP stream mid-frame.
const slipSyncWindow = 4096

// findSlipEnd looks for a SLIP END within the first slipSyncWindow bytes
// without consuming anything. It asks the stream for one more byte at a
// time beyond what is buffered, so a slow sender is not asked for more than
// it has sent.
func findSlipEnd(br *bufio.Reader) (int, bool) {
	n := 1
	for {
		b, err := br.Peek(min(n, slipSyncWindow))
		if i := bytes.IndexByte(b, slipEnd); i >= 0 {
			return i, true
		}
		if err != nil || len(b) >= slipSyncWindow {
			return 0, false
		}
		n = max(len(b)+1, br.Buffered())
	}
}

// u16Evidence is how many consecutive plausible records make a stream u16.
const u16Evidence = 3

// looksLikeU16 checks the first records of the stream as u16 frames without
// consuming anything; if they are not, it says why.
func looksLikeU16(br *bufio.Reader, maxFrame int) (bool, string) {
	off, good := 0, 0
	for good < u16Evidence {
		// The length, the Ethernet header and two bytes of LLC of the
		// record at off.
		b, err := br.Peek(off + 2 + minEthernet + 2)
		if len(b) < off+2 {
			if good > 0 && err != nil {
				return true, "" // the stream ended after (or inside) a record: the reader says which
			}
			return false, fmt.Sprintf("the stream ended inside record %d", good+1)
		}
		n := int(binary.BigEndian.Uint16(b[off:]))
		if n < minEthernet || n > maxFrame {
			return false, fmt.Sprintf("record %d claims %d bytes, outside %d..%d", good+1, n, minEthernet, maxFrame)
		}
		h := b[off+2 : min(len(b), off+2+n)]
		if len(h) < min(n, minEthernet+2) {
			return good > 0, fmt.Sprintf("the stream ended inside record %d", good+1)
		}
		if !plausibleHeader(h, n) {
			return false, fmt.Sprintf("record %d (%d bytes) does not look like Ethernet: it starts %s", good+1, n, describeHead(h))
		}
		good++
		next := off + 2 + n
		if next+2+minEthernet > br.Size() {
			return good >= 2 || good >= 1 && next > br.Size(), "" // no room to look further
		}
		off = next
	}
	return true, ""
}

// captureReader returns a pcap or pcapng reader if head starts with one of
// their magics.
func captureReader(br *bufio.Reader, head []byte, opts Options) (FrameReader, bool, error) {
	if _, _, ok := isPcapMagic(head); ok {
		fr, err := newPcapReader(br, opts)
		if err != nil {
			return nil, true, err
		}
		return fr, true, nil
	}
	if len(head) >= 4 && binary.LittleEndian.Uint32(head) == ngBlockSHB {
		return newPcapngReader(br, opts), true, nil
	}
	return nil, false, nil
}

func isText(c byte) bool {
	return c >= 0x20 && c <= 0x7e || c == '\t' || c == '\r' || c == '\n'
}

// skipBanner decides whether the stream starts with a text banner (a first
// line of printable ASCII ending in LF within maxBanner bytes). If it does,
// it skips banner lines until a pcap or pcapng header and returns its
// reader; isBanner is false if the stream does not start with a banner, in
// which case nothing was consumed.
func skipBanner(br *bufio.Reader, opts Options) (fr FrameReader, isBanner bool, err error) {
	// Look at the first line without consuming it. Peek one byte further
	// at a time so a slow stream is not asked for more than it has sent.
	for i := 0; ; i++ {
		if i >= maxBanner {
			return nil, true, fmt.Errorf("text banner longer than %d bytes without a line end", maxBanner)
		}
		b, err := br.Peek(i + 1)
		if len(b) <= i {
			if err == io.EOF {
				return nil, true, fmt.Errorf("stream holds only text (%d bytes), no capture header", i)
			}
			return nil, true, err
		}
		if !isText(b[i]) {
			return nil, false, nil
		}
		if b[i] == '\n' {
			break
		}
	}
	skipped := 0
	for {
		line, err := br.ReadSlice('\n')
		skipped += len(line)
		for _, c := range line {
			if !isText(c) {
				return nil, true, fmt.Errorf("text banner: byte %02x at offset %d is not printable text and no pcap or pcapng header follows the banner", c, skipped-len(line))
			}
		}
		if err != nil {
			if err == io.EOF {
				return nil, true, fmt.Errorf("stream holds only a text banner (%d bytes), no capture header", skipped)
			}
			return nil, true, fmt.Errorf("text banner: %w", err)
		}
		if skipped > maxBanner {
			return nil, true, fmt.Errorf("text banner longer than %d bytes is not followed by a pcap or pcapng header", maxBanner)
		}
		head, _ := br.Peek(4)
		if len(head) == 4 {
			if fr, ok, err := captureReader(br, head, opts); ok {
				return fr, true, err
			}
		}
	}
}
