package sim

import (
	"math"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// portScan is a port scan as real tools run them, varied per episode:
//
//   - a raw SYN scan (nmap -sS, masscan): one SYN per port from a source
//     port fixed for the scan or drawn per probe, the tool's window (1024,
//     2048, 3072 or 4096 as nmap picks) and only an MSS option, with the
//     OS's TTL or one drawn per scan; an open port's SYN/ACK is reset;
//   - a connect scan (nmap -sT): the OS's own SYNs, from a new ephemeral
//     port each, indistinguishable from a client's one by one; an open
//     port's handshake completes (ACK) and is torn down with RST/ACK.
//
// Orders: the top service ports first then the rest at random (nmap's
// default), ascending from port 1, or a stride walk over all ports.
// Timings from aggressive (50 µs between probes) to polite (20 ms), so
// some scans last a fraction of a second and others seconds. The victim
// answers closed ports with RST/ACK, open ones with SYN/ACK; Windows
// clients drop most probes silently (their firewall). Every frame of the
// episode, the victim's answers included, belongs to the episode.
type portScan struct {
	attacker, victim *host
	connect          bool   // full handshakes from the OS stack
	sport            uint16 // 0: a new source port per probe
	window           uint16
	ttl              uint8 // 0: the attacker's OS TTL
	order            int   // 0 top ports first, 1 ascending, 2 stride walk
	seq              uint32
	probes           int // probes left
	i                int // probes sent
	off, stride      int
	port, curSport   uint16
	state            int // 0 probe, 1 victim answers, 2 attacker ACKs (connect), 3 attacker resets
	gap              time.Duration
	silent           bool // victim drops closed-port probes
}

// topPorts are the ports scanners try first (a short list of nmap's most
// common TCP ports).
var topPorts = []int{80, 23, 443, 21, 22, 25, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723, 111, 995, 993, 5900,
	1025, 587, 8888, 199, 1720, 465, 548, 113, 81, 6001, 10000, 514, 5060, 179, 1026, 2000, 8443, 8000, 32768, 554}

func (g *Generator) newPortScan() *portScan {
	l := &g.lan
	victims := len(l.servers) + len(l.clients)
	i := g.rng.IntN(victims)
	var v *host
	if i < len(l.servers) {
		v = l.servers[i]
	} else {
		v = l.clients[i-len(l.servers)]
	}
	p := &portScan{
		attacker: g.attacker(),
		victim:   v,
		connect:  g.rng.IntN(4) == 0,
		seq:      g.rng.Uint32(),
		order:    g.rng.IntN(3),
		off:      g.rng.IntN(1 << 16),
		stride:   2*g.rng.IntN(400) + 101, // odd: visits every port below 1024 once
		// log-uniform between 50 µs and 20 ms
		gap:    time.Duration(50e3 * math.Exp(g.rng.Float64()*math.Log(400))),
		silent: v.ttl == 128,
	}
	if p.victim == p.attacker {
		p.victim = l.servers[0]
	}
	if !p.connect {
		p.window = []uint16{1024, 2048, 3072, 4096}[g.rng.IntN(4)]
		if g.rng.IntN(2) == 0 {
			p.sport = uint16(g.intn(33000, 61000))
		}
		if g.rng.IntN(2) == 0 {
			p.ttl = uint8(g.intn(37, 64))
		}
	}
	// a scan lasts from a fraction of a second to about a second
	p.probes = min(g.intn(150, 700), max(40, int(time.Second/p.gap)))
	return p
}

// nextPort is the i-th port of the scan's order, each port at most once.
func (p *portScan) nextPort() uint16 {
	i := p.i
	p.i++
	switch p.order {
	case 0:
		if i < len(topPorts) {
			return uint16(topPorts[i])
		}
		// 64511 = 31 * 2081; 4099 is prime and shares no factor with it
		return uint16(1025 + (p.off+i*4099)%64511)
	case 1:
		return uint16(1 + i%65535)
	}
	if i < 1024 {
		return uint16(1 + (p.off+i*p.stride)%1024)
	}
	return uint16(1025 + (p.off+(i-1024)*4099)%64511)
}

// attacker is the host episodes attack from in the current phase.
func (g *Generator) attacker() *host { return g.lan.attacker }

func (p *portScan) act(g *Generator) (bool, time.Duration, bool) {
	switch p.state {
	case 0:
		p.port = p.nextPort()
		p.curSport = p.sport
		if p.connect {
			p.curSport = p.attacker.ephemeral()
			p.seq = g.rng.Uint32()
		} else if p.sport == 0 {
			p.curSport = uint16(g.intn(1024, 65535))
		}
		g.window, g.ttl = p.window, p.ttl
		g.buildTCP(p.attacker, p.victim, p.curSport, p.port, p.seq, 0, fSYN, 0)
		p.probes--
		open := p.victim.listens(p.port)
		if open || !p.silent || g.rng.IntN(10) == 0 {
			p.state = 1
			return true, g.between(80*time.Microsecond, 400*time.Microsecond), false
		}
		return p.next(g)
	case 1:
		if p.victim.listens(p.port) {
			g.buildTCP(p.victim, p.attacker, p.port, p.curSport, g.rng.Uint32(), p.seq+1, fSYN|fACK, 0)
			p.state = 3
			if p.connect {
				p.state = 2
			}
			return true, g.between(30*time.Microsecond, 200*time.Microsecond), false
		}
		g.buildTCP(p.victim, p.attacker, p.port, p.curSport, 0, p.seq+1, fRST|fACK, 0)
		return p.next(g)
	case 2:
		g.buildTCP(p.attacker, p.victim, p.curSport, p.port, p.seq+1, 0, fACK, 0)
		p.state = 3
		return true, g.between(20*time.Microsecond, 150*time.Microsecond), false
	default:
		if p.connect {
			g.buildTCP(p.attacker, p.victim, p.curSport, p.port, p.seq+1, 0, fRST|fACK, 0)
		} else {
			g.ttl = p.ttl
			g.buildTCP(p.attacker, p.victim, p.curSport, p.port, p.seq+1, 0, fRST, 0)
		}
		return p.next(g)
	}
}

func (p *portScan) next(g *Generator) (bool, time.Duration, bool) {
	p.state = 0
	if p.probes <= 0 {
		g.episodeDone()
		return true, 0, true
	}
	return true, g.exp(p.gap), false
}

// synFlood is SYNs from spoofed internet sources at one server port,
// arriving through the router. The server answers SYN/ACKs (to the router,
// towards addresses that never reply) until its backlog is full, then only
// now and then. Tools differ, and so do episodes: the window (hping3's
// 512, or others), SYNs bare or with an MSS option, source ports
// counting up from a base (hping3) or random, sources fresh for every SYN
// or a botnet of a few dozen to a few hundred addresses, TTLs all over or
// from a narrow band, and the rate.
type synFlood struct {
	victim  *host
	port    uint16
	left    int
	gap     time.Duration
	backlog int
	spoof   *host
	window  uint16 // the flood tool's fixed window
	bare    bool   // no TCP options
	countUp bool   // source ports count up (hping3) instead of random
	ttlLo   int    // source TTLs drawn from [ttlLo, ttlLo+ttlSpan]
	ttlSpan int
	botnet  []host // fixed sources; nil: a fresh address per SYN
	sport   uint16
	seq     uint32
	answer  bool
}

func (g *Generator) newSYNFlood() *synFlood {
	l := &g.lan
	f := &synFlood{left: g.intn(600, 2500), gap: g.between(30*time.Microsecond, 300*time.Microsecond), backlog: g.intn(64, 256), spoof: &g.spoof,
		window: floodWindows[g.rng.IntN(len(floodWindows))], bare: g.rng.IntN(3) != 0, countUp: g.rng.IntN(2) == 0,
		sport: uint16(g.intn(1024, 60000))}
	f.victim = l.servers[g.rng.IntN(len(l.servers))]
	f.port = f.victim.open[g.rng.IntN(len(f.victim.open))]
	if g.rng.IntN(2) == 0 {
		f.ttlLo, f.ttlSpan = 40, 80
	} else {
		f.ttlLo, f.ttlSpan = g.intn(40, 110), 8
	}
	if g.rng.IntN(2) == 0 {
		f.botnet = make([]host, g.intn(30, 300))
		for i := range f.botnet {
			b := &f.botnet[i]
			g.spoofAddress(b)
			b.ttl = uint8(f.ttlLo + g.rng.IntN(f.ttlSpan+1))
			b.ipid = uint16(g.rng.Uint32())
		}
	}
	return f
}

// floodWindows are windows flood tools send with (hping3's default is 512).
var floodWindows = []uint16{512, 1024, 5840, 8192, 14600, 29200, 64240, 65535}

// spoofAddress fills h with a random public-looking IPv4 address.
func (g *Generator) spoofAddress(h *host) {
	for {
		a := g.rng.Uint32()
		b0 := byte(a >> 24)
		if b0 == 0 || b0 == 10 || b0 == 127 || b0 >= 224 || b0 == 192 || b0 == 172 || b0 == 169 || b0 == 100 {
			continue
		}
		h.ip = append(h.ip[:0], b0, byte(a>>16), byte(a>>8), byte(a))
		return
	}
}

func (f *synFlood) act(g *Generator) (bool, time.Duration, bool) {
	if f.answer {
		f.answer = false
		g.buildTCP(f.victim, f.spoof, f.port, f.sport, g.rng.Uint32(), f.seq+1, fSYN|fACK, 0)
		return f.next(g)
	}
	if f.botnet != nil {
		f.spoof = &f.botnet[g.rng.IntN(len(f.botnet))]
	} else {
		g.spoofAddress(f.spoof)
		f.spoof.ttl = uint8(f.ttlLo + g.rng.IntN(f.ttlSpan+1))
		f.spoof.ipid = uint16(g.rng.Uint32())
	}
	if f.countUp {
		f.sport++
		if f.sport < 1024 {
			f.sport = 1024
		}
	} else {
		f.sport = uint16(g.intn(1024, 65535))
	}
	f.seq = g.rng.Uint32()
	g.window, g.bareSYN = f.window, f.bare
	g.buildTCP(f.spoof, f.victim, f.sport, f.port, f.seq, 0, fSYN, 0)
	if f.backlog > 0 || g.rng.IntN(20) == 0 {
		f.backlog--
		f.answer = true
		f.left--
		return true, g.between(20*time.Microsecond, 60*time.Microsecond), false
	}
	return f.next(g)
}

func (f *synFlood) next(g *Generator) (bool, time.Duration, bool) {
	f.left--
	if f.left <= 0 {
		g.episodeDone()
		return true, 0, true
	}
	return true, g.exp(f.gap), false
}

// arpSpoof is an ARP cache-poisoning man in the middle: the attacker tells
// each victim that the gateway's address is at its MAC, and (in most
// episodes) the gateway that each victim's is, again and again. While a
// victim is poisoned its frames for the gateway go to the attacker, which
// forwards them (TTL one less); those frames belong to the episode too.
// At the end the attacker restores the true mappings. Tools differ: forged
// replies (arpspoof) or forged requests (ettercap can poison with either),
// unicast to the victim or broadcast, both directions or only the
// victim's, resent every 100 ms to 1.5 s.
type arpSpoof struct {
	attacker *host
	victims  []*host
	rounds   int
	i        int // next message in the round: victim i/2, to victim (even) or gateway (odd)
	restore  bool
	op       uint16 // ARP opcode of the forgeries
	bcast    bool   // forgeries to the broadcast address
	oneWay   bool   // poison the victims only, not the gateway
	interval [2]time.Duration
}

func (g *Generator) newARPSpoof() *arpSpoof {
	a := &arpSpoof{attacker: g.attacker(), op: layers.ARPReply, bcast: g.rng.IntN(4) == 0, oneWay: g.rng.IntN(3) == 0}
	if g.rng.IntN(3) == 0 {
		a.op = layers.ARPRequest
	}
	lo := g.between(80*time.Millisecond, 500*time.Millisecond)
	a.interval = [2]time.Duration{lo, lo + lo/2}
	// poisoning lasts about one to two seconds
	a.rounds = max(3, int(g.between(700*time.Millisecond, 1500*time.Millisecond)/lo))
	n := g.intn(1, 3)
	for _, i := range g.rng.Perm(len(g.lan.clients)) {
		c := g.lan.clients[i]
		if c != a.attacker && len(a.victims) < n {
			a.victims = append(a.victims, c)
		}
	}
	return a
}

func (a *arpSpoof) act(g *Generator) (bool, time.Duration, bool) {
	gw := g.lan.gw
	v := a.victims[a.i/2]
	claimMAC := a.attacker.mac
	if a.restore {
		claimMAC = gw.mac
		if a.i%2 == 1 {
			claimMAC = v.mac
		}
	}
	emitted := true
	if a.i%2 == 0 { // to the victim: the gateway is at ...
		dst, tha := v.mac, v.mac
		if a.bcast {
			dst = broadcastMAC
		}
		if a.op == layers.ARPRequest {
			tha = nil
		}
		g.buildARP(a.attacker.mac, dst, 0, a.op, claimMAC, gw.ip, tha, v.ip)
		if !a.restore {
			v.poisonedBy = a.attacker
		} else {
			v.poisonedBy = nil
		}
	} else if !a.oneWay { // to the gateway: the victim is at ...
		dst, tha := gw.mac, gw.mac
		if a.op == layers.ARPRequest {
			tha = nil
		}
		g.buildARP(a.attacker.mac, dst, 0, a.op, claimMAC, v.ip, tha, gw.ip)
	} else {
		emitted = false
	}
	a.i++
	if a.i < 2*len(a.victims) {
		return emitted, g.between(50*time.Microsecond, 500*time.Microsecond), false
	}
	a.i = 0
	if a.restore {
		g.episodeDone()
		return emitted, 0, true
	}
	a.rounds--
	if a.rounds == 0 {
		a.restore = true
	}
	return emitted, g.between(a.interval[0], a.interval[1]), false
}

// misdirect says whether a packet from src to dst leaves src towards an
// attacker that poisoned its ARP cache (dst is the gateway or beyond it),
// and notes it so that Next labels the frame and queues the forwarded copy.
func (g *Generator) misdirect(src, dst *host) bool {
	if src.poisonedBy == nil || !(dst == g.lan.gw || !dst.local) {
		return false
	}
	g.misdirected = src.poisonedBy
	return true
}

// relay is the attacker forwarding one intercepted frame to the gateway.
type relay struct {
	data []byte
}

func (r *relay) act(g *Generator) (bool, time.Duration, bool) {
	g.buf.Clear()
	b, _ := g.buf.AppendBytes(len(r.data))
	copy(b, r.data)
	g.relayFree = append(g.relayFree, r)
	return true, 0, true
}

// queueRelay schedules the attacker's forwarded copy of the frame just
// built: source MAC the attacker's, destination the gateway's, IPv4 TTL one
// less with the header checksum recomputed.
func (g *Generator) queueRelay(attacker *host) {
	var r *relay
	if n := len(g.relayFree); n > 0 {
		r, g.relayFree = g.relayFree[n-1], g.relayFree[:n-1]
	} else {
		r = &relay{}
	}
	r.data = append(r.data[:0], g.buf.Bytes()...)
	copy(r.data[0:6], g.lan.gw.mac)
	copy(r.data[6:12], attacker.mac)
	ip := r.data[14:]
	ihl := int(ip[0]&0x0f) * 4
	ip[8]--
	ip[10], ip[11] = 0, 0
	var sum uint32
	for i := 0; i < ihl; i += 2 {
		sum += uint32(ip[i])<<8 | uint32(ip[i+1])
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	ip[10], ip[11] = byte(^sum>>8), byte(^sum)
	g.schedule(g.between(30*time.Microsecond, 150*time.Microsecond), EpisodeARPSpoof, r)
}

var ampNames = [][]byte{[]byte("example.com"), []byte("example.org"), []byte("example.net")}

// dnsAmplification is what a victim of a reflection attack sees: large ANY
// answers (many TXT records) from many internet resolvers, to queries it
// never sent (the attacker spoofed its address), arriving through the
// router. The victim answers some with ICMP port unreachable.
type dnsAmplification struct {
	victim    *host
	resolvers []host
	left      int
	gap       time.Duration
	dport     uint16
	unreach   bool
	quoted    [28]byte // IP header + 8 bytes of the last answer, for the ICMP error
	from      *host
}

func (g *Generator) newDNSAmplification() *dnsAmplification {
	a := &dnsAmplification{victim: pickHost(g, g.lan.clients), left: g.intn(300, 1500),
		gap: g.between(80*time.Microsecond, 400*time.Microsecond), dport: uint16(g.intn(1024, 65535))}
	a.resolvers = make([]host, g.intn(20, 120))
	for i := range a.resolvers {
		r := &a.resolvers[i]
		g.spoofAddress(r)
		r.name, r.ttl, r.ipid = "resolver", uint8(g.intn(40, 60)), uint16(g.rng.Uint32())
	}
	return a
}

func (a *dnsAmplification) act(g *Generator) (bool, time.Duration, bool) {
	if a.unreach {
		a.unreach = false
		n := g.ipv4(a.victim, a.from, layers.IPProtocolICMPv4, false)
		g.icmp4 = layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort)}
		g.stack[n] = &g.icmp4
		g.pl = a.quoted[:]
		g.stack[n+1] = &g.pl
		g.serialize(n + 2)
		return a.next(g)
	}
	a.from = &a.resolvers[g.rng.IntN(len(a.resolvers))]
	g.txtAnswer(a.from, a.victim, 53, a.dport, uint16(g.rng.Uint32()), ampNames[g.rng.IntN(len(ampNames))], g.intn(6, 10), true)
	if g.rng.IntN(12) == 0 {
		copy(a.quoted[:], g.buf.Bytes()[14:14+28])
		a.unreach = true
		a.left--
		return true, g.between(10*time.Microsecond, 80*time.Microsecond), false
	}
	return a.next(g)
}

func (a *dnsAmplification) next(g *Generator) (bool, time.Duration, bool) {
	a.left--
	if a.left <= 0 {
		g.episodeDone()
		return true, 0, true
	}
	return true, g.exp(a.gap), false
}

// broadcastStorm is a switching loop: the broadcast and multicast frames
// sent while the loop lasts (ARP requests, DHCP discovers, SSDP and mDNS
// queries, IPv6 neighbour solicitations, from several hosts) circulate and
// are copied at line rate, each thousands of times; new broadcasts join
// the loop as hosts send them. A frame's first appearance is the host's
// own transmission, ordinary traffic labelled normal; the loop's copies
// of it are the storm.
type broadcastStorm struct {
	frames [][]byte
	sent   []bool // frames[i] has appeared on the wire
	left   int
	gap    time.Duration
	join   int // one in join copies is a new frame joining the loop
}

// maxStormFrames bounds the distinct frames one storm keeps circulating.
const maxStormFrames = 64

func (g *Generator) newBroadcastStorm() *broadcastStorm {
	s := &broadcastStorm{
		left: g.intn(800, 3000),
		gap:  g.between(5*time.Microsecond, 60*time.Microsecond),
		join: g.intn(3, 25),
	}
	for range g.intn(1, 6) {
		s.add(g)
	}
	return s
}

// add builds one more broadcast or multicast frame into the loop, and
// returns its index in s.frames.
func (s *broadcastStorm) add(g *Generator) int {
	l := &g.lan
	h := pickHost(g, l.clients)
	switch g.rng.IntN(5) {
	case 0:
		g.buildARP(h.mac, broadcastMAC, 0, layers.ARPRequest, h.mac, h.ip, nil, pickHost(g, l.all).ip)
	case 1:
		l.zero.mac = h.mac
		g.buildDHCP(&l.zero, &l.bcast, h, l.gw, layers.DHCPMsgTypeDiscover, g.rng.Uint32(), l.zero.ip, nil)
	case 2:
		g.ttl = 4
		g.buildUDP(h, &l.ssdp, h.ephemeral(), 1900, nil, append(g.text[:0], ssdpSearchText...))
	case 3:
		g.buildNS(h, pickHost(g, l.all))
	default:
		g.dns = layers.DNS{OpCode: layers.DNSOpCodeQuery}
		g.question[0] = layers.DNSQuestion{Name: mdnsService, Type: layers.DNSTypePTR, Class: layers.DNSClassIN}
		g.dns.Questions = g.question[:]
		g.ttl = 255
		g.buildUDP(h, &l.mdns, 5353, 5353, &g.dns, nil)
	}
	i := len(s.frames)
	if i < maxStormFrames {
		s.frames = append(s.frames, append([]byte(nil), g.buf.Bytes()...))
		s.sent = append(s.sent, false)
	} else {
		i = g.rng.IntN(len(s.frames))
		s.frames[i] = append(s.frames[i][:0], g.buf.Bytes()...)
		s.sent[i] = false
	}
	return i
}

func (s *broadcastStorm) act(g *Generator) (bool, time.Duration, bool) {
	var i int
	if g.rng.IntN(s.join) == 0 {
		i = s.add(g) // the new frame is sent, and then loops with the others
	} else {
		i = g.rng.IntN(len(s.frames))
		f := s.frames[i]
		g.buf.Clear()
		b, _ := g.buf.AppendBytes(len(f))
		copy(b, f)
	}
	if !s.sent[i] {
		s.sent[i] = true
		g.hostsOwn = true
	}
	s.left--
	if s.left <= 0 {
		g.episodeDone()
		return true, 0, true
	}
	return true, g.exp(s.gap), false
}
