#!/usr/bin/env bash
# make_arp_poison.sh OUT.pcap [arpspoof|ettercap] - record a real
# ARP-poisoning attack on a small LAN built from network namespaces, for the
# real-capture check (arp_poison_TOOL.pcapng; README.md beside this file).
#
# Needs: root (network namespaces), iproute2, ethtool, tcpdump, socat,
# iputils-ping and the attack tool: arpspoof from Debian's dsniff package, or
# ettercap from ettercap-text-only (apt-get install iproute2 ethtool tcpdump
# socat iputils-ping dsniff ettercap-text-only).
# It is NOT run by `make test`: the capture it made is committed, labelled
# by TestBuildRealCaptureSets:
#
#   sudo app/testdata/realcaptures/make_arp_poison.sh DIR/arp_poison_arpspoof.pcap arpspoof
#   sudo app/testdata/realcaptures/make_arp_poison.sh DIR/arp_poison_ettercap.pcap ettercap
#   ETHERLEARN_CAPTURE_SOURCES=DIR go test ./app -run TestBuildRealCaptureSets
#
# The LAN 192.168.50.0/24 is one Linux bridge with four hosts, each in its
# own namespace, and a web/ping server behind the gateway:
#
#   gateway  192.168.50.1   52:54:00:1a:00:01  routes to 203.0.113.0/24, answers DNS-like UDP on :53
#   victim   192.168.50.10  52:54:00:1a:00:10
#   client2  192.168.50.20  52:54:00:1a:00:20
#   attacker 192.168.50.66  52:54:00:1a:00:66  IP forwarding on, ICMP redirects off
#   server   203.0.113.10   (behind the gateway; TCP :80 answers one line)
#
# Every host, the attacker included, makes ordinary traffic the whole time
# (pings, DNS-like UDP queries, short TCP exchanges with jittered gaps).
# Timeline: NORMAL_S seconds of normal traffic, then the tool poisons the
# victim and the gateway from the attacker for POISON_S seconds, then it is
# stopped the way a user stops it (it re-ARPs the true addresses) and
# NORMAL_S more seconds of normal traffic follow. The victim keeps working
# throughout: the diverted traffic is relayed, by the attacker's kernel for
# `arpspoof -r` (IP forwarding on), by ettercap itself for
# `ettercap -T -M arp:remote` (which turns the kernel's forwarding off, looks
# up the two targets with ARP requests and primes their caches with spoofed
# ICMP echo requests). tcpdump records everything on the bridge. Namespaces and processes are removed
# on exit, also on error or Ctrl-C.
set -euo pipefail

out=${1:?usage: make_arp_poison.sh OUT.pcap [arpspoof|ettercap]}
attack=${2:-arpspoof}
NORMAL_S=${NORMAL_S:-40}
POISON_S=${POISON_S:-40}

case $attack in
arpspoof | ettercap) ;;
*) echo "make_arp_poison.sh: unknown attack tool $attack (arpspoof or ettercap)" >&2; exit 2 ;;
esac
for tool in ip ethtool tcpdump socat ping "$attack"; do
	command -v "$tool" >/dev/null || { echo "make_arp_poison.sh: $tool not found (apt-get install iproute2 ethtool tcpdump socat iputils-ping dsniff ettercap-text-only)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "make_arp_poison.sh: needs root for network namespaces" >&2; exit 1; }

p=elarp # namespace prefix
hosts="gw vic cl2 atk"
nss="lan $hosts srv"
work=$(mktemp -d)
pids=()

cleanup() {
	set +e
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	wait 2>/dev/null
	for ns in $nss; do ip netns del "$p-$ns" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

on() { local ns=$1; shift; ip netns exec "$p-$ns" "$@"; }

for ns in $nss; do
	ip netns add "$p-$ns"
	on "$ns" ip link set lo up
	# IPv4 only: keeps the capture small and the labelling rule about IPv4.
	on "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
# A fixed bridge address: the bridge itself sends an IGMP report or two.
on lan ip link add br0 address 52:54:00:1a:00:fe type bridge
on lan ip link set br0 up

declare -A mac=([gw]=52:54:00:1a:00:01 [vic]=52:54:00:1a:00:10 [cl2]=52:54:00:1a:00:20 [atk]=52:54:00:1a:00:66)
declare -A addr=([gw]=192.168.50.1 [vic]=192.168.50.10 [cl2]=192.168.50.20 [atk]=192.168.50.66)
for h in $hosts; do
	ip link add "$h-port" netns "$p-lan" type veth peer name eth0 netns "$p-$h"
	on lan ip link set "$h-port" master br0 up
	on "$h" ip link set eth0 address "${mac[$h]}"
	on "$h" ip addr add "${addr[$h]}/24" dev eth0
	on "$h" ip link set eth0 up
	[ "$h" = gw ] || on "$h" ip route add default via 192.168.50.1
done

# The server network behind the gateway.
ip link add wan0 netns "$p-gw" type veth peer name eth0 netns "$p-srv"
on gw ip addr add 203.0.113.1/24 dev wan0
on gw ip link set wan0 up
on srv ip addr add 203.0.113.10/24 dev eth0
on srv ip link set eth0 up
on srv ip route add default via 203.0.113.1
on gw sysctl -qw net.ipv4.ip_forward=1

# Checksums in software, as a NIC puts them on the wire: with veth's
# checksum offload the captured TCP/UDP checksums are left unfilled, and
# ettercap, which relays frames as it captured them, would send them on
# broken.
for h in $hosts; do
	on lan ethtool -K "$h-port" tx off >/dev/null
	on "$h" ethtool -K eth0 tx off >/dev/null
done
on gw ethtool -K wan0 tx off >/dev/null
on srv ethtool -K eth0 tx off >/dev/null

# The attacker relays what it intercepts, silently (no ICMP redirects).
on atk sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0

# Long-running processes are started with ip netns exec directly, so $!
# is the process itself (signals reach it, not a subshell).
# Services: a one-line web server, a DNS-like UDP responder.
ip netns exec "$p-srv" socat TCP4-LISTEN:80,fork,reuseaddr SYSTEM:'read line; echo "HTTP/1.0 200 OK"; echo; echo "hello $line"' &
pids+=($!)
ip netns exec "$p-gw" socat UDP4-RECVFROM:53,fork SYSTEM:'head -c 64 >/dev/null; echo "A 203.0.113.10"' &
pids+=($!)

ip netns exec "$p-lan" tcpdump -i br0 -n -s 0 -Z root -w "$work/cap.pcap" 2>"$work/tcpdump.err" &
pids+=($!)
tcpdump_pid=$!
until grep -q 'listening on' "$work/tcpdump.err"; do
	kill -0 "$tcpdump_pid" 2>/dev/null || { cat "$work/tcpdump.err" >&2; exit 1; }
	sleep 0.1
done

# jitter MIN MAX: a random pause between MIN and MAX seconds (tenths).
jitter() { sleep "$(awk -v a="$1" -v b="$2" -v r="$RANDOM" 'BEGIN{printf "%.1f", a+(b-a)*r/32767}')"; }

# traffic HOST: ordinary traffic from one host until killed.
traffic() {
	local h=$1 n=0
	while :; do
		n=$((n + 1))
		case $h in
		vic)
			on vic ping -c1 -W1 203.0.113.10 >/dev/null || true
			((n % 3)) || echo "q$n www.example.test" | on vic socat -T1 - UDP4:192.168.50.1:53 >/dev/null || true
			((n % 5)) || echo "/page$n" | on vic socat -T2 - TCP4:203.0.113.10:80 >/dev/null || true
			jitter 0.6 1.4
			;;
		cl2)
			on cl2 ping -c1 -W1 192.168.50.1 >/dev/null || true
			((n % 4)) || echo "/news$n" | on cl2 socat -T2 - TCP4:203.0.113.10:80 >/dev/null || true
			jitter 1.5 2.5
			;;
		atk)
			# The attacker is also an ordinary host with traffic of its own.
			on atk ping -c1 -W1 192.168.50.1 >/dev/null || true
			((n % 2)) || echo "q$n mail.example.test" | on atk socat -T1 - UDP4:192.168.50.1:53 >/dev/null || true
			((n % 5)) || echo "/mail$n" | on atk socat -T2 - TCP4:203.0.113.10:80 >/dev/null || true
			jitter 3 5
			;;
		esac
	done
}
for h in vic cl2 atk; do
	traffic "$h" &
	pids+=($!)
done

echo "make_arp_poison.sh: ${NORMAL_S}s normal traffic" >&2
sleep "$NORMAL_S"
case $attack in
arpspoof)
	echo "make_arp_poison.sh: arpspoof -r for ${POISON_S}s" >&2
	ip netns exec "$p-atk" arpspoof -i eth0 -t 192.168.50.10 -r 192.168.50.1 2>"$work/attack.log" &
	attack_pid=$!
	sleep "$POISON_S"
	kill -INT "$attack_pid"
	wait "$attack_pid" || true # it re-ARPs the true addresses before it exits
	;;
ettercap)
	echo "make_arp_poison.sh: ettercap -M arp:remote for ${POISON_S}s" >&2
	# ettercap's text interface reads commands from stdin: q quits (after
	# re-ARPing the true addresses).
	mkfifo "$work/ettercap.in"
	ip netns exec "$p-atk" ettercap -T -q -i eth0 -M arp:remote /192.168.50.10// /192.168.50.1// <"$work/ettercap.in" >"$work/attack.log" 2>&1 &
	attack_pid=$!
	exec 3>"$work/ettercap.in"
	sleep "$POISON_S"
	echo q >&3
	wait "$attack_pid" || true
	exec 3>&-
	;;
esac
echo "make_arp_poison.sh: ${NORMAL_S}s normal traffic" >&2
sleep "$NORMAL_S"

for pid in "${pids[@]}"; do [ "$pid" = "$tcpdump_pid" ] || kill "$pid" 2>/dev/null || true; done
sleep 1 # let the last replies arrive
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
cp "$work/cap.pcap" "$out"
echo "make_arp_poison.sh: $(wc -c <"$out") bytes in $out; $attack said:" >&2
tail -n 5 "$work/attack.log" >&2
