#!/usr/bin/env bash
# Installs the Debian packages EtherLearn needs, or says exactly what is
# missing. Usage: scripts/deps.sh build|test|bench
#   build: the C toolchain and X11/GL/Wayland headers Fyne's cgo build needs
#   bench: build's, plus scikit-learn (Debian's python3-sklearn, 1.2 on
#          bookworm) for make bench's per-frame scikit-learn comparison
#   test:  build's, plus the real tools the tests drive (Xvfb, xdotool,
#          imagemagick, tcpdump, tshark/dumpcap, socat, pcap samples,
#          desktop-file-validate and make/xz for the package test)
set -euo pipefail

build_pkgs=(gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev libegl-dev)
bench_pkgs=(python3-sklearn)
test_pkgs=(xvfb xdotool imagemagick tcpdump tshark socat python3-dpkt pcapfix desktop-file-utils make xz-utils)

case "${1:-}" in
build) want=("${build_pkgs[@]}") ;;
test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
bench) want=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
*)
	echo "usage: $0 build|test|bench" >&2
	exit 2
	;;
esac

# Go first: it is not a Debian package at the version we need.
if ! command -v go >/dev/null 2>&1; then
	echo "missing: Go 1.26 or newer (put its bin directory on PATH, e.g. /usr/local/go/bin)" >&2
	exit 1
fi
gover=$(go env GOVERSION | sed 's/^go//')
major=${gover%%.*}
rest=${gover#*.}
minor=${rest%%.*}
if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 26 ]; }; then
	echo "missing: Go 1.26 or newer (found go$gover)" >&2
	exit 1
fi

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "missing Debian packages (install them with your package manager): ${missing[*]}" >&2
	exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=(sudo)
	else
		echo "missing Debian packages, and not root and no sudo to install them:" >&2
		echo "  apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
