package sim

import (
	"net"
	"strconv"
)

// host is one station with a stable MAC/IP pair. Remote hosts (on the
// internet) are reached through the gateway: frames to and from them carry
// the gateway's MAC.
type host struct {
	name  string
	mac   net.HardwareAddr
	ip    net.IP   // 4 bytes
	ip6   net.IP   // link-local address, derived from the MAC (EUI-64)
	local bool     // on this Ethernet segment
	ttl   uint8    // initial TTL (64 Linux/macOS, 128 Windows); seen TTL for remote hosts
	ipid  uint16   // next IPv4 identification
	vlan  uint16   // 802.1Q VLAN the host's frames are tagged with on the capture port; 0 = untagged
	open  []uint16 // listening TCP ports: they answer a SYN with SYN/ACK
	svc   []uint16 // the ports clients open sessions to (a subset of open)
	gw    *host    // this host's default gateway (nil for the gateway itself and remote hosts)
	port  uint16   // next ephemeral source port

	// poisonedBy is the attacker whose forged ARP replies this host
	// believes: its frames for the gateway go to the attacker's MAC.
	poisonedBy *host
}

func (h *host) nextID() uint16 {
	h.ipid++
	return h.ipid
}

// ephemeral returns the next source port, as an OS allocates them.
func (h *host) ephemeral() uint16 {
	h.port++
	if h.port < 49152 {
		h.port = 49152
	}
	return h.port
}

func (h *host) listens(port uint16) bool {
	for _, p := range h.open {
		if p == port {
			return true
		}
	}
	return false
}

// lan is the small office: a router that is also DNS and DHCP server, a
// few workstations, two local servers, a VoIP VLAN and some internet
// servers.
type lan struct {
	gw      *host   // 192.168.1.1: router, DNS resolver, DHCP server
	gw20    *host   // the router's address on the voice VLAN (same MAC, tagged)
	clients []*host // workstations and laptops
	servers []*host // local servers (file server, intranet web, printer)
	phones  []*host // VoIP phones on the voice VLAN (its id drawn from the seed)
	remote  []*host // internet servers
	all     []*host // every local station with an IPv4 address on the office VLAN

	// attacker is who attack episodes come from in this drift phase (a
	// new one every phase, see newAttacker); wasAttacker marks every
	// host that has been one.
	attacker    *host
	wasAttacker map[*host]bool
	guests      []*host // newcomers on the LAN, oldest first
	builder     *lanBuilder
	names       []dnsName // what the office looks up, with the resolver's answer

	// addresses that are not stations
	bcast host // ff:ff:ff:ff:ff:ff, 255.255.255.255
	mdns  host // 224.0.0.251 (01:00:5e:00:00:fb)
	ssdp  host // 239.255.255.250 (01:00:5e:7f:ff:fa)
	zero  host // 0.0.0.0, a client before DHCP gives it an address (MAC set per use)
}

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func ip4(s string) net.IP { return net.ParseIP(s).To4() }

// linkLocal derives the EUI-64 fe80:: address of a MAC.
func linkLocal(m net.HardwareAddr) net.IP {
	ip := make(net.IP, 16)
	ip[0], ip[1] = 0xfe, 0x80
	ip[8] = m[0] ^ 0x02
	ip[9], ip[10] = m[1], m[2]
	ip[11], ip[12] = 0xff, 0xfe
	ip[13], ip[14], ip[15] = m[3], m[4], m[5]
	return ip
}

func newHost(name string, m net.HardwareAddr, addr net.IP, ttl uint8, open ...uint16) *host {
	h := &host{name: name, mac: m, ip: addr, local: true, ttl: ttl, open: open}
	h.ip6 = linkLocal(h.mac)
	// Start IP IDs and ephemeral ports at a per-host point.
	h.ipid = uint16(h.mac[4])<<8 | uint16(h.mac[5])
	h.port = 49152 + uint16(h.mac[5])*37
	return h
}

// vendor is a NIC maker: the first three bytes (OUI) of its MACs, and the
// initial TTL of the operating system its devices usually run.
type vendor struct {
	oui [3]byte
	ttl uint8
}

// Vendors whose OUIs the office's devices carry (IEEE registry entries).
var (
	pcVendors = []vendor{
		{[3]byte{0x3c, 0x52, 0x82}, 128}, // Hewlett Packard
		{[3]byte{0xf4, 0x8e, 0x38}, 128}, // Dell
		{[3]byte{0x54, 0xbf, 0x64}, 128}, // Dell
		{[3]byte{0x8c, 0x16, 0x45}, 128}, // Lenovo
		{[3]byte{0x00, 0x1b, 0x21}, 128}, // Intel
		{[3]byte{0xa4, 0x83, 0xe7}, 64},  // Apple
		{[3]byte{0x8c, 0x85, 0x90}, 64},  // Apple
		{[3]byte{0xdc, 0xa6, 0x32}, 64},  // Raspberry Pi
	}
	serverVendors = []vendor{
		{[3]byte{0x00, 0x25, 0x90}, 64}, // Super Micro
		{[3]byte{0x00, 0x1b, 0x21}, 64}, // Intel
		{[3]byte{0x00, 0x11, 0x32}, 64}, // Synology
	}
	printerVendors = []vendor{{[3]byte{0x00, 0x80, 0x77}, 64}, {[3]byte{0x00, 0x1b, 0xa9}, 64}} // Brother
	phoneVendors   = []vendor{{[3]byte{0x00, 0x04, 0xf2}, 64}, {[3]byte{0x80, 0x5e, 0xc0}, 64}} // Polycom, Yealink
	routerVendors  = []vendor{{[3]byte{0x00, 0x0d, 0xb9}, 64}, {[3]byte{0x24, 0xa4, 0x3c}, 64}, {[3]byte{0xe0, 0x63, 0xda}, 64}}
	// the first bytes of locally administered MACs: random (private Wi-Fi)
	// addresses and virtual machines (QEMU/KVM 52:54:00, Docker 02:42)
	localPrefixes = [][]byte{{0x02, 0x42}, {0x52, 0x54, 0x00}, {0x06}, {0x0a}, {0x1e}, {0x2a}, {0x3e}, {0x7a}, {0xa2}, {0xd6}}
)

// lanBuilder draws addresses for one LAN from the generator's random source.
type lanBuilder struct {
	g     *Generator
	used  map[[6]byte]bool
	usedD map[byte]bool // last octets taken in the office subnet
	net   [3]byte       // the office subnet's first three octets
}

// vendorMAC draws a unique MAC of a vendor.
func (b *lanBuilder) vendorMAC(v vendor) net.HardwareAddr {
	for {
		m := net.HardwareAddr{v.oui[0], v.oui[1], v.oui[2], byte(b.g.rng.Uint32()), byte(b.g.rng.Uint32()), byte(b.g.rng.Uint32())}
		if b.take(m) {
			return m
		}
	}
}

// localMAC draws a unique locally administered unicast MAC.
func (b *lanBuilder) localMAC() net.HardwareAddr {
	for {
		pre := localPrefixes[b.g.rng.IntN(len(localPrefixes))]
		m := make(net.HardwareAddr, 6)
		copy(m, pre)
		for i := len(pre); i < 6; i++ {
			m[i] = byte(b.g.rng.Uint32())
		}
		if len(pre) == 1 { // private Wi-Fi addresses: random in the low nibble of byte 0 too
			m[0] = m[0]&0xf0 | []byte{0x2, 0x6, 0xa, 0xe}[b.g.rng.IntN(4)]
		}
		if b.take(m) {
			return m
		}
	}
}

func (b *lanBuilder) take(m net.HardwareAddr) bool {
	var k [6]byte
	copy(k[:], m)
	if b.used[k] {
		return false
	}
	b.used[k] = true
	return true
}

// ip draws a free host address of the office subnet in [lo, hi].
func (b *lanBuilder) ip(lo, hi int) net.IP {
	for {
		d := byte(b.g.intn(lo, hi))
		if !b.usedD[d] {
			b.usedD[d] = true
			return net.IP{b.net[0], b.net[1], b.net[2], d}
		}
	}
}

// device makes a station: a vendor MAC, or (with probability local) a
// locally administered one, as laptops with private Wi-Fi addresses and
// virtual machines have.
func (b *lanBuilder) device(name string, vs []vendor, local float64, lo, hi int, open ...uint16) *host {
	v := vs[b.g.rng.IntN(len(vs))]
	var m net.HardwareAddr
	if b.g.rng.Float64() < local {
		m = b.localMAC()
	} else {
		m = b.vendorMAC(v)
	}
	return newHost(name, m, b.ip(lo, hi), v.ttl, open...)
}

// newLAN draws the office from the generator's seed: its subnets, how many
// workstations and phones, every station's vendor, MAC and address. Roles
// stay (a router, a file server, an intranet server, a printer, phones on
// a voice VLAN, workstations and laptops); who is who, and where, changes
// with the seed, so that a model cannot learn one office's addresses.
func newLAN(g *Generator) lan {
	b := &lanBuilder{g: g, used: map[[6]byte]bool{}, usedD: map[byte]bool{}}
	switch g.rng.IntN(3) {
	case 0:
		b.net = [3]byte{192, 168, byte(g.rng.IntN(255))}
	case 1:
		b.net = [3]byte{10, byte(g.rng.IntN(256)), byte(g.rng.IntN(256))}
	default:
		b.net = [3]byte{172, byte(16 + g.rng.IntN(16)), byte(g.rng.IntN(256))}
	}
	voice := [3]byte{b.net[0], b.net[1], b.net[2] ^ byte(1+g.rng.IntN(200))}
	vlan := uint16(g.intn(10, 99))

	var l lan
	gwD := 1
	if g.rng.IntN(3) == 0 {
		gwD = 254
	}
	gwMAC := b.vendorMAC(routerVendors[g.rng.IntN(len(routerVendors))])
	b.usedD[byte(gwD)] = true
	l.gw = newHost("gateway", gwMAC, net.IP{b.net[0], b.net[1], b.net[2], byte(gwD)}, 64, 53, 80)
	l.gw20 = newHost("gateway-voice", gwMAC, net.IP{voice[0], voice[1], voice[2], byte(gwD)}, 64)
	l.gw20.vlan = vlan
	l.gw20.ip6 = l.gw.ip6

	l.servers = []*host{
		b.device("files.office.lan", serverVendors, 0.2, 2, 30, 22, 139, 445),
		b.device("intranet.office.lan", serverVendors, 0.4, 2, 30, 22, 80, 443),
		b.device("printer.office.lan", printerVendors, 0, 2, 60, 80, 515, 631, 9100),
	}
	// Sessions use the ports whose payloads sim writes as the protocol
	// expects (HTTP text, TLS records, NetBIOS session frames, raw print
	// data); the others are only ever probed.
	l.servers[0].svc = []uint16{445}
	l.servers[1].svc = []uint16{80, 443}
	l.servers[2].svc = []uint16{80, 9100}
	nClients := g.intn(5, 12)
	for i := range nClients {
		name := "ws-" + strconv.Itoa(i+1)
		local := 0.1
		if g.rng.IntN(2) == 0 {
			name, local = "laptop-"+strconv.Itoa(i+1), 0.35
		}
		l.clients = append(l.clients, b.device(name, pcVendors, local, 20, 199))
	}
	for i := range g.intn(2, 4) {
		v := phoneVendors[g.rng.IntN(len(phoneVendors))]
		p := newHost("phone-"+strconv.Itoa(i+1), b.vendorMAC(v), net.IP{voice[0], voice[1], voice[2], byte(10 + 3*i + g.rng.IntN(3))}, 64, 5060)
		p.vlan = vlan
		p.gw = l.gw20
		l.phones = append(l.phones, p)
	}
	l.remote = []*host{
		{name: "www.example.com", ip: ip4("203.0.113.10"), ttl: 54, open: []uint16{80, 443}},
		{name: "mail.example.org", ip: ip4("203.0.113.25"), ttl: 51, open: []uint16{443, 993}},
		{name: "cdn.example.net", ip: ip4("198.51.100.7"), ttl: 57, open: []uint16{80, 443}},
		{name: "updates.example.net", ip: ip4("198.51.100.40"), ttl: 49, open: []uint16{443}},
		{name: "git.example.com", ip: ip4("192.0.2.80"), ttl: 53, open: []uint16{443}},
	}
	for _, r := range l.remote {
		r.ipid = uint16(r.ip[3]) * 97
		r.svc = r.open
	}
	l.all = append(l.all, l.gw)
	l.all = append(l.all, l.servers...)
	l.all = append(l.all, l.clients...)
	for _, h := range l.all {
		if h != l.gw {
			h.gw = l.gw
		}
	}
	l.builder = b
	l.bcast = host{name: "broadcast", mac: broadcastMAC, ip: ip4("255.255.255.255"), local: true}
	l.mdns = host{name: "mdns", mac: mac("01:00:5e:00:00:fb"), ip: ip4("224.0.0.251"), local: true}
	l.ssdp = host{name: "ssdp", mac: mac("01:00:5e:7f:ff:fa"), ip: ip4("239.255.255.250"), local: true}
	l.zero = host{name: "unconfigured", ip: ip4("0.0.0.0"), local: true, ttl: 64}
	l.names = []dnsName{
		{[]byte("www.example.com"), ip4("203.0.113.10")},
		{[]byte("mail.example.org"), ip4("203.0.113.25")},
		{[]byte("cdn.example.net"), ip4("198.51.100.7")},
		{[]byte("updates.example.net"), ip4("198.51.100.40")},
		{[]byte("git.example.com"), ip4("192.0.2.80")},
	}
	for _, s := range l.servers {
		l.names = append(l.names, dnsName{[]byte(s.name), s.ip})
	}
	return l
}

// newAttacker makes the attacker of a drift phase, never one seen before:
// a laptop that joins the office (vendor or random MAC), a virtual machine
// (locally administered MAC, like the office's other VMs and private Wi-Fi
// addresses), or an ordinary workstation that was compromised and keeps
// its normal traffic. Newcomers join the clients, so they also do
// everything a client does. n counts the attackers made so far.
func (l *lan) newAttacker(g *Generator, n int) *host {
	b := l.builder
	switch n % 3 {
	case 0:
		h := b.device("visitor-"+strconv.Itoa(n), pcVendors, 0.5, 200, 250)
		l.join(g, h)
		return h
	case 1:
		h := newHost("vm-"+strconv.Itoa(n), b.localMAC(), b.ip(200, 250), 64)
		l.join(g, h)
		return h
	}
	// a compromised workstation not yet used
	for _, i := range g.rng.Perm(len(l.clients)) {
		c := l.clients[i]
		if !l.wasAttacker[c] {
			return c
		}
	}
	h := b.device("ws-new-"+strconv.Itoa(n), pcVendors, 0.1, 200, 250)
	l.join(g, h)
	return h
}

// join adds a newcomer to the clients, which arrives as any laptop does
// (DHCP, gratuitous ARP, discovery); the oldest newcomer leaves when more
// than maxGuests are present, so the LAN stays bounded however long the
// run.
func (l *lan) join(g *Generator, h *host) {
	h.gw = l.gw
	g.schedule(0, EpisodeNormal, &bootBurst{h: h, xid: g.rng.Uint32()})
	l.clients = append(l.clients, h)
	l.all = append(l.all, h)
	l.guests = append(l.guests, h)
	if len(l.guests) > maxGuests {
		old := l.guests[0]
		l.guests = l.guests[1:]
		l.clients = removeHost(l.clients, old)
		l.all = removeHost(l.all, old)
		delete(l.builder.usedD, old.ip[3])
	}
}

// maxGuests is how many newcomers stay on the LAN at once.
const maxGuests = 4

func removeHost(hs []*host, h *host) []*host {
	for i, x := range hs {
		if x == h {
			return append(hs[:i], hs[i+1:]...)
		}
	}
	return hs
}

// macs returns the source and destination MAC of an IP packet from src to
// dst on this segment: remote ends are replaced by their gateway.
func (l *lan) macs(src, dst *host) (s, d net.HardwareAddr) {
	s, d = src.mac, dst.mac
	if !src.local {
		s = l.gatewayFor(dst).mac
	}
	if !dst.local {
		d = l.gatewayFor(src).mac
	}
	return s, d
}

func (l *lan) gatewayFor(h *host) *host {
	if h.gw != nil {
		return h.gw
	}
	return l.gw
}

// vlanOf is the tag of a frame between src and dst (at most one of them is
// on a tagged VLAN; routed traffic is tagged on the VLAN side).
func vlanOf(src, dst *host) uint16 {
	if src.vlan != 0 {
		return src.vlan
	}
	return dst.vlan
}

// dnsName is a name the office looks up, with the address the resolver answers.
type dnsName struct {
	name []byte
	ip   net.IP
}
