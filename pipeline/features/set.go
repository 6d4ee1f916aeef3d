package features

import (
	"fmt"
	"math"
	"net"
	"sort"
	"strconv"
)

// Notation says how a feature's raw value is shown to a person.
type Notation int

const (
	NotationNumber   Notation = iota // a count, length, rate: shown as a number
	NotationDstMAC                   // a code for the destination MAC: shown with the address
	NotationSrcMAC                   // a code for the source MAC: shown with the address
	NotationHex16                    // a 16-bit field (EtherType): shown as 0x0800
	NotationFlag                     // 0 or 1
	NotationPort                     // a TCP/UDP port; 0 (no port) shown as "-"
	NotationTCPFlags                 // TCP flag bitmask (FIN=1 ... CWR=128): shown as letters, "SA" for SYN/ACK
	NotationProto                    // IP protocol / IPv6 next header: "tcp", "udp", "icmp", ... or the number; -1 shown as "-"
	NotationSeconds                  // a duration in seconds: shown as "250µs", "1.50ms", "2.000s"
	NotationCode                     // a small code (ICMP type, ARP opcode); negative (absent) shown as "-"
)

// Feature names one column of a feature vector.
type Feature struct {
	Name     string
	Notation Notation
	Help     string
	// Scale says how the learners see the raw value (StandardScaler):
	// standardised (the zero value), log1p-transformed then standardised,
	// or as it is (0/1 indicators).
	Scale Scale
	// Group, for a 0/1 indicator, names the one-hot group it belongs to
	// (the columns coding one categorical field, e.g. "ethertype"); empty
	// for a flag that stands alone.
	Group string
	// LogUnit, with ScaleLog, is what the raw value is divided by before
	// log1p (0 means 1): 1e-6 for times in seconds, so that microseconds
	// to seconds spread over the log scale instead of all sitting near 0.
	LogUnit float64
}

// Scale is how a feature's raw value is turned into what the learners see.
type Scale int

const (
	// ScaleStandard standardises with the running mean and variance.
	ScaleStandard Scale = iota
	// ScaleLog standardises log1p(v/LogUnit): for heavy-tailed counts,
	// rates, sizes and times, where a few huge values would otherwise
	// squash everything else to one point.
	ScaleLog
	// ScaleNone passes the value through: 0/1 indicators (one-hot codes,
	// flag bits), which categorical learners read as categories.
	ScaleNone
)

// Categorical reports whether the column is a 0/1 indicator.
func (f Feature) Categorical() bool { return f.Scale == ScaleNone && f.Notation == NotationFlag }

// Set extracts a fixed-length feature vector from each decoded frame. A set
// may keep state (MAC tables, per-host statistics); it is used by one
// goroutine and must not allocate per frame in steady state.
type Set interface {
	Name() string
	Features() []Feature
	// Extract writes len(Features()) raw values (before scaling) to out.
	Extract(p *Packet, out []float64)
	Reset()
}

var sets = map[string]func() Set{}

// RegisterSet makes a feature set available by name.
func RegisterSet(name string, mk func() Set) { sets[name] = mk }

// SetNames lists the available feature sets.
func SetNames() []string {
	names := make([]string, 0, len(sets))
	for n := range sets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NewSet builds the named feature set.
func NewSet(name string) (Set, error) {
	mk, ok := sets[name]
	if !ok {
		return nil, fmt.Errorf("unknown feature set %q (choose one of %v)", name, SetNames())
	}
	return mk(), nil
}

// FormatRaw shows a raw feature value to a person; frame is the start of
// the frame it came from (for MAC addresses).
func FormatRaw(f Feature, v float64, frame []byte) string {
	switch f.Notation {
	case NotationDstMAC:
		if len(frame) >= 6 {
			return net.HardwareAddr(frame[0:6]).String() + " #" + strconv.Itoa(int(v))
		}
	case NotationSrcMAC:
		if len(frame) >= 12 {
			return net.HardwareAddr(frame[6:12]).String() + " #" + strconv.Itoa(int(v))
		}
	case NotationHex16:
		return fmt.Sprintf("0x%04x", uint16(v))
	case NotationFlag:
		if v != 0 {
			return "1"
		}
		return "0"
	case NotationPort:
		if v == 0 {
			return "-"
		}
	case NotationCode:
		if v < 0 {
			return "-"
		}
	case NotationTCPFlags:
		return formatTCPFlags(int(v))
	case NotationProto:
		return formatProto(v)
	case NotationSeconds:
		return formatSeconds(v)
	}
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', 5, 64)
}

// Basic is the prototype's four features: destination MAC and source MAC
// (coded in order of first sight), EtherType and payload length (bytes
// after the 14-byte Ethernet header).
type Basic struct {
	Dst, Src *MACEncoder
}

func init() { RegisterSet("basic", func() Set { return NewBasic() }) }

// NewBasic returns the basic set with default-size MAC tables.
func NewBasic() *Basic {
	return &Basic{Dst: NewMACEncoder(0), Src: NewMACEncoder(0)}
}

var basicFeatures = []Feature{
	{Name: "dst_mac", Notation: NotationDstMAC, Help: "destination MAC, coded in order of first sight"},
	{Name: "src_mac", Notation: NotationSrcMAC, Help: "source MAC, coded in order of first sight"},
	{Name: "ethertype", Notation: NotationHex16, Help: "EtherType field of the Ethernet header"},
	{Name: "payload_len", Notation: NotationNumber, Help: "bytes after the Ethernet header"},
}

func (b *Basic) Name() string        { return "basic" }
func (b *Basic) Features() []Feature { return basicFeatures }
func (b *Basic) Reset()              { b.Dst.Reset(); b.Src.Reset() }

func (b *Basic) Extract(p *Packet, out []float64) {
	out[0] = float64(b.Dst.Encode(p.Data[0:6]))
	out[1] = float64(b.Src.Encode(p.Data[6:12]))
	out[2] = float64(uint16(p.Data[12])<<8 | uint16(p.Data[13]))
	out[3] = float64(len(p.Data) - 14)
}

// tcpFlagBits are the TCP header's flag bits (byte 13), in the order
// FormatRaw prints their letters: SYN and ACK first, as people say "SA".
var tcpFlagBits = [...]struct {
	bit    int
	letter byte
}{{2, 'S'}, {16, 'A'}, {1, 'F'}, {4, 'R'}, {8, 'P'}, {32, 'U'}, {64, 'E'}, {128, 'C'}}

func formatTCPFlags(v int) string {
	if v <= 0 {
		return "-"
	}
	var b [8]byte
	n := 0
	for _, f := range tcpFlagBits {
		if v&f.bit != 0 {
			b[n] = f.letter
			n++
		}
	}
	return string(b[:n])
}

func formatProto(v float64) string {
	switch {
	case v < 0:
		return "-"
	case v == 1:
		return "icmp"
	case v == 2:
		return "igmp"
	case v == 6:
		return "tcp"
	case v == 17:
		return "udp"
	case v == 58:
		return "icmpv6"
	}
	return strconv.Itoa(int(v))
}

func formatSeconds(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0"
	case a < 1e-3:
		return strconv.FormatFloat(v*1e6, 'f', 0, 64) + "µs"
	case a < 1:
		return strconv.FormatFloat(v*1e3, 'f', 2, 64) + "ms"
	}
	return strconv.FormatFloat(v, 'f', 3, 64) + "s"
}
