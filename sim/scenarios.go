package sim

import (
	"time"
)

// scenario is one named traffic mix.
type scenario struct {
	name, summary string
	random        bool  // the prototype's random bytes, nothing else
	attacks       []int // episode kinds, drawn at random, one episode at a time
	drift         bool  // phases change at fixed points whatever Config.Drift says
}

var allAttacks = []int{EpisodePortScan, EpisodeSYNFlood, EpisodeARPSpoof, EpisodeDNSAmplification, EpisodeBroadcastStorm}

var scenarios = []scenario{
	{name: "default", attacks: allAttacks,
		summary: "office LAN (ARP, DHCP, DNS, TCP, ICMP, IPv6 ND, multicast, VLAN 20 VoIP) with every attack kind and benign look-alikes"},
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
	{name: "drift", attacks: allAttacks, drift: true,
		summary: "the default mix in three phases that change every 10 s of scenario time: attacker MAC/IP, attack kinds, background"},
	{name: "random", random: true,
		summary: "the old prototype: random bytes 20..1500 long, coin-flip labels; NOT valid Ethernet (tshark: malformed or unknown), nothing to learn"},
}

// DriftPeriod is how long each drift phase lasts on the scenario clock.
const DriftPeriod = 10 * time.Second

// phases are the drift phases, in order; after the last the first comes
// back (recurring concepts). Phase 0 is also the setting without drift.
//
//	0: attacker the intruder laptop 192.168.1.66; port scans and SYN floods
//	   on the intranet's HTTPS port; an ordinary office mix.
//	1: attacker a rogue VM 192.168.1.99; ARP spoofing and DNS amplification;
//	   the laptop at .66 now belongs to a new colleague and is normal;
//	   month-end file-server and backup traffic.
//	2: attacker a compromised workstation, ws-ben 192.168.1.22, which keeps
//	   its normal traffic too; slow port scans and broadcast storms; SYN
//	   floods hit the file server; a chatty mix of lookups and multicast.
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
	g.schedule(0, EpisodeNormal, &background{})
	g.scheduleEpisode(g.between(300*time.Millisecond, 1500*time.Millisecond))
	if g.sc.drift || g.cfg.Drift {
		g.applyPhase()
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
	if len(g.sc.attacks) > 1 {
		g.kinds = p.kinds
		g.deck = g.deck[:0]
	}
	l := &g.lan
	// The intruder's laptop at .66 is a colleague's from phase 1 on.
	joined := false
	for _, c := range l.clients {
		joined = joined || c == l.intruder
	}
	if g.phase%len(phases) != 0 && !joined {
		l.clients = append(l.clients, l.intruder)
	}
	if g.phase%len(phases) == 0 && joined {
		l.clients = l.clients[:len(l.clients)-1]
	}
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
	g.scheduleEpisode(g.between(time.Second, 3*time.Second))
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
