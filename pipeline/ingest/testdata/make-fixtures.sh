#!/bin/sh
# Regenerates the capture fixtures in this directory from loopback traffic.
# Needs root, tcpdump, dumpcap, editcap (Debian: tcpdump, tshark) and
# python3. Only 127.0.0.1 is used. The tests check every fixture against
# pcapgo and, where installed, tshark, so a regenerated fixture still passes.
set -eu
cd "$(dirname "$0")"
port=47999
send() { # send $1 UDP datagrams of growing size to 127.0.0.1:$port
	python3 - "$1" "$port" <<'PY'
import socket, sys, time
n, port = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    s.sendto(bytes([i % 256]) * (10 + 9 * i), ("127.0.0.1", port))
    time.sleep(0.01)
PY
}
capture() { # capture with "$@" while sending 12 datagrams
	"$@" &
	pid=$!
	sleep 2
	send 12
	sleep 1
	kill -INT "$pid"
	wait "$pid" || true
}
capture tcpdump -i lo -U -w lo-udp.pcap "udp port $port"
capture dumpcap -q -i lo -w lo-udp.pcapng -f "udp port $port"
editcap -F nsecpcap lo-udp.pcap lo-udp-nsec.pcap
editcap -a "1:label=0 scenario=fixture" -a "2:label=1 scenario=fixture" \
	-a "3:a comment without a label" -a "5:label=2" lo-udp.pcapng labelled.pcapng
gzip -9 -n -c lo-udp.pcap > lo-udp.pcap.gz
{ printf 'Sniffer v0.1 ready\r\nchannel=6\n'; cat lo-udp.pcap; } > banner.pcap
