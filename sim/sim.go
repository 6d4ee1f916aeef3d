// Package sim generates labelled Ethernet traffic scenarios and writes them
// in any supported wire format (pcapng with "label=N scenario=NAME
// episode=KIND" packet comments, pcap, SLIP), to files, TCP clients or
// serial ports.
//
// # The office
//
// Every scenario but "random" is a small office LAN seen from a mirror port,
// drawn from the seed: its subnet (192.168.x.0/24, 10.x.y.0/24 or
// 172.16-31.x.0/24), how many workstations, laptops and phones, and every
// station's vendor (real OUIs), MAC and address. Some laptops use random
// (locally administered) MACs, as private Wi-Fi addresses do, and some
// servers run as virtual machines. The roles stay: a router that is also
// DNS resolver, DHCP server and PBX (on a tagged voice VLAN), workstations
// and laptops, a file server, an intranet server that also runs monitoring,
// a printer, VoIP phones, and internet servers behind the router. Hosts
// keep stable MAC/IP pairs, IP IDs and ephemeral ports. Background traffic
// is ARP, DHCP, DNS, TCP sessions (handshake, correctly sequenced data and
// ACKs, FIN teardown; payloads in the protocol of the port: HTTP text, TLS
// records, NetBIOS session frames), ICMP echo, IPv6 neighbour and router
// discovery, mDNS and SSDP multicast, SIP and RTP on the voice VLAN, and
// benign look-alikes of the attacks: a client opening many connections at
// once, the monitoring server's half-open port checks, DNS bursts with large
// TXT answers, a laptop joining with gratuitous ARPs and broadcasts.
//
// Attackers are not marked by who they are: each drift phase has a new one
// (a visiting laptop, a virtual machine, a compromised workstation), and
// every one of them also sends normal traffic. Attack frames vary as real
// tools' do (scan orders, timings, windows, TTLs and source ports; flood
// tools' fingerprints; ARP poisoning by replies or requests; storms of many
// different broadcast frames).
//
// # Episodes and labels
//
// Attack episodes are mixed into the background one at a time. Under
// LabelBinary a frame is labelled 0 (normal) or 1 (attack); under
// LabelMulticlass with its kind: 0 normal, 1 port_scan, 2 syn_flood,
// 3 arp_spoof, 4 dns_amplification, 5 broadcast_storm (the Episode* constants; the
// numbering is stable). Every frame of an episode carries its label,
// answers from the victim included, except a storm's originals: each
// broadcast's first appearance is its host's own transmission and is
// labelled normal; the loop's copies of it are the storm.
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
