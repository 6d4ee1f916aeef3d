// Package sim generates labelled Ethernet traffic scenarios and writes them
// in any supported wire format (pcapng with "label=N scenario=NAME" packet
// comments, pcap, SLIP), to files, TCP clients or serial ports.
//
// Every frame is valid on the wire: lengths and checksums are right and MAC
// and IP addresses are consistent per host. Output is deterministic for a
// given seed. Nothing here imports Fyne or the rest of the project.
package sim
