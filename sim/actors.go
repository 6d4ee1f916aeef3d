package sim

import (
	"time"

	"github.com/gopacket/gopacket/layers"
)

// background starts the office's everyday conversations, one every few
// milliseconds of scenario time, keeping a bounded number in flight.
type background struct{}

const maxSlots = 48

func (b *background) act(g *Generator) (bool, time.Duration, bool) {
	if len(g.slots) < maxSlots {
		g.startBackground()
	}
	return false, g.exp(3 * time.Millisecond), false
}

// rtt is a plausible round-trip time between two hosts.
func (g *Generator) rtt(a, b *host) time.Duration {
	if a.local && b.local {
		return g.between(150*time.Microsecond, 900*time.Microsecond)
	}
	return g.between(8*time.Millisecond, 45*time.Millisecond)
}

// tcpSession is a full TCP conversation: handshake, request/response
// rounds with correct sequence numbers and ACKs, and a FIN teardown.
type tcpSession struct {
	c, s         *host
	cport, sport uint16
	cseq, sseq   uint32
	state        int
	rounds       int // request/response rounds left
	respLeft     int // response bytes not yet sent in this round
	unacked      int // server segments the client has not ACKed yet
	respFirst    bool
	rtt          time.Duration
	think        time.Duration // mean pause between rounds
}

const (
	tcpSYN = iota
	tcpSYNACK
	tcpACK
	tcpReq
	tcpResp
	tcpClientACK
	tcpFIN1
	tcpFIN2
	tcpFIN3
)

func (g *Generator) newTCPSession(c, s *host, port uint16, rounds int) *tcpSession {
	return &tcpSession{
		c: c, s: s, cport: c.ephemeral(), sport: port,
		cseq: g.rng.Uint32(), sseq: g.rng.Uint32(),
		rounds: rounds, rtt: g.rtt(c, s), think: 80 * time.Millisecond,
	}
}

func (t *tcpSession) act(g *Generator) (bool, time.Duration, bool) {
	half := t.rtt / 2
	switch t.state {
	case tcpSYN:
		g.buildTCP(t.c, t.s, t.cport, t.sport, t.cseq, 0, fSYN, 0)
		t.cseq++
		t.state = tcpSYNACK
		return true, half, false
	case tcpSYNACK:
		g.buildTCP(t.s, t.c, t.sport, t.cport, t.sseq, t.cseq, fSYN|fACK, 0)
		t.sseq++
		t.state = tcpACK
		return true, half, false
	case tcpACK:
		g.buildTCP(t.c, t.s, t.cport, t.sport, t.cseq, t.sseq, fACK, 0)
		t.state = tcpReq
		return true, g.between(20*time.Microsecond, 2*time.Millisecond), false
	case tcpReq:
		t.respLeft = min(300+int(g.rng.ExpFloat64()*4000), 60000)
		t.respFirst = true
		n := g.buildTCPApp(t.c, t.s, t.cport, t.sport, t.cseq, t.sseq, fPSH|fACK, t.sport, appRequest, g.intn(80, 700), t.respLeft)
		t.cseq += uint32(n)
		t.state = tcpResp
		return true, half + g.between(50*time.Microsecond, 3*time.Millisecond), false
	case tcpResp:
		n := min(t.respLeft, 1460)
		if rest := t.respLeft - n; rest > 0 && rest < 64 {
			n -= 64 // no runt tail segment: every segment holds a whole record
		}
		flags := fACK
		t.respLeft -= n
		if t.respLeft == 0 {
			flags |= fPSH
		}
		part := appResponse
		if t.respFirst {
			part = appResponseStart
			t.respFirst = false
		}
		g.buildTCPApp(t.s, t.c, t.sport, t.cport, t.sseq, t.cseq, flags, t.sport, part, n, n+t.respLeft)
		t.sseq += uint32(n)
		t.unacked++
		if t.respLeft == 0 || t.unacked == 2 {
			t.state = tcpClientACK
			return true, half, false
		}
		return true, g.between(12*time.Microsecond, 120*time.Microsecond), false
	case tcpClientACK:
		g.buildTCP(t.c, t.s, t.cport, t.sport, t.cseq, t.sseq, fACK, 0)
		t.unacked = 0
		if t.respLeft > 0 {
			t.state = tcpResp
			return true, half, false
		}
		t.rounds--
		if t.rounds > 0 {
			t.state = tcpReq
			return true, g.exp(t.think), false
		}
		t.state = tcpFIN1
		return true, g.exp(t.think / 2), false
	case tcpFIN1:
		g.buildTCP(t.c, t.s, t.cport, t.sport, t.cseq, t.sseq, fFIN|fACK, 0)
		t.cseq++
		t.state = tcpFIN2
		return true, half, false
	case tcpFIN2:
		g.buildTCP(t.s, t.c, t.sport, t.cport, t.sseq, t.cseq, fFIN|fACK, 0)
		t.sseq++
		t.state = tcpFIN3
		return true, half, false
	default:
		g.buildTCP(t.c, t.s, t.cport, t.sport, t.cseq, t.sseq, fACK, 0)
		return true, 0, true
	}
}

// dnsLookup is one A query to the resolver and its answer.
type dnsLookup struct {
	client, server *host
	name           int
	sport, id      uint16
	answered       bool
}

func (d *dnsLookup) act(g *Generator) (bool, time.Duration, bool) {
	n := &g.lan.names[d.name]
	if !d.answered {
		g.buildDNS(d.client, d.server, d.sport, 53, d.id, n.name, layers.DNSTypeA, -1, nil)
		d.answered = true
		// a cache hit is fast, a miss goes out to the internet first
		if g.rng.IntN(3) == 0 {
			return true, g.between(10*time.Millisecond, 60*time.Millisecond), false
		}
		return true, g.between(200*time.Microsecond, time.Millisecond), false
	}
	g.buildDNS(d.server, d.client, 53, d.sport, d.id, n.name, layers.DNSTypeA, 1, n.ip)
	return true, 0, true
}

// arpExchange is a who-has broadcast and its unicast reply.
type arpExchange struct {
	asker, target *host
	replied       bool
}

func (a *arpExchange) act(g *Generator) (bool, time.Duration, bool) {
	if !a.replied {
		g.buildARP(a.asker.mac, broadcastMAC, a.asker.vlan, layers.ARPRequest, a.asker.mac, a.asker.ip, nil, a.target.ip)
		a.replied = true
		return true, g.between(50*time.Microsecond, 400*time.Microsecond), false
	}
	g.buildARP(a.target.mac, a.asker.mac, a.target.vlan, layers.ARPReply, a.target.mac, a.target.ip, a.asker.mac, a.asker.ip)
	return true, 0, true
}

// ping is a few ICMP echo requests, one a second, each answered.
type ping struct {
	src, dst *host
	id, seq  uint16
	count    int
	replying bool
}

func (p *ping) act(g *Generator) (bool, time.Duration, bool) {
	if !p.replying {
		p.seq++
		g.buildICMPEcho(p.src, p.dst, false, p.id, p.seq, 32)
		p.replying = true
		return true, g.rtt(p.src, p.dst), false
	}
	g.buildICMPEcho(p.dst, p.src, true, p.id, p.seq, 32)
	p.replying = false
	p.count--
	if p.count == 0 {
		return true, 0, true
	}
	return true, time.Second - 2*time.Millisecond, false
}
