#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-kernel.sh KVER - fetch a Debian kernel image package and unpack it
# into a "kernel bundle" directory for selftests/qemu/run.sh; print its path.
#
# Bundle layout (see selftests/qemu/README):
#   vmlinuz                          bootable bzImage
#   kver                             one line: uname -r of that kernel
#   config, System.map               from the package's /boot
#   modules/lib/modules/KVER/...     module tree, depmod'ed
#
# The package comes from the machine's own apt configuration
# (apt-get download), so no mirror is named here. Results are cached in
# ${S2S_CACHE:-/var/cache/s2s}/kernels/KVER; a second call only prints the path.
# Everything except the bundle path goes to stderr.

set -euo pipefail

die() { echo "debian-kernel.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 KVER   (e.g. 6.1.0-56-cloud-amd64)"
kver=$1
case $kver in
*/* | "" | .*) die "bad kernel version '$kver'" ;;
esac

cache=${S2S_CACHE:-/var/cache/s2s}
bundle=$cache/kernels/$kver

if [ -f "$bundle/.complete" ]; then
	echo "$bundle"
	exit 0
fi

mkdir -p "$cache/kernels"
# Two concurrent callers must not unpack into the same place.
exec 9>"$cache/kernels/.$kver.lock"
flock 9
if [ -f "$bundle/.complete" ]; then
	echo "$bundle"
	exit 0
fi

pkg=linux-image-$kver
work=$(mktemp -d "$cache/kernels/.$kver.XXXXXX")
trap 'rm -rf "$work"' EXIT
# apt drops privileges to _apt for downloads; a directory it cannot write to
# makes it fall back to root with a noisy warning. Let _apt write here.
chmod 0755 "$work"
mkdir "$work/deb"
if id _apt >/dev/null 2>&1; then
	chown _apt "$work/deb" 2>/dev/null || true
fi

download() {
	(cd "$work/deb" && apt-get download -q "$pkg") >&2
}
if ! download; then
	echo "debian-kernel.sh: '$pkg' not found, running apt-get update" >&2
	apt-get update -q >&2 || true
	download || die "cannot download $pkg (is it in the configured apt suites?)"
fi

deb=$(ls "$work"/deb/"${pkg}"_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || die "apt-get download produced no .deb for $pkg"
mkdir "$work/x"
dpkg-deb -x "$deb" "$work/x"

out=$work/bundle
mkdir -p "$out/modules/lib/modules"
vml=$work/x/boot/vmlinuz-$kver
[ -f "$vml" ] || die "$deb has no /boot/vmlinuz-$kver"
cp "$vml" "$out/vmlinuz"
for f in config System.map; do
	if [ -f "$work/x/boot/$f-$kver" ]; then
		cp "$work/x/boot/$f-$kver" "$out/$f"
	fi
done

# Module tree: /lib/modules before the /usr merge, /usr/lib/modules after.
mods=
for d in "$work/x/lib/modules/$kver" "$work/x/usr/lib/modules/$kver"; do
	if [ -d "$d" ]; then
		mods=$d
		break
	fi
done
[ -n "$mods" ] || die "$deb has no modules for $kver"
mv "$mods" "$out/modules/lib/modules/$kver"
# The package leaves modules.dep to its postinst; generate it here.
depmod -b "$out/modules" "$kver"

echo "$kver" >"$out/kver"
dpkg-deb -f "$deb" Version >"$out/deb-version"
touch "$out/.complete"

rm -rf "$bundle"
mv "$out" "$bundle"
echo "debian-kernel.sh: $pkg $(cat "$bundle/deb-version") unpacked in $bundle" >&2
echo "$bundle"
