package sim

import (
	"net"
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
	gw       *host   // 192.168.1.1: router, DNS resolver, DHCP server
	gw20     *host   // the router's address on VLAN 20 (same MAC, tagged)
	clients  []*host // workstations and laptops
	servers  []*host // local servers (file server, intranet web, printer)
	phones   []*host // VoIP phones on VLAN 20
	remote   []*host // internet servers
	intruder *host   // a laptop that should not be there (attacker in episodes)
	all      []*host // every local station with an IPv4 address on VLAN 1

	// attackers are the identities attacks come from, one per drift phase:
	// the intruder's laptop, a rogue VM, and a compromised workstation.
	attackers []*host

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

func newHost(name, m, addr string, ttl uint8, open ...uint16) *host {
	h := &host{name: name, mac: mac(m), ip: ip4(addr), local: true, ttl: ttl, open: open}
	h.ip6 = linkLocal(h.mac)
	// Start IP IDs and ephemeral ports at a per-host but fixed point.
	h.ipid = uint16(h.mac[4])<<8 | uint16(h.mac[5])
	h.port = 49152 + uint16(h.mac[5])*37
	return h
}

func newLAN() lan {
	var l lan
	l.gw = newHost("gateway", "00:0d:b9:4a:10:01", "192.168.1.1", 64, 53, 80)
	l.gw20 = newHost("gateway-vlan20", "00:0d:b9:4a:10:01", "192.168.20.1", 64)
	l.gw20.vlan = 20
	l.gw20.ip6 = l.gw.ip6
	l.clients = []*host{
		newHost("ws-anna", "3c:52:82:11:a0:01", "192.168.1.21", 128),
		newHost("ws-ben", "3c:52:82:11:a0:02", "192.168.1.22", 128),
		newHost("ws-carla", "f4:8e:38:22:b1:03", "192.168.1.23", 128),
		newHost("mac-dave", "a4:83:e7:33:c2:04", "192.168.1.24", 64),
		newHost("lt-eva", "f4:8e:38:22:b1:05", "192.168.1.25", 128),
		newHost("lt-finn", "8c:85:90:44:d3:06", "192.168.1.26", 64),
	}
	l.servers = []*host{
		newHost("files.office.lan", "00:1b:21:5e:00:10", "192.168.1.10", 64, 22, 139, 445),
		newHost("intranet.office.lan", "00:1b:21:5e:00:11", "192.168.1.11", 64, 22, 80, 443),
		newHost("printer.office.lan", "00:80:77:6a:00:12", "192.168.1.12", 64, 80, 515, 631, 9100),
	}
	// Sessions use the ports whose payloads sim writes as the protocol
	// expects (HTTP text, TLS records, NetBIOS session frames, raw print
	// data); the others are only ever probed.
	l.servers[0].svc = []uint16{445}
	l.servers[1].svc = []uint16{80, 443}
	l.servers[2].svc = []uint16{80, 9100}
	l.phones = []*host{
		newHost("phone-1", "00:04:f2:7b:00:31", "192.168.20.31", 64, 5060),
		newHost("phone-2", "00:04:f2:7b:00:32", "192.168.20.32", 64, 5060),
	}
	for _, p := range l.phones {
		p.vlan = 20
		p.gw = l.gw20
	}
	l.intruder = newHost("intruder", "00:c0:ca:9d:66:66", "192.168.1.66", 64)
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
	l.intruder.gw = l.gw
	rogue := newHost("rogue-vm", "02:42:ac:11:00:99", "192.168.1.99", 64)
	rogue.gw = l.gw
	l.attackers = []*host{l.intruder, rogue, l.clients[1]}
	l.bcast = host{name: "broadcast", mac: broadcastMAC, ip: ip4("255.255.255.255"), local: true}
	l.mdns = host{name: "mdns", mac: mac("01:00:5e:00:00:fb"), ip: ip4("224.0.0.251"), local: true}
	l.ssdp = host{name: "ssdp", mac: mac("01:00:5e:7f:ff:fa"), ip: ip4("239.255.255.250"), local: true}
	l.zero = host{name: "unconfigured", ip: ip4("0.0.0.0"), local: true, ttl: 64}
	return l
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

// dnsNames are what the office looks up, with the address the resolver
// answers.
var dnsNames = []struct {
	name []byte
	ip   net.IP
}{
	{[]byte("www.example.com"), ip4("203.0.113.10")},
	{[]byte("mail.example.org"), ip4("203.0.113.25")},
	{[]byte("cdn.example.net"), ip4("198.51.100.7")},
	{[]byte("updates.example.net"), ip4("198.51.100.40")},
	{[]byte("git.example.com"), ip4("192.0.2.80")},
	{[]byte("intranet.office.lan"), ip4("192.168.1.11")},
	{[]byte("files.office.lan"), ip4("192.168.1.10")},
	{[]byte("printer.office.lan"), ip4("192.168.1.12")},
}
