package features

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// The extended feature sets, registered by name. They differ only in how
// MAC addresses are coded (see MACEncoding): the UI's feature-set menu
// lists them through SetNames.
const (
	ExtendedName           = "extended"            // MACHashed
	ExtendedFirstSightName = "extended-firstsight" // MACFirstSight, as the basic set
	ExtendedNoMACName      = "extended-nomac"      // MACNone
)

func init() {
	for _, m := range []MACEncoding{MACHashed, MACFirstSight, MACNone} {
		cfg := DefaultExtendedConfig()
		cfg.MAC = m
		name := ExtendedName
		switch m {
		case MACFirstSight:
			name = ExtendedFirstSightName
		case MACNone:
			name = ExtendedNoMACName
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

	// Table capacities; each table evicts its least recently seen entry
	// when a new key arrives and it is full.
	Sources       int // source MACs (default 4096)
	Conversations int // host pairs (default 16384)
	ARPAddresses  int // IPv4 addresses claimed in ARP (default 4096)
	IPSources     int // source IPv4 addresses for src_ip_macs (default 4096)
}

// DefaultExtendedConfig returns the configuration of the registered
// "extended" set.
func DefaultExtendedConfig() ExtendedConfig {
	return ExtendedConfig{
		MAC: MACHashed, MACBuckets: DefaultMACBuckets, MACTable: DefaultMACTableSize,
		Lambdas: []float64{5, 1, 0.1}, StatLambda: 1, HalfOpenLambda: 0.1,
		DistinctWindow: time.Second, ClaimWindow: 10 * time.Second, IPMACWindow: 2 * time.Second,
		Sources: 4096, Conversations: 16384, ARPAddresses: 4096, IPSources: 4096,
	}
}

// Extended is the feature vector a network engineer would look at: header
// fields of every layer, and per-source and per-conversation statistics
// over exponentially damped windows (Kitsune's AfterImage). See Features
// for the columns and their meaning; values absent from a frame (no IP, no
// ports, ...) are 0, except ip_proto and icmp_type, where 0 is a valid
// value and absence is -1.
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

	lambdas                      []float64
	distinctNS, claimNS, ipMACNS int64
	last                         int64 // capture time of the previous frame (ns)
	haveLast                     bool
}

// NewExtended builds an extended set with cfg; zero fields take the
// defaults. name is what Name reports.
func NewExtended(name string, cfg ExtendedConfig) (*Extended, error) {
	def := DefaultExtendedConfig()
	if cfg.MACBuckets <= 0 {
		cfg.MACBuckets = def.MACBuckets
	}
	if cfg.MACTable <= 0 {
		cfg.MACTable = def.MACTable
	}
	if len(cfg.Lambdas) == 0 {
		cfg.Lambdas = def.Lambdas
	}
	if cfg.StatLambda == 0 {
		cfg.StatLambda = def.StatLambda
	}
	if cfg.HalfOpenLambda == 0 {
		cfg.HalfOpenLambda = def.HalfOpenLambda
	}
	if cfg.DistinctWindow <= 0 {
		cfg.DistinctWindow = def.DistinctWindow
	}
	if cfg.ClaimWindow <= 0 {
		cfg.ClaimWindow = def.ClaimWindow
	}
	if cfg.IPMACWindow <= 0 {
		cfg.IPMACWindow = def.IPMACWindow
	}
	if cfg.IPSources <= 0 {
		cfg.IPSources = def.IPSources
	}
	if cfg.Sources <= 0 {
		cfg.Sources = def.Sources
	}
	if cfg.Conversations <= 0 {
		cfg.Conversations = def.Conversations
	}
	if cfg.ARPAddresses <= 0 {
		cfg.ARPAddresses = def.ARPAddresses
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
		src:    newLRUTable[uint64, sourceStats](cfg.Sources, mix64),
		conv:   newLRUTable[convKey, hostStats](cfg.Conversations, convKey.hash),
		arp:    newLRUTable[uint32, arpClaims](cfg.ARPAddresses, hashIPv4),
		ipMACs: newLRUTable[uint32, arpClaims](cfg.IPSources, hashIPv4),
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
type TableSizes struct{ Sources, Conversations, ARPAddresses, IPSources int }

// TableSizes reports how many entries each bounded table holds.
func (x *Extended) TableSizes() TableSizes {
	return TableSizes{x.src.Len(), x.conv.Len(), x.arp.Len(), x.ipMACs.Len()}
}

func (x *Extended) Reset() {
	x.src.reset()
	x.conv.reset()
	x.arp.reset()
	x.ipMACs.reset()
	if x.dstEnc != nil {
		x.dstEnc.Reset()
		x.srcEnc.Reset()
	}
	x.last, x.haveLast = 0, false
}

func lambdaName(l float64) string { return "_l" + strconv.FormatFloat(l, 'g', -1, 64) }

// features lists the columns in the order Extract writes them.
func (x *Extended) features() []Feature {
	var fs []Feature
	add := func(name string, k Notation, help string) {
		fs = append(fs, Feature{Name: name, Notation: k, Help: help})
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
	add("dst_broadcast", NotationFlag, "destination MAC is ff:ff:ff:ff:ff:ff")
	add("dst_multicast", NotationFlag, "destination MAC has the group bit and is not broadcast")
	add("src_local_admin", NotationFlag, "source MAC is locally administered (random or virtual MACs)")
	add("vlan_id", NotationNumber, "802.1Q VLAN id (0 = untagged)")
	add("ethertype", NotationHex16, "EtherType of the payload (after any 802.1Q tag)")
	add("payload_len", NotationNumber, "bytes after the Ethernet header")
	add("ip_version", NotationNumber, "4, 6 or 0 (no IP)")
	add("ip_proto", NotationProto, "IPv4 protocol / IPv6 next header (-1 = no IP)")
	add("ttl", NotationNumber, "IPv4 TTL or IPv6 hop limit (0 = no IP)")
	add("ip_payload_len", NotationNumber, "bytes after the IP header, as the IP header says")
	add("src_port", NotationPort, "TCP or UDP source port (0 = none)")
	add("dst_port", NotationPort, "TCP or UDP destination port (0 = none)")
	add("tcp_flags", NotationTCPFlags, "TCP flag bits (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128)")
	add("tcp_syn", NotationFlag, "TCP SYN")
	add("tcp_ack", NotationFlag, "TCP ACK")
	add("tcp_fin", NotationFlag, "TCP FIN")
	add("tcp_rst", NotationFlag, "TCP RST")
	add("icmp_type", NotationCode, "ICMPv4 or ICMPv6 type (-1 = not ICMP)")
	add("arp_op", NotationCode, "ARP opcode: 1 request, 2 reply (0 = not ARP)")
	add("iat", NotationSeconds, "capture time since the previous frame")
	for _, l := range x.lambdas {
		add("src_rate"+lambdaName(l), NotationNumber, fmt.Sprintf("frames/s from this source MAC, damped with λ=%g/s (λ × decayed frame count)", l))
	}
	sl := lambdaName(x.cfg.StatLambda)
	add("src_size_mean"+sl, NotationNumber, fmt.Sprintf("mean frame size from this source MAC, damped with λ=%g/s", x.cfg.StatLambda))
	add("src_size_std"+sl, NotationNumber, fmt.Sprintf("standard deviation of frame size from this source MAC, λ=%g/s", x.cfg.StatLambda))
	add("src_iat_mean"+sl, NotationSeconds, fmt.Sprintf("mean time between frames of this source MAC, λ=%g/s", x.cfg.StatLambda))
	add("src_iat_std"+sl, NotationSeconds, fmt.Sprintf("standard deviation of the time between frames of this source MAC, λ=%g/s", x.cfg.StatLambda))
	add("src_dst_ports", NotationNumber, fmt.Sprintf("distinct TCP/UDP destination ports this source MAC sent to in the last %v to %v (approximate)", x.cfg.DistinctWindow, 2*x.cfg.DistinctWindow))
	add("src_dst_hosts", NotationNumber, fmt.Sprintf("distinct destination hosts (IP, ARP target or MAC) of this source MAC in the last %v to %v (approximate)", x.cfg.DistinctWindow, 2*x.cfg.DistinctWindow))
	add("src_half_open", NotationNumber, fmt.Sprintf("share of this source MAC's SYNs not answered by a SYN/ACK (damped, λ=%g/s)", x.cfg.HalfOpenLambda))
	for _, l := range x.lambdas {
		add("conv_rate"+lambdaName(l), NotationNumber, fmt.Sprintf("frames/s from this source to this destination host, damped with λ=%g/s", l))
	}
	add("conv_size_mean"+sl, NotationNumber, fmt.Sprintf("mean frame size from this source to this destination host, λ=%g/s", x.cfg.StatLambda))
	add("conv_size_std"+sl, NotationNumber, fmt.Sprintf("standard deviation of frame size from this source to this destination host, λ=%g/s", x.cfg.StatLambda))
	add("conv_iat_mean"+sl, NotationSeconds, fmt.Sprintf("mean time between frames from this source to this destination host, λ=%g/s", x.cfg.StatLambda))
	add("conv_iat_std"+sl, NotationSeconds, fmt.Sprintf("jitter: standard deviation of the time between frames of this conversation, λ=%g/s", x.cfg.StatLambda))
	add("arp_claims", NotationNumber, fmt.Sprintf("ARP frames: distinct MACs that claimed the sender's IP in the last %v (2 or more: spoofing?); 0 otherwise", x.cfg.ClaimWindow))
	add("src_ip_macs", NotationNumber, fmt.Sprintf("IPv4 frames: distinct source MACs that sent from this source IP in the last %v (2 or more: a relaying man in the middle?); 0 otherwise", x.cfg.IPMACWindow))
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

func (h *hostStats) update(now int64, size float64, lambdas []float64, statLambda float64) {
	var dt int64
	if h.seen {
		dt = now - h.last
	}
	f := -1.0
	for i, l := range lambdas {
		fi := decay(l, dt)
		h.rate[i] = h.rate[i]*fi + 1
		if l == statLambda {
			f = fi // one math.Exp fewer with the default rates
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
}

func (s *sourceStats) decayHalfOpen(now int64, lambda float64) {
	f := decay(lambda, now-s.hoLast)
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
	o = append(o, flag(bcast), flag(dst[0]&1 != 0 && !bcast), flag(srcMAC[0]&2 != 0))

	var vlan float64
	etype := p.Eth.EthernetType
	if p.HasDot1Q {
		vlan, etype = float64(p.Dot1Q.VLANIdentifier), p.Dot1Q.Type
	}
	o = append(o, vlan, float64(etype), float64(len(p.Data)-14))

	// IP
	var ipVer, ttl, ipPayload float64
	proto := -1.0
	key := convKey{}
	var dstHostHash uint64
	switch {
	case p.HasIPv4:
		ip := p.IPv4
		ipVer, proto, ttl = 4, float64(ip.Protocol), float64(ip.TTL)
		ipPayload = float64(max(int(ip.Length)-int(ip.IHL)*4, 0))
		key.kind = 4
		copy(key.a[:], ip.SrcIP)
		copy(key.b[:], ip.DstIP)
		dstHostHash = hashBytes(ip.DstIP)
	case p.HasIPv6:
		ip := p.IPv6
		ipVer, proto, ttl = 6, float64(ip.NextHeader), float64(ip.HopLimit)
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
	o = append(o, ipVer, proto, ttl, ipPayload)

	// Transport
	var sport, dport, tflags float64
	var syn, ack, fin, rst bool
	hasPorts := false
	switch {
	case p.HasTCP:
		t := p.TCP
		sport, dport, hasPorts = float64(t.SrcPort), float64(t.DstPort), true
		syn, ack, fin, rst = t.SYN, t.ACK, t.FIN, t.RST
		tflags = float64(tcpFlagByte(t))
	case p.HasUDP:
		sport, dport, hasPorts = float64(p.UDP.SrcPort), float64(p.UDP.DstPort), true
	}
	o = append(o, sport, dport, tflags, flag(syn), flag(ack), flag(fin), flag(rst))

	icmp := -1.0
	switch {
	case p.HasICMP4:
		icmp = float64(p.ICMP4.TypeCode.Type())
	case p.HasICMP6:
		icmp = float64(p.ICMP6.TypeCode.Type())
	}
	var arpOp float64
	claims := 0.0
	if p.HasARP {
		a := p.ARP
		arpOp = float64(a.Operation)
		if len(a.DstProtAddress) == 4 {
			dstHostHash = hashBytes(a.DstProtAddress)
		}
		if len(a.SourceProtAddress) == 4 && len(a.SourceHwAddress) == 6 {
			ip := binary.BigEndian.Uint32(a.SourceProtAddress)
			if ip != 0 { // 0.0.0.0 is an address probe (RFC 5227), not a claim
				c, _ := x.arp.touch(ip)
				claims = float64(c.claim(macKey(a.SourceHwAddress), now, x.claimNS))
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
	o = append(o, icmp, arpOp, iat)

	// Per source MAC
	s, _ := x.src.touch(macKey(srcMAC))
	s.update(now, size, x.lambdas, x.cfg.StatLambda)
	if hasPorts {
		s.ports.add(now, x.distinctNS, mix64(uint64(dport)))
	}
	s.hosts.add(now, x.distinctNS, dstHostHash)
	s.decayHalfOpen(now, x.cfg.HalfOpenLambda)
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
	c.update(now, size, x.lambdas, x.cfg.StatLambda)
	o = c.appendTo(o, x.lambdas)

	o = append(o, claims)

	// The MACs this source IPv4 address comes from. 0.0.0.0 (DHCP) and
	// addresses behind a router (always its MAC) count once.
	ipMACs := 0.0
	if p.HasIPv4 && len(p.IPv4.SrcIP) == 4 {
		if ip := binary.BigEndian.Uint32(p.IPv4.SrcIP); ip != 0 {
			m, _ := x.ipMACs.touch(ip)
			ipMACs = float64(m.claim(macKey(srcMAC), now, x.ipMACNS))
		}
	}
	o = append(o, ipMACs)
	if len(o) != len(out) {
		panic(fmt.Sprintf("extended features: wrote %d values for %d features", len(o), len(out)))
	}
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func tcpFlagByte(t *layers.TCP) int {
	v := 0
	for _, f := range [...]struct {
		on  bool
		bit int
	}{{t.FIN, 1}, {t.SYN, 2}, {t.RST, 4}, {t.PSH, 8}, {t.ACK, 16}, {t.URG, 32}, {t.ECE, 64}, {t.CWR, 128}} {
		if f.on {
			v |= f.bit
		}
	}
	return v
}
