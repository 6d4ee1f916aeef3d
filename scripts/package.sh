#!/usr/bin/env bash
# Assembles EtherLearn's desktop package from an already-built binary:
# the binary, the .desktop entry, the icons at every size and a Makefile
# that installs them for the current user (no root). Nothing tracked is
# edited; the version comes from FyneApp.toml (embedded in the binary too).
#
# usage: scripts/package.sh BINARY stage DIR     lay the package out in DIR
#        scripts/package.sh BINARY tar FILE      write FILE (.tar.xz)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:?usage: $0 BINARY stage DIR | tar FILE}
mode=${2:?usage: $0 BINARY stage DIR | tar FILE}
out=${3:?usage: $0 BINARY stage DIR | tar FILE}
id=$(sed -n 's/^ID *= *"\(.*\)"/\1/p' "$here/FyneApp.toml")
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$here/FyneApp.toml")
[ -n "$id" ] && [ -n "$version" ] || { echo "FyneApp.toml has no ID or Version" >&2; exit 1; }
[ -x "$bin" ] || { echo "$bin: not an executable (run make build first)" >&2; exit 1; }

stage() {
	local dir=$1
	mkdir -p "$dir/bin" "$dir/share/applications"
	install -m 755 "$bin" "$dir/bin/etherlearn"
	install -m 644 "$here/assets/$id.desktop" "$dir/share/applications/$id.desktop"
	for png in "$here"/assets/icons/*x*.png; do
		size=$(basename "$png" .png)
		install -D -m 644 "$png" "$dir/share/icons/hicolor/$size/apps/$id.png"
	done
	install -m 644 "$here/scripts/package.mk" "$dir/Makefile"
	printf 'EtherLearn %s\n\nInstall for yourself (no root): make install\nRemove again:                  make uninstall\nSystem-wide:                   sudo make install PREFIX=/usr/local\n' \
		"$version" >"$dir/README"
}

case "$mode" in
stage)
	rm -rf "$out"
	stage "$out"
	;;
tar)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	name=$(basename "$out" .tar.xz)
	stage "$tmp/$name"
	# xz -0: about 5 CPU-seconds for the 38 MB binary and only 3% larger
	# than -3 (which takes four times as long).
	tar -C "$tmp" --owner=0 --group=0 -cf - "$name" | xz -0 -T0 >"$out.part"
	mv "$out.part" "$out"
	;;
*)
	echo "usage: $0 BINARY stage DIR | tar FILE" >&2
	exit 2
	;;
esac
