#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages s2s needs to build, test and demo. Idempotent
# and quick when everything is present: apt runs only for what is missing.
#   scripts/deps.sh [KVER]   KVER: kernel whose headers to install
set -euo pipefail

kver=${1:-}

pkgs=(
	# build
	make gcc libc6-dev pkg-config libmnl-dev libjson-c-dev libcmocka-dev
	python3 python3-yaml dkms kmod
	# QEMU test bed: the guest runs the host's own binaries
	qemu-system-x86 cpio iproute2 iputils-ping procps tcpdump nftables
	iperf3 ethtool wireguard-tools
	strongswan-charon strongswan-swanctl charon-systemd
	libstrongswan-standard-plugins libstrongswan-extra-plugins
	# debug kernel lane
	linux-source bc bison flex libelf-dev libssl-dev xz-utils
)

# Kernel headers: Debian 12's own 6.1 by default; a 6.12 (or any other)
# version, or the series metapackage "6.12-cloud-amd64", comes from
# bookworm-backports.
case "$kver" in
'')	kpkgs=(linux-headers-cloud-amd64) ;;
*)	kpkgs=("linux-headers-$kver") ;;
esac

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || echo "$p"
	done
}

install() {
	echo "deps: installing $*" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "$@" >/dev/null
}

mapfile -t need < <(missing "${pkgs[@]}")
mapfile -t kneed < <(missing "${kpkgs[@]}")
[ ${#need[@]} -eq 0 ] && [ ${#kneed[@]} -eq 0 ] && exit 0

apt-get update -qq
[ ${#need[@]} -eq 0 ] || install "${need[@]}"
if [ ${#kneed[@]} -ne 0 ]; then
	case "$kver" in
	6.1.*|'') install "${kneed[@]}" ;;
	*)	"$(dirname "$0")/apt-backports.sh"
		install -t bookworm-backports "${kneed[@]}" ;;
	esac
fi
