package sim

import (
	"time"
)

// portScan is an nmap-style SYN scan: the attacker sends one SYN per port
// from a fixed source port; the victim answers closed ports with RST/ACK
// and open ports with SYN/ACK, which the attacker resets. Windows clients
// drop most probes silently (their firewall). Every frame of the episode,
// the victim's answers included, belongs to the episode.
type portScan struct {
	attacker, victim *host
	sport            uint16
	seq              uint32
	probes           int // probes left
	i                int // probes sent
	off, stride      int // the port order: a stride walk over 1..1024, then over 1025..65535
	port             uint16
	state            int // 0 probe, 1 victim answers, 2 attacker resets an open port
	gap              time.Duration
	silent           bool // victim drops closed-port probes
}

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
	return &portScan{
		attacker: g.attacker(),
		victim:   v,
		sport:    uint16(g.intn(33000, 61000)),
		seq:      g.rng.Uint32(),
		probes:   g.intn(300, 1500),
		off:      g.rng.IntN(1 << 16),
		stride:   2*g.rng.IntN(400) + 101, // odd: visits every port below 1024 once
		gap:      g.between(60*time.Microsecond, 600*time.Microsecond),
		silent:   v.ttl == 128,
	}
}

// attacker is the host episodes attack from.
func (g *Generator) attacker() *host { return g.lan.intruder }

func (p *portScan) act(g *Generator) (bool, time.Duration, bool) {
	switch p.state {
	case 0:
		// each port once: well-known ports first, as scanners do
		if p.i < 1024 {
			p.port = uint16(1 + (p.off+p.i*p.stride)%1024)
		} else {
			// 64511 = 31 * 2081; 4099 is prime and shares no factor with it
			p.port = uint16(1025 + (p.off+(p.i-1024)*4099)%64511)
		}
		p.i++
		g.buildTCP(p.attacker, p.victim, p.sport, p.port, p.seq, 0, fSYN, 0)
		p.probes--
		open := p.victim.listens(p.port)
		if open || !p.silent || g.rng.IntN(10) == 0 {
			p.state = 1
			return true, g.between(80*time.Microsecond, 400*time.Microsecond), false
		}
		return p.next(g)
	case 1:
		if p.victim.listens(p.port) {
			g.buildTCP(p.victim, p.attacker, p.port, p.sport, g.rng.Uint32(), p.seq+1, fSYN|fACK, 0)
			p.state = 2
			return true, g.between(30*time.Microsecond, 200*time.Microsecond), false
		}
		g.buildTCP(p.victim, p.attacker, p.port, p.sport, 0, p.seq+1, fRST|fACK, 0)
		return p.next(g)
	default:
		g.buildTCP(p.attacker, p.victim, p.sport, p.port, p.seq+1, 0, fRST, 0)
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
