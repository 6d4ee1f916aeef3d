package ingest

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
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
//  4. c0 (SLIP END): SLIP. A SLIP sender must start with END (RFC 1055
//     recommends it) or the stream is not recognised as SLIP.
//  5. a text banner: printable ASCII lines (tab and CR allowed), each ending
//     in LF, at most 4 KiB in all, directly followed by a pcap or pcapng
//     header: the banner is skipped. Text that is not followed by a header
//     within 4 KiB is an error.
//  6. a big-endian 16-bit length between 14 and MaxFrame: u16
//     length-prefixed frames.
//  7. anything else: an error naming the bytes seen.
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
			return nil, errors.New("empty stream: no bytes to detect a format from")
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
		return newSlipReader(br, opts), nil
	}
	if isText(head[0]) {
		fr, isBanner, err := skipBanner(br, opts)
		if isBanner {
			return fr, err
		}
	}
	if len(head) < 2 {
		return nil, fmt.Errorf("unrecognised stream format: it ended after 1 byte (%02x)", head[0])
	}
	if n := int(binary.BigEndian.Uint16(head)); n >= minEthernet && n <= opts.maxFrame() {
		return newU16Reader(br, opts), nil
	}
	return nil, fmt.Errorf("unrecognised stream format: first bytes % x are not a pcap magic (a1b2c3d4 or a1b23c4d, either byte order), a pcapng section header (0a0d0d0a), a SLIP END (c0), gzip (1f8b), a text banner or a plausible 16-bit frame length (14..%d)", head, opts.maxFrame())
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
		fr, err := newPcapngReader(br, opts)
		if err != nil {
			return nil, true, err
		}
		return fr, true, nil
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
