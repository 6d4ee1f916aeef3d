package sim

import (
	"time"
)

// scenario is one named traffic mix.
type scenario struct {
	name, summary string
	random        bool  // the prototype's random bytes, nothing else
	attacks       []int // episode kinds, drawn at random, one episode at a time
	drift         bool  // attack kinds change with the phases whatever Config.Drift says
	// phased scenarios get a new attacker and background mix every
	// DriftPeriod even without Config.Drift
	phased bool
}

var allAttacks = []int{EpisodePortScan, EpisodeSYNFlood, EpisodeARPSpoof, EpisodeDNSAmplification, EpisodeBroadcastStorm}

var scenarios = []scenario{
	{name: "default", attacks: allAttacks, phased: true,
		summary: "office LAN (ARP, DHCP, DNS, TCP, ICMP, IPv6 ND, multicast, tagged VoIP) with every attack kind, benign look-alikes, and a new attacker and background mix every 4 s"},
	{name: "port_scan", attacks: []int{EpisodePortScan},
		summary: "office background; an intruder SYN-probes each port of one host, RST or SYN/ACK back (multiclass label 1)"},
	{name: "syn_flood", attacks: []int{EpisodeSYNFlood},
		summary: "office background; SYNs from spoofed internet sources flood one server port (multiclass label 2)"},
	{name: "arp_spoof", attacks: []int{EpisodeARPSpoof},
		summary: "office background; forged ARP replies put the attacker between victims and the gateway (multiclass label 3)"},
	{name: "dns_amplification", attacks: []int{EpisodeDNSAmplification},
		summary: "office background; large ANY answers from many resolvers hit a spoofed victim (multiclass label 4)"},
	{name: "broadcast_storm", attacks: []int{EpisodeBroadcastStorm},
		summary: "office background; a switching loop copies one broadcast frame thousands of times (multiclass label 5)"},
	{name: "drift", attacks: allAttacks, drift: true, phased: true,
		summary: "the default mix in three recurring phases that change every 4 s of scenario time: attack kinds and background; a new attacker every phase"},
	{name: "random", random: true,
		summary: "the old prototype: random bytes 20..1500 long, coin-flip labels; NOT valid Ethernet (tshark: malformed or unknown), nothing to learn"},
}

// DriftPeriod is how long each drift phase lasts on the scenario clock:
// short enough that a 20,000-frame run sees a change.
const DriftPeriod = 4 * time.Second

// phases are the drift phases, in order; after the last the first comes
// back (recurring concepts). Phase 0 is also the setting without drift.
// Every phase has a new attacker (lan.newAttacker), never one seen before:
// a newcomer laptop, a virtual machine or a compromised workstation, each
// of which also sends normal traffic.
//
//	0: an ordinary office mix; with kind drift, port scans and SYN floods.
//	1: month-end file-server and backup traffic; ARP spoofing and DNS
//	   amplification.
//	2: a chatty mix of lookups and multicast; slow port scans and
//	   broadcast storms.
var phases = []struct {
	kinds []int // attack kinds of the drift scenario in this phase
	mix   *mix
}{
	{[]int{EpisodePortScan, EpisodeSYNFlood}, &mixOffice},
	{[]int{EpisodeARPSpoof, EpisodeDNSAmplification}, &mixFiles},
	{[]int{EpisodePortScan, EpisodeBroadcastStorm}, &mixChatty},
}

// officeSetup starts the background traffic, the first episode and, with
// drift, the phase clock.
func officeSetup(g *Generator) {
	g.kinds = g.sc.attacks
	g.mix = &mixOffice
	g.lan.wasAttacker = map[*host]bool{}
	g.schedule(0, EpisodeNormal, &background{})
	g.scheduleEpisode(g.between(200*time.Millisecond, 600*time.Millisecond))
	g.kindDrift = g.sc.drift || (g.cfg.Drift && len(g.sc.attacks) > 1)
	g.applyPhase()
	if g.sc.phased || g.sc.drift || g.cfg.Drift {
		g.schedule(DriftPeriod, EpisodeNormal, driftClock{})
	}
}

// driftClock moves to the next phase at fixed points of scenario time.
type driftClock struct{}

func (driftClock) act(g *Generator) (bool, time.Duration, bool) {
	g.phase++
	g.applyPhase()
	return false, DriftPeriod, false
}

func (g *Generator) applyPhase() {
	p := phases[g.phase%len(phases)]
	g.mix = p.mix
	if g.kindDrift {
		g.kinds = p.kinds
		g.deck = g.deck[:0]
	}
	l := &g.lan
	l.attacker = l.newAttacker(g, g.phase)
	l.wasAttacker[l.attacker] = true
}

// scheduleEpisode starts the scenario's next attack episode after wait.
func (g *Generator) scheduleEpisode(wait time.Duration) {
	if len(g.sc.attacks) == 0 {
		return
	}
	g.schedule(wait, EpisodeNormal, episodeStarter{})
}

// episodeDone is called by an attack episode when its last frame is out.
func (g *Generator) episodeDone() {
	g.scheduleEpisode(g.between(150*time.Millisecond, 600*time.Millisecond))
}

type episodeStarter struct{}

// act draws the next kind like a card from a shuffled deck of the current
// kinds, so that every kind comes up once per round.
func (episodeStarter) act(g *Generator) (bool, time.Duration, bool) {
	if len(g.deck) == 0 {
		for _, i := range g.rng.Perm(len(g.kinds)) {
			g.deck = append(g.deck, g.kinds[i])
		}
	}
	kind := g.deck[0]
	g.deck = g.deck[1:]
	g.startEpisode(kind)
	return false, 0, true
}

func (g *Generator) startEpisode(kind int) {
	var a actor
	switch kind {
	case EpisodePortScan:
		a = g.newPortScan()
	case EpisodeSYNFlood:
		a = g.newSYNFlood()
	case EpisodeARPSpoof:
		a = g.newARPSpoof()
	case EpisodeDNSAmplification:
		a = g.newDNSAmplification()
	case EpisodeBroadcastStorm:
		a = g.newBroadcastStorm()
	default:
		panic("sim: no episode for kind " + episodeNames[kind])
	}
	g.schedule(0, kind, a)
}

// maxCoverageFrames bounds how far KindsMissing looks: every office
// scenario shows all its kinds far earlier (default within 30,000 frames).
const maxCoverageFrames = 2_000_000

// KindsMissing returns the names of the scenario's attack kinds that do
// not appear in its first frames frames (none for "random", whose labels
// are coin flips). The scenario is deterministic per seed, so this replays
// it; it stops as soon as every kind has been seen, which for every
// scenario is within a few tens of thousands of frames.
func KindsMissing(cfg Config, frames int) ([]string, error) {
	g, err := NewGenerator(cfg)
	if err != nil {
		return nil, err
	}
	if g.sc.random {
		return nil, nil
	}
	want := map[int]bool{}
	for _, k := range g.sc.attacks {
		want[k] = true
	}
	for i := 0; i < min(frames, maxCoverageFrames) && len(want) > 0; i++ {
		g.Next()
		// the kind of the frame just made, whatever the target
		delete(want, g.lastKind)
	}
	var out []string
	for _, k := range g.sc.attacks {
		if want[k] {
			out = append(out, episodeNames[k])
		}
	}
	return out, nil
}
