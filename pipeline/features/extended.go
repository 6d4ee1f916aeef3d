package features

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// The extended feature sets, registered by name. They differ only in how
// MAC addresses are coded (see MACEncoding): the UI's feature-set menu
// lists them through SetNames. The default, "extended", has no address
// columns: a learner should judge what a host does, not who it is (a
// hashed MAC bucket lets a model memorise the attacker of the day).
const (
	ExtendedName           = "extended"            // MACNone
	ExtendedHashedMACName  = "extended-mac"        // MACHashed
	ExtendedFirstSightName = "extended-firstsight" // MACFirstSight, as the basic set
)

func init() {
	for _, m := range []MACEncoding{MACHashed, MACFirstSight, MACNone} {
		cfg := DefaultExtendedConfig()
		cfg.MAC = m
		name := ExtendedName
		switch m {
		case MACFirstSight:
			name = ExtendedFirstSightName
		case MACHashed:
			name = ExtendedHashedMACName
		}
		RegisterSet(name, func() Set {
			x, err := NewExtended(name, cfg)
			if err != nil {
				panic(err) // the defaults are valid
			}
			return x
		})
	}
}

// maxLambdas bounds ExtendedConfig.Lambdas (per-host state is fixed-size).
const maxLambdas = 4

// ExtendedConfig configures an extended set. Decay rates λ are per second
// of capture time: a value seen Δt ago weighs exp(-λ·Δt), so 1/λ is the
// time constant (λ=5: the last 200 ms; λ=0.1: the last 10 s).
type ExtendedConfig struct {
	MAC        MACEncoding
	MACBuckets int // MACHashed buckets (DefaultMACBuckets)
	MACTable   int // MACFirstSight table size (DefaultMACTableSize)

	// Lambdas are the decay rates of the per-source and per-conversation
	// frame rates, one feature each (at most 4; default 5, 1, 0.1).
	Lambdas []float64
	// StatLambda is the decay rate of the size and inter-arrival means and
	// spreads (default 1).
	StatLambda float64
	// HalfOpenLambda is the decay rate of the SYN and SYN/ACK counts behind
	// src_half_open (default 0.1: a slow decay, so that one new connection
	// whose SYN/ACK is still on its way barely moves the ratio).
	HalfOpenLambda float64
	// DistinctWindow is the generation length of the distinct ports/hosts
	// bitmaps: the counts cover the last one to two windows (default 1 s).
	DistinctWindow time.Duration
	// ClaimWindow is how long an ARP claim of an address counts (default 10 s).
	ClaimWindow time.Duration
	// IPMACWindow is how long a (source IPv4, source MAC) pairing counts for
	// src_ip_macs (default 2 s: short, because a man in the middle relays
	// continuously while it lasts, and the count should fall soon after).
	IPMACWindow time.Duration
	// AnswerWindow is how long a UDP datagram counts as the question that
	// a datagram in the opposite direction answers, for udp_unsolicited
	// (default 30 s, about as long as NAT and firewall UDP state lasts).
	AnswerWindow time.Duration

	// Table capacities; each table evicts its least recently seen entry
	// when a new key arrives and it is full.
	Sources       int // source MACs (default 4096)
	Conversations int // host pairs (default 16384)
	ARPAddresses  int // IPv4 addresses claimed in ARP (default 4096)
	IPSources     int // source IPv4 addresses for src_ip_macs (default 4096)
	Repeats       int // frame digests for frame_repeats (default 4096)
	Flows         int // UDP flows (addresses and ports) for udp_unsolicited (default 16384)
}

// DefaultExtendedConfig returns the configuration of the registered
// "extended" set.
func DefaultExtendedConfig() ExtendedConfig {
	return ExtendedConfig{
		MAC: MACNone, MACBuckets: DefaultMACBuckets, MACTable: DefaultMACTableSize,
		Lambdas: []float64{5, 1, 0.1}, StatLambda: 1, HalfOpenLambda: 0.1,
		DistinctWindow: time.Second, ClaimWindow: 10 * time.Second, IPMACWindow: 2 * time.Second, AnswerWindow: 30 * time.Second,
		Sources: 4096, Conversations: 16384, ARPAddresses: 4096, IPSources: 4096, Repeats: 4096, Flows: 16384,
	}
}

// Extended is the feature vector a network engineer would look at: header
// fields of every layer, and per-source and per-conversation statistics
// over exponentially damped windows (Kitsune's AfterImage). See Features
// for the columns and their meaning; values absent from a frame (no IP, no
// ports, ...) are 0, and so is every indicator of a one-hot group whose
// field the frame lacks.
//
// Per-source state is keyed by source MAC: spoofed IP addresses from one
// station still land on one entry, and traffic routed from the internet is
// seen as the router's. Conversations are keyed by (source IP, destination
// IP), directional, or by the MAC pair for frames without IP. Memory is
// fixed by the capacities in ExtendedConfig; nothing allocates per frame
// once the tables hold the hosts seen (or are full), except the
// first-sight MAC table while it fills.
type Extended struct {
	name  string
	cfg   ExtendedConfig
	feats []Feature

	dstEnc, srcEnc *MACEncoder // MACFirstSight only

	src  *lruTable[uint64, sourceStats]
	conv *lruTable[convKey, hostStats]
	arp  *lruTable[uint32, arpClaims]
	// the MACs each source IPv4 address was recently sent from (the same
	// bookkeeping as ARP claims, fed by IPv4 headers)
	ipMACs *lruTable[uint32, arpClaims]
	// recent frames by digest (frameDigest), for frame_repeats
	repeats *lruTable[uint64, repeatCount]
	// when each recent UDP flow (source and destination address and port,
	// hashed by flowHash) last sent, for udp_unsolicited
	flows *lruTable[uint64, int64]

	lambdas                      []float64
	distinctNS, claimNS, ipMACNS int64
	answerNS                     int64
	last                         int64 // capture time of the previous frame (ns)
	haveLast                     bool
}

// NewExtended builds an extended set with cfg; zero fields take the
// defaults. name is what Name reports.
func NewExtended(name string, cfg ExtendedConfig) (*Extended, error) {
	def := DefaultExtendedConfig()
	for _, f := range []struct{ v, def *int }{
		{&cfg.MACBuckets, &def.MACBuckets}, {&cfg.MACTable, &def.MACTable}, {&cfg.Sources, &def.Sources},
		{&cfg.Conversations, &def.Conversations}, {&cfg.ARPAddresses, &def.ARPAddresses},
		{&cfg.IPSources, &def.IPSources}, {&cfg.Repeats, &def.Repeats}, {&cfg.Flows, &def.Flows},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	for _, f := range []struct{ v, def *time.Duration }{
		{&cfg.DistinctWindow, &def.DistinctWindow}, {&cfg.ClaimWindow, &def.ClaimWindow},
		{&cfg.IPMACWindow, &def.IPMACWindow}, {&cfg.AnswerWindow, &def.AnswerWindow},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	if len(cfg.Lambdas) == 0 {
		cfg.Lambdas = def.Lambdas
	}
	// a negative rate is an error (below), not "unset"
	if cfg.StatLambda == 0 {
		cfg.StatLambda = def.StatLambda
	}
	if cfg.HalfOpenLambda == 0 {
		cfg.HalfOpenLambda = def.HalfOpenLambda
	}
	if len(cfg.Lambdas) > maxLambdas {
		return nil, fmt.Errorf("extended features: %d decay rates, at most %d", len(cfg.Lambdas), maxLambdas)
	}
	for _, l := range append([]float64{cfg.StatLambda, cfg.HalfOpenLambda}, cfg.Lambdas...) {
		if !(l > 0) {
			return nil, fmt.Errorf("extended features: decay rate %v, want > 0", l)
		}
	}
	if cfg.MAC < MACHashed || cfg.MAC > MACNone {
		return nil, fmt.Errorf("extended features: unknown MAC encoding %d", int(cfg.MAC))
	}
	x := &Extended{
		name: name, cfg: cfg,
		lambdas:    append([]float64(nil), cfg.Lambdas...),
		distinctNS: int64(cfg.DistinctWindow), claimNS: int64(cfg.ClaimWindow), ipMACNS: int64(cfg.IPMACWindow),
		answerNS: int64(cfg.AnswerWindow),
		src:      newLRUTable[uint64, sourceStats](cfg.Sources, mix64),
		conv:     newLRUTable[convKey, hostStats](cfg.Conversations, convKey.hash),
		arp:      newLRUTable[uint32, arpClaims](cfg.ARPAddresses, hashIPv4),
		ipMACs:   newLRUTable[uint32, arpClaims](cfg.IPSources, hashIPv4),
		repeats:  newLRUTable[uint64, repeatCount](cfg.Repeats, mix64),
		flows:    newLRUTable[uint64, int64](cfg.Flows, mix64),
	}
	if cfg.MAC == MACFirstSight {
		x.dstEnc, x.srcEnc = NewMACEncoder(cfg.MACTable), NewMACEncoder(cfg.MACTable)
	}
	x.feats = x.features()
	return x, nil
}

func (x *Extended) Name() string        { return x.name }
func (x *Extended) Features() []Feature { return x.feats }

// Config returns the configuration in use (defaults filled in).
func (x *Extended) Config() ExtendedConfig { return x.cfg }

// TableSizes counts the entries of an Extended set's bounded tables.
type TableSizes struct{ Sources, Conversations, ARPAddresses, IPSources, Repeats, Flows int }

// TableSizes reports how many entries each bounded table holds.
func (x *Extended) TableSizes() TableSizes {
	return TableSizes{x.src.Len(), x.conv.Len(), x.arp.Len(), x.ipMACs.Len(), x.repeats.Len(), x.flows.Len()}
}

func (x *Extended) Reset() {
	x.src.reset()
	x.conv.reset()
	x.arp.reset()
	x.ipMACs.reset()
	x.repeats.reset()
	x.flows.reset()
	if x.dstEnc != nil {
		x.dstEnc.Reset()
		x.srcEnc.Reset()
	}
	x.last, x.haveLast = 0, false
}

func lambdaName(l float64) string { return "_l" + strconv.FormatFloat(l, 'g', -1, 64) }

// servicePorts are the well-known ports of services an office runs or
// reaches (and scanners probe first); a port in this list is coded
// "service", apart from other ports below 1024 ("low").
var servicePorts = [...]uint16{20, 21, 22, 23, 25, 53, 67, 68, 80, 110, 123, 135, 137, 138, 139, 143, 161, 389, 443, 445,
	465, 514, 515, 587, 631, 993, 995, 1433, 1900, 3306, 3389, 5060, 5353, 8080, 8443, 9100}

// servicePortBits has bit p set for each p in servicePorts, so that
// portClass tests one bit instead of scanning the list (twice per frame,
// it was 6% of decode + extended features).
var servicePortBits = func() (b [servicePortLimit / 64]uint64) {
	for _, p := range servicePorts {
		b[p/64] |= 1 << (p % 64)
	}
	return b
}()

// servicePortLimit bounds servicePorts (a multiple of 64).
const servicePortLimit = 9216

// portClass codes a port: 0 service, 1 other well-known (< 1024), 2
// registered (1024-49151), 3 ephemeral (49152-65535, the IANA dynamic range).
func portClass(p uint16) int {
	if p < servicePortLimit && servicePortBits[p/64]&(1<<(p%64)) != 0 {
		return 0
	}
	switch {
	case p < 1024:
		return 1
	case p < 49152:
		return 2
	}
	return 3
}

var portClassNames = [...]string{"service", "low", "registered", "ephemeral"}
var portClassHelp = [...]string{
	"a common service port (22, 53, 80, 443, 445, 3389, 5060, ...)",
	"another well-known port below 1024",
	"a registered port (1024-49151) that is not a common service",
	"an ephemeral port (49152-65535)",
}

// features lists the columns in the order Extract writes them.
//
// Codes are one-hot: a 0/1 column per common value plus an "other"
// (EtherType, IP protocol, ICMP type, ARP opcode, port class), and the TCP
// flags are one column per bit, so that no learner reads a distance into
// 0x0806 - 0x0800 or into port 443 - 80. Counts, rates, sizes and times
// are heavy-tailed: the learners see them log1p-transformed (ScaleLog);
// the table shows the raw value.
func (x *Extended) features() []Feature {
	var fs []Feature
	add := func(name string, k Notation, help string) {
		fs = append(fs, Feature{Name: name, Notation: k, Help: help})
	}
	flagCol := func(name, help string) {
		fs = append(fs, Feature{Name: name, Notation: NotationFlag, Help: help, Scale: ScaleNone})
	}
	oneHot := func(group, name, help string) {
		fs = append(fs, Feature{Name: name, Notation: NotationFlag, Help: help, Scale: ScaleNone, Group: group})
	}
	logCol := func(name string, k Notation, help string) {
		f := Feature{Name: name, Notation: k, Help: help + " (learners see log1p)", Scale: ScaleLog}
		if k == NotationSeconds {
			f.LogUnit = 1e-6
			f.Help = help + " (learners see log1p of microseconds)"
		}
		fs = append(fs, f)
	}
	switch x.cfg.MAC {
	case MACHashed:
		help := fmt.Sprintf("hashed into %d buckets (same code for the same address in every run)", x.cfg.MACBuckets)
		add("dst_mac", NotationDstMAC, "destination MAC, "+help)
		add("src_mac", NotationSrcMAC, "source MAC, "+help)
	case MACFirstSight:
		add("dst_mac", NotationDstMAC, "destination MAC, coded in order of first sight")
		add("src_mac", NotationSrcMAC, "source MAC, coded in order of first sight")
	}
	flagCol("dst_broadcast", "destination MAC is ff:ff:ff:ff:ff:ff")
	flagCol("dst_multicast", "destination MAC has the group bit and is not broadcast")
	if x.cfg.MAC != MACNone {
		// a property of the address, like the MAC codes above: in the
		// address-free default set it would name hosts (the laptops with
		// private Wi-Fi addresses, the VMs) rather than describe traffic
		flagCol("src_local_admin", "source MAC is locally administered (random or virtual MACs)")
	}
	flagCol("vlan_tagged", "the frame carries an 802.1Q tag")
	oneHot("ethertype", "eth_ipv4", "EtherType (after any 802.1Q tag) is IPv4, 0x0800")
	oneHot("ethertype", "eth_ipv6", "EtherType is IPv6, 0x86dd")
	oneHot("ethertype", "eth_arp", "EtherType is ARP, 0x0806")
	oneHot("ethertype", "eth_other", "another EtherType")
	logCol("payload_len", NotationNumber, "bytes after the Ethernet header")
	oneHot("ip_proto", "proto_tcp", "IP protocol / IPv6 next header is TCP")
	oneHot("ip_proto", "proto_udp", "IP protocol is UDP")
	oneHot("ip_proto", "proto_icmp", "IP protocol is ICMP or ICMPv6")
	oneHot("ip_proto", "proto_other", "another IP protocol or IPv6 extension header")
	add("ttl", NotationNumber, "IPv4 TTL or IPv6 hop limit (0 = no IP)")
	logCol("ip_payload_len", NotationNumber, "bytes after the IP header, as the IP header says")
	for _, side := range []string{"src", "dst"} {
		for c, n := range portClassNames {
			oneHot(side+"_port", side+"_port_"+n, "TCP or UDP "+side+" port is "+portClassHelp[c])
		}
	}
	flagCol("tcp_syn", "TCP SYN")
	flagCol("tcp_ack", "TCP ACK")
	flagCol("tcp_fin", "TCP FIN")
	flagCol("tcp_rst", "TCP RST")
	flagCol("tcp_psh", "TCP PSH")
	flagCol("tcp_urg", "TCP URG")
	oneHot("icmp_type", "icmp_echo_request", "ICMP echo request (type 8, ICMPv6 128)")
	oneHot("icmp_type", "icmp_echo_reply", "ICMP echo reply (type 0, ICMPv6 129)")
	oneHot("icmp_type", "icmp_unreachable", "ICMP destination unreachable (type 3, ICMPv6 1)")
	oneHot("icmp_type", "icmp_nd", "ICMPv6 router or neighbour discovery (types 133-137)")
	oneHot("icmp_type", "icmp_other", "another ICMP or ICMPv6 type")
	oneHot("arp_op", "arp_request", "ARP request (opcode 1)")
	oneHot("arp_op", "arp_reply", "ARP reply (opcode 2)")
	logCol("iat", NotationSeconds, "capture time since the previous frame")
	logCol("frame_repeats", NotationNumber, fmt.Sprintf("copies of this very frame (same length and first %d bytes) seen just before it: a decayed count with λ=%g/s, 0 for a new frame; a switching loop repeats the same frames thousands of times a second", repeatPrefix, repeatLambda))
	flagCol("frame_repeated", "frame_repeats is at least 0.5: a copy of this very frame went by within about the last 0.7 s")
	for _, l := range x.lambdas {
		logCol("src_rate"+lambdaName(l), NotationNumber, fmt.Sprintf("frames/s from this source MAC, damped with λ=%g/s (λ × decayed frame count)", l))
	}
	sl := lambdaName(x.cfg.StatLambda)
	logCol("src_size_mean"+sl, NotationNumber, fmt.Sprintf("mean frame size from this source MAC, damped with λ=%g/s", x.cfg.StatLambda))
	logCol("src_size_std"+sl, NotationNumber, fmt.Sprintf("standard deviation of frame size from this source MAC, λ=%g/s", x.cfg.StatLambda))
	logCol("src_iat_mean"+sl, NotationSeconds, fmt.Sprintf("mean time between frames of this source MAC, λ=%g/s", x.cfg.StatLambda))
	logCol("src_iat_std"+sl, NotationSeconds, fmt.Sprintf("standard deviation of the time between frames of this source MAC, λ=%g/s", x.cfg.StatLambda))
	logCol("src_dst_ports", NotationNumber, fmt.Sprintf("distinct TCP/UDP destination ports this source MAC sent to in the last %v to %v (approximate)", x.cfg.DistinctWindow, 2*x.cfg.DistinctWindow))
	logCol("src_dst_hosts", NotationNumber, fmt.Sprintf("distinct destination hosts (IP, ARP target or MAC) of this source MAC in the last %v to %v (approximate)", x.cfg.DistinctWindow, 2*x.cfg.DistinctWindow))
	add("src_half_open", NotationNumber, fmt.Sprintf("share of this source MAC's SYNs not answered by a SYN/ACK (damped, λ=%g/s)", x.cfg.HalfOpenLambda))
	for _, l := range x.lambdas {
		logCol("conv_rate"+lambdaName(l), NotationNumber, fmt.Sprintf("frames/s from this source to this destination host, damped with λ=%g/s", l))
	}
	logCol("conv_size_mean"+sl, NotationNumber, fmt.Sprintf("mean frame size from this source to this destination host, λ=%g/s", x.cfg.StatLambda))
	logCol("conv_size_std"+sl, NotationNumber, fmt.Sprintf("standard deviation of frame size from this source to this destination host, λ=%g/s", x.cfg.StatLambda))
	logCol("conv_iat_mean"+sl, NotationSeconds, fmt.Sprintf("mean time between frames from this source to this destination host, λ=%g/s", x.cfg.StatLambda))
	logCol("conv_iat_std"+sl, NotationSeconds, fmt.Sprintf("jitter: standard deviation of the time between frames of this conversation, λ=%g/s", x.cfg.StatLambda))
	add("arp_claims", NotationNumber, fmt.Sprintf("ARP frames: distinct MACs that claimed the sender's IP in the last %v (2 or more: spoofing?); 0 otherwise", x.cfg.ClaimWindow))
	add("src_ip_macs", NotationNumber, fmt.Sprintf("IPv4 frames: distinct source MACs that sent from this source IP in the last %v (2 or more: a relaying man in the middle?); 0 otherwise", x.cfg.IPMACWindow))
	flagCol("src_mac_contested", fmt.Sprintf("the source MAC claimed in ARP, in the last %v, an address another MAC had been claiming for longer (a spoofer, or a re-addressed host)", x.cfg.ClaimWindow))
	flagCol("dst_mac_contested", fmt.Sprintf("the destination MAC claimed in ARP, in the last %v, an address another MAC had been claiming for longer: frames misdirected to a man in the middle", x.cfg.ClaimWindow))
	flagCol("ip_mac_relay", "IPv4 frames: the source IP was recently sent from 2 or more MACs (src_ip_macs) and the source or destination MAC is contested: a man in the middle's relayed frames and the misdirected frames it relays")
	flagCol("udp_unsolicited", fmt.Sprintf("UDP from a port below 1024 or a common service port to a client port, with no datagram the other way in the last %v: an answer to no question (reflection and amplification)", x.cfg.AnswerWindow))
	return fs
}

// hostStats are the damped statistics of one source or conversation.
type hostStats struct {
	last int64 // capture time of the newest frame (ns)
	seen bool
	rate [maxLambdas]float64 // decayed frame counts, one per Lambdas
	size damped              // frame sizes, at StatLambda
	iat  damped              // times between frames (s), at StatLambda
}

// update adds a frame of size bytes at capture time now. It returns dt, the
// time it decayed over (0 for the first frame), and decay(also, dt) when
// also is one of lambdas (else -1), so that a caller decaying something
// else at that rate over the same time takes no second math.Exp.
func (h *hostStats) update(now int64, size float64, lambdas []float64, statLambda, also float64) (dt int64, fAlso float64) {
	if h.seen {
		dt = now - h.last
	}
	f, fAlso := -1.0, -1.0
	for i, l := range lambdas {
		fi := decay(l, dt)
		h.rate[i] = h.rate[i]*fi + 1
		if l == statLambda {
			f = fi // one math.Exp fewer with the default rates
		}
		if l == also {
			fAlso = fi
		}
	}
	if f < 0 {
		f = decay(statLambda, dt)
	}
	h.size.add(f, size)
	if h.seen {
		// the first frame has no inter-arrival time: the stream of
		// inter-arrivals starts with the second
		h.iat.add(f, float64(max(dt, 0))*1e-9)
	}
	if !h.seen || now > h.last {
		h.last = now
	}
	h.seen = true
	return dt, fAlso
}

func (h *hostStats) appendTo(o []float64, lambdas []float64) []float64 {
	for i, l := range lambdas {
		o = append(o, l*h.rate[i])
	}
	return append(o, h.size.mean(), h.size.std(), h.iat.mean(), h.iat.std())
}

// sourceStats adds what only a source has to hostStats.
type sourceStats struct {
	hostStats
	ports, hosts distinctBits
	// SYNs sent without ACK and SYN/ACKs received, decayed at
	// HalfOpenLambda from hoLast.
	syn, synAck float64
	hoLast      int64
	// when this MAC last claimed in ARP an address another MAC had been
	// claiming for longer (see arpClaims.claim)
	contested    int64
	hasContested bool
}

func (s *sourceStats) decayHalfOpen(now int64, lambda float64) {
	s.decayHalfOpenBy(now, decay(lambda, now-s.hoLast))
}

// decayHalfOpenBy is decayHalfOpen with its factor already computed.
func (s *sourceStats) decayHalfOpenBy(now int64, f float64) {
	s.syn *= f
	s.synAck *= f
	if now > s.hoLast {
		s.hoLast = now
	}
}

func (s *sourceStats) halfOpen() float64 {
	if s.syn < 1e-9 {
		return 0
	}
	r := (s.syn - s.synAck) / s.syn
	return min(max(r, 0), 1)
}

// convKey is a directional host pair: IPv4 (kind 4) or IPv6 (kind 6)
// addresses, or MACs (kind 0) for frames without IP.
type convKey struct {
	kind uint8
	a, b [16]byte
}

func (k convKey) hash() uint64 {
	h := mix64(uint64(k.kind))
	h = mix64(h ^ binary.LittleEndian.Uint64(k.a[0:8]))
	h = mix64(h ^ binary.LittleEndian.Uint64(k.a[8:16]))
	h = mix64(h ^ binary.LittleEndian.Uint64(k.b[0:8]))
	return mix64(h ^ binary.LittleEndian.Uint64(k.b[8:16]))
}

func hashIPv4(ip uint32) uint64 { return mix64(uint64(ip)) }

// repeatPrefix is how much of a frame frameDigest reads: enough to
// cover every header up to the transport's (sequence numbers, IP IDs,
// checksums and DNS or DHCP transaction IDs all differ between frames that
// are not copies), without hashing whole payloads.
const repeatPrefix = 128

// repeatLambda is the decay rate of frame_repeats' counts, per second.
const repeatLambda = 1.0

// frameDigest identifies a frame by its length and first repeatPrefix
// bytes. Only equal digests matter (the table's order never depends on
// hash values), so it mixes four independent lanes of 8 bytes at a time:
// a quarter of the dependent multiply chain of hashBytes over 128 bytes,
// which was a tenth of decode + extended features.
func frameDigest(b []byte) uint64 {
	n := len(b)
	b = b[:min(n, repeatPrefix)]
	h0, h1, h2, h3 := uint64(0x9e3779b97f4a7c15), uint64(0xbf58476d1ce4e5b9), uint64(0x94d049bb133111eb), mix64(uint64(n))
	for len(b) >= 32 {
		h0 = mix64(h0 ^ binary.LittleEndian.Uint64(b[0:8]))
		h1 = mix64(h1 ^ binary.LittleEndian.Uint64(b[8:16]))
		h2 = mix64(h2 ^ binary.LittleEndian.Uint64(b[16:24]))
		h3 = mix64(h3 ^ binary.LittleEndian.Uint64(b[24:32]))
		b = b[32:]
	}
	return mix64(h0 ^ bits.RotateLeft64(h1, 16) ^ bits.RotateLeft64(h2, 32) ^ bits.RotateLeft64(h3, 48) ^ hashBytes(b))
}

// repeatCount is how often one frame was seen recently: a count decayed
// at repeatLambda since the last copy.
type repeatCount struct {
	count float64
	last  int64
}

// see counts one more copy at capture time now (ns) and returns the
// decayed count of the copies before it.
func (r *repeatCount) see(now int64) float64 {
	before := r.count * decay(repeatLambda, now-r.last)
	r.count = before + 1
	if now > r.last {
		r.last = now
	}
	return before
}

func hashBytes(b []byte) uint64 {
	var h uint64 = 0x9e3779b97f4a7c15
	for len(b) >= 8 {
		h = mix64(h ^ binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	var tail uint64
	for i, c := range b {
		tail |= uint64(c) << (8 * i)
	}
	return mix64(h ^ tail ^ uint64(len(b))<<56)
}

// Extract writes the frame's features (see Features) to out.
func (x *Extended) Extract(p *Packet, out []float64) {
	out = out[:len(x.feats)] // panics, as an index would, if out is too short
	o := out[:0]             // so the appends below stay in out's storage
	now := p.Time.UnixNano()
	dst, srcMAC := p.Data[0:6], p.Data[6:12]
	size := float64(len(p.Data))

	switch x.cfg.MAC {
	case MACHashed:
		o = append(o, float64(MACBucket(dst, x.cfg.MACBuckets)), float64(MACBucket(srcMAC, x.cfg.MACBuckets)))
	case MACFirstSight:
		o = append(o, float64(x.dstEnc.Encode(dst)), float64(x.srcEnc.Encode(srcMAC)))
	}
	bcast := dst[0]&dst[1]&dst[2]&dst[3]&dst[4]&dst[5] == 0xff
	o = append(o, flag(bcast), flag(dst[0]&1 != 0 && !bcast))
	if x.cfg.MAC != MACNone {
		o = append(o, flag(srcMAC[0]&2 != 0))
	}

	etype := p.Eth.EthernetType
	if p.HasDot1Q {
		etype = p.Dot1Q.Type
	}
	o = append(o, flag(p.HasDot1Q),
		flag(etype == layers.EthernetTypeIPv4), flag(etype == layers.EthernetTypeIPv6), flag(etype == layers.EthernetTypeARP),
		flag(etype != layers.EthernetTypeIPv4 && etype != layers.EthernetTypeIPv6 && etype != layers.EthernetTypeARP),
		float64(len(p.Data)-14))

	// IP
	var ttl, ipPayload float64
	proto := -1
	key := convKey{}
	var dstHostHash uint64
	switch {
	case p.HasIPv4:
		ip := p.IPv4
		proto, ttl = int(ip.Protocol), float64(ip.TTL)
		ipPayload = float64(max(int(ip.Length)-int(ip.IHL)*4, 0))
		key.kind = 4
		copy(key.a[:], ip.SrcIP)
		copy(key.b[:], ip.DstIP)
		dstHostHash = hashBytes(ip.DstIP)
	case p.HasIPv6:
		ip := p.IPv6
		proto, ttl = int(ip.NextHeader), float64(ip.HopLimit)
		ipPayload = float64(ip.Length)
		key.kind = 6
		copy(key.a[:], ip.SrcIP)
		copy(key.b[:], ip.DstIP)
		dstHostHash = hashBytes(ip.DstIP)
	default:
		copy(key.a[:], srcMAC)
		copy(key.b[:], dst)
		dstHostHash = hashBytes(dst)
	}
	isICMP := proto == int(layers.IPProtocolICMPv4) || proto == int(layers.IPProtocolICMPv6)
	o = append(o, flag(proto == int(layers.IPProtocolTCP)), flag(proto == int(layers.IPProtocolUDP)), flag(isICMP),
		flag(proto >= 0 && proto != int(layers.IPProtocolTCP) && proto != int(layers.IPProtocolUDP) && !isICMP),
		ttl, ipPayload)

	// Transport
	var syn, ack, fin, rst, psh, urg bool
	hasPorts := false
	var sport, dport uint16
	switch {
	case p.HasTCP:
		t := p.TCP
		sport, dport, hasPorts = uint16(t.SrcPort), uint16(t.DstPort), true
		syn, ack, fin, rst, psh, urg = t.SYN, t.ACK, t.FIN, t.RST, t.PSH, t.URG
	case p.HasUDP:
		sport, dport, hasPorts = uint16(p.UDP.SrcPort), uint16(p.UDP.DstPort), true
	}
	for _, port := range [2]uint16{sport, dport} {
		c := -1
		if hasPorts {
			c = portClass(port)
		}
		for i := range portClassNames {
			o = append(o, flag(c == i))
		}
	}
	o = append(o, flag(syn), flag(ack), flag(fin), flag(rst), flag(psh), flag(urg))

	icmp := -1
	switch {
	case p.HasICMP4:
		switch t := p.ICMP4.TypeCode.Type(); t {
		case layers.ICMPv4TypeEchoRequest:
			icmp = 0
		case layers.ICMPv4TypeEchoReply:
			icmp = 1
		case layers.ICMPv4TypeDestinationUnreachable:
			icmp = 2
		default:
			icmp = 4
		}
	case p.HasICMP6:
		switch t := p.ICMP6.TypeCode.Type(); {
		case t == layers.ICMPv6TypeEchoRequest:
			icmp = 0
		case t == layers.ICMPv6TypeEchoReply:
			icmp = 1
		case t == layers.ICMPv6TypeDestinationUnreachable:
			icmp = 2
		case t >= layers.ICMPv6TypeRouterSolicitation && t <= layers.ICMPv6TypeRedirect:
			icmp = 3
		default:
			icmp = 4
		}
	}
	for i := range 5 {
		o = append(o, flag(icmp == i))
	}
	var arpOp uint16
	claims := 0.0
	contestedClaim := false
	if p.HasARP {
		a := p.ARP
		arpOp = a.Operation
		if len(a.DstProtAddress) == 4 {
			dstHostHash = hashBytes(a.DstProtAddress)
		}
		if len(a.SourceProtAddress) == 4 && len(a.SourceHwAddress) == 6 {
			ip := binary.BigEndian.Uint32(a.SourceProtAddress)
			if ip != 0 { // 0.0.0.0 is an address probe (RFC 5227), not a claim
				c, _ := x.arp.touch(ip)
				n, newer := c.claim(macKey(a.SourceHwAddress), now, x.claimNS)
				claims = float64(n)
				contestedClaim = newer && bytes.Equal(a.SourceHwAddress, srcMAC)
			}
		}
	}
	var iat float64
	if x.haveLast && now > x.last {
		iat = float64(now-x.last) * 1e-9
	}
	if !x.haveLast || now > x.last {
		x.last = now
	}
	x.haveLast = true
	r, _ := x.repeats.touch(frameDigest(p.Data))
	reps := r.see(now)
	o = append(o, flag(p.HasARP && arpOp == layers.ARPRequest), flag(p.HasARP && arpOp == layers.ARPReply), iat, reps, flag(reps >= 0.5))

	// Per source MAC
	s, _ := x.src.touch(macKey(srcMAC))
	if contestedClaim {
		s.contested, s.hasContested = now, true
	}
	srcContested := s.hasContested && now-s.contested < x.claimNS
	dstContested := false
	if d := x.src.lookup(macKey(dst)); d != nil {
		dstContested = d.hasContested && now-d.contested < x.claimNS
	}
	dt, fHalfOpen := s.update(now, size, x.lambdas, x.cfg.StatLambda, x.cfg.HalfOpenLambda)
	if hasPorts {
		s.ports.add(now, x.distinctNS, mix64(uint64(dport)))
	}
	s.hosts.add(now, x.distinctNS, dstHostHash)
	if fHalfOpen >= 0 && now-s.hoLast == dt {
		// the same exp(-λ·dt) as one of the rates (by default λ = 0.1)
		s.decayHalfOpenBy(now, fHalfOpen)
	} else {
		s.decayHalfOpen(now, x.cfg.HalfOpenLambda)
	}
	if syn && !ack {
		s.syn++
	}
	if syn && ack {
		// a SYN/ACK answers the destination's SYN
		if d := x.src.lookup(macKey(dst)); d != nil {
			d.decayHalfOpen(now, x.cfg.HalfOpenLambda)
			d.synAck = min(d.synAck+1, d.syn) // unsolicited SYN/ACKs do not make room for half-open SYNs
		}
	}
	o = s.appendTo(o, x.lambdas)
	o = append(o, s.ports.estimate(now, x.distinctNS), s.hosts.estimate(now, x.distinctNS), s.halfOpen())

	// Per conversation
	c, _ := x.conv.touch(key)
	c.update(now, size, x.lambdas, x.cfg.StatLambda, 0)
	o = c.appendTo(o, x.lambdas)

	o = append(o, claims)

	// The MACs this source IPv4 address comes from. 0.0.0.0 (DHCP) and
	// addresses behind a router (always its MAC) count once.
	ipMACs := 0.0
	if p.HasIPv4 && len(p.IPv4.SrcIP) == 4 {
		if ip := binary.BigEndian.Uint32(p.IPv4.SrcIP); ip != 0 {
			m, _ := x.ipMACs.touch(ip)
			n, _ := m.claim(macKey(srcMAC), now, x.ipMACNS)
			ipMACs = float64(n)
		}
	}
	// Each sign alone has benign causes (a re-addressed host wins an ARP
	// contest; a renumbered or failed-over address moves to another MAC);
	// a man in the middle shows both on the same frames. A tree finds
	// such a conjunction of two rare values only slowly, from features it
	// draws at random, so it is handed over as one flag.
	relay := ipMACs >= 2 && (srcContested || dstContested)
	o = append(o, ipMACs, flag(srcContested), flag(dstContested), flag(relay), flag(x.unsolicited(p, sport, dport, now)))
	if len(o) != len(out) {
		panic(fmt.Sprintf("extended features: wrote %d values for %d features", len(o), len(out)))
	}
}

// unsolicited records a UDP datagram's flow and reports whether it is an
// answer to no question: sent from a server's port (a common service port
// or one below 1024) to a client's, while the opposite flow sent nothing in
// the last AnswerWindow. A reflection attack's victim receives exactly
// these (answers to queries an attacker sent in its name), and a normal
// DNS, NTP or SSDP answer follows its query within milliseconds. Answers
// to a question asked before the capture began count too, until the
// client asks again.
func (x *Extended) unsolicited(p *Packet, sport, dport uint16, now int64) bool {
	if !p.HasUDP {
		return false
	}
	var src, dst []byte
	switch {
	case p.HasIPv4:
		src, dst = p.IPv4.SrcIP, p.IPv4.DstIP
	case p.HasIPv6:
		src, dst = p.IPv6.SrcIP, p.IPv6.DstIP
	default:
		return false
	}
	hs, hd := hashBytes(src), hashBytes(dst)
	answer := portClass(sport) <= 1 && portClass(dport) >= 2
	unsolicited := false
	if answer {
		q := x.flows.lookup(flowHash(hd, hs, dport, sport))
		unsolicited = q == nil || now-*q >= x.answerNS
	}
	last, _ := x.flows.touch(flowHash(hs, hd, sport, dport))
	*last = now
	return unsolicited
}

// flowHash identifies a directed UDP flow by its hashed addresses and its
// ports; the flow the other way has another hash.
func flowHash(src, dst uint64, sport, dport uint16) uint64 {
	return mix64(src*0x9e3779b97f4a7c15 ^ dst ^ uint64(sport)<<16 ^ uint64(dport))
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
