#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove the DKMS package: dkms add, build and install s2s for KVER from a
# copy of this tree, check the installed module, then remove it again so the
# check is repeatable.   scripts/dkms-check.sh KVER
set -euo pipefail

kver=$1
top=$(cd "$(dirname "$0")/.." && pwd)
name=s2s
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
src=/usr/src/$name-$version

cleanup() {
	dkms remove -m "$name" -v "$version" --all >/dev/null 2>&1 || true
	rm -rf "$src"
}
trap cleanup EXIT
cleanup

mkdir -p "$src"
cp -rp "$top"/{Kbuild,dkms.conf,module,uapi} "$src"/
dkms add -m "$name" -v "$version"
dkms build -m "$name" -v "$version" -k "$kver"
dkms install -m "$name" -v "$version" -k "$kver" --force
dkms status -m "$name" -v "$version" -k "$kver" | tee /dev/stderr | grep -q installed

ko=$(find "/lib/modules/$kver/updates/dkms" -name "$name.ko*" | head -n 1)
[ -n "$ko" ] || { echo "dkms-check: no installed $name.ko for $kver"; exit 1; }
modinfo "$ko" | grep -q "^vermagic: *$kver " ||
	{ echo "dkms-check: $ko was not built for $kver"; exit 1; }
modinfo "$ko" | grep -q "^alias: *rtnl-link-s2s$" ||
	{ echo "dkms-check: $ko lacks the rtnl-link-s2s alias"; exit 1; }
echo "dkms: $name $version built and installed for $kver"
