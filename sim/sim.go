// Package sim generates labelled Ethernet traffic scenarios and writes them
// in any supported wire format (pcapng with "label=N scenario=NAME
// episode=KIND" packet comments, pcap, SLIP), to files, TCP clients or
// serial ports.
//
// # The office
//
// Every scenario but "random" is a small office LAN seen from a mirror port:
// a router at 192.168.1.1 that is also DNS resolver, DHCP server and (on
// VLAN 20) PBX; six workstations and laptops; a file server, an intranet
// server that also runs monitoring, and a printer; two VoIP phones on the
// 802.1Q-tagged VLAN 20; internet servers behind the router. Hosts keep
// stable MAC/IP pairs, IP IDs and ephemeral ports. Background traffic is
// ARP, DHCP, DNS, TCP sessions (handshake, correctly sequenced data and
// ACKs, FIN teardown; payloads in the protocol of the port: HTTP text, TLS
// records, NetBIOS session frames), ICMP echo, IPv6 neighbour and router
// discovery, mDNS and SSDP multicast, SIP and RTP on VLAN 20, and benign
// look-alikes of the attacks: a client opening many connections at once,
// the monitoring server's half-open port checks, DNS bursts with large TXT
// answers, a laptop joining with gratuitous ARPs and broadcasts.
//
// # Episodes and labels
//
// Attack episodes are mixed into the background one at a time. Under
// LabelBinary a frame is labelled 0 (normal) or 1 (attack); under
// LabelMulticlass with its kind: 0 normal, 1 port_scan, 2 syn_flood,
// 3 arp_spoof, 4 dns_amplification, 5 broadcast_storm (the Episode* constants; the
// numbering is stable). Every frame of an episode carries its label,
// answers from the victim included.
//
// # Clock and determinism
//
// Frame timestamps follow the scenario's own clock, which starts at
// 2026-01-05 09:00 UTC, so output is byte-for-byte the same for a seed.
// Only Stream looks at the wall clock, to pace frames.
//
// # Validity
//
// Every frame of every scenario but "random" is valid: lengths, checksums,
// MAC/IP consistency (a spoofer's forgeries are the exception by nature);
// the tests check this with gopacket and with tshark. "random" is the old
// prototype's random bytes with coin-flip labels, kept to show why it
// could not be learnt.
//
// Nothing here imports Fyne or the rest of the project.
package sim
