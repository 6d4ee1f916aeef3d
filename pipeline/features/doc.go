// Package features turns decoded Ethernet frames into the numeric vectors
// the learners see: feature sets, MAC encoders and an online standard
// scaler. Nothing here allocates per frame in steady state.
//
// # Sets
//
// Sets are registered by name; SetNames lists them (the UI's menu, the
// --features flag):
//
//   - basic: the prototype's four features, MACs coded in order of first
//     sight (Basic).
//   - extended: header fields of every layer plus per-source and
//     per-conversation statistics over damped windows (Extended), with no
//     MAC address columns, so that the learners judge what hosts do, not
//     who they are. Codes are one-hot (EtherType, IP protocol, ICMP type,
//     ARP opcode, port class), TCP flags one 0/1 column each; counts,
//     rates, sizes and times are log1p-transformed before scaling
//     (Feature.Scale, StandardScaler.Configure).
//   - extended-mac: the same plus the two MACs hashed into buckets.
//   - extended-firstsight: the same plus the MACs coded in order of first
//     sight.
//
// # Extended statistics
//
// Per-host statistics follow Kitsune's AfterImage: weight, sum and sum of
// squares decay by exp(-λ·Δt) with capture time (Packet.Time), λ per
// second. Rates are kept at λ = 5, 1 and 0.1 (the last 0.2 s, 1 s, 10 s),
// size and inter-arrival mean and spread at λ = 1. Per source MAC also:
// distinct destination ports and hosts (linear counting over two 256-bit
// generations of DistinctWindow) and the share of SYNs without SYN/ACK.
// Per IPv4 address: how many MACs claimed it in ARP and how many MACs sent
// from it. ExtendedConfig sets all of these.
//
// # Memory
//
// Every table is an lruTable with a fixed capacity (ExtendedConfig:
// 4096 source MACs, 16384 host pairs, 4096 ARP-claimed and 4096 source IPv4
// addresses by default): when a new key arrives at a full table, the entry
// seen least recently is dropped and its slot reused. Memory is flat
// however many hosts appear; a host that comes back after eviction starts
// from fresh statistics. The first-sight MAC encoder maps every address
// beyond its capacity to one overflow code instead.
package features
