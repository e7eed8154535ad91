#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh - assemble the test-bed initramfs from the host's binaries.
#
#   mkinitramfs.sh --kernel BUNDLE --out FILE [--module s2s.ko] [--bin PATH]...
#                  [--file HOSTPATH:GUESTPATH]...
#
# The image is two concatenated newc cpio archives (the kernel unpacks them
# in order, later files replacing earlier ones):
#
#  base     host tools + every shared library ldd says they need, strongSwan
#           (charon, swanctl, plugins, /etc/strongswan*), and the /lib/modules
#           subset the suites use, depmod'ed. It depends only on this script,
#           the kernel bundle and the host's installed packages, so it is built
#           once and cached under ${S2S_CACHE:-/var/cache/s2s}/initramfs/ by a
#           hash of those inputs.
#  overlay  what changes from run to run: s2s.ko as extra/s2s.ko with the
#           modules.dep* files regenerated to include it, --bin programs (and
#           any library the base lacks) in /usr/local/bin, and --file entries
#           (run.sh passes /init, the suites, lib.sh and the run config).
#
# Prints nothing on success; diagnostics go to stderr.

set -euo pipefail

die() { echo "mkinitramfs.sh: $*" >&2; exit 1; }

# Tools the suites may rely on: missing ones make this script fail.
REQUIRED_TOOLS="bash sh cat ls mkdir rmdir rm cp mv ln echo printf sleep head
tail wc sort uniq cut tr tee date env id stat touch chmod chown readlink
realpath dirname basename mktemp seq true false test yes od dd sync uname
nproc taskset expr kill ps mount umount mountpoint unshare nsenter setsid flock dmesg stty setpriv
ip tc ss bridge kmod modprobe insmod rmmod lsmod depmod modinfo
swanctl iperf3 tcpdump nft ping wg ethtool sysctl grep sed awk timeout find
xargs pgrep pkill sha256sum md5sum cmp"
# Nice to have: taken when the host has them, silently skipped otherwise.
OPTIONAL_TOOLS="diff jq hexdump xxd tac paste comm join fold base64 strace
hostname pidof socat nc ncat tracepath arping bpftool gzip charon-systemd
ip6tables iptables conntrack perf"
# /lib/modules subset: whole directories plus single drivers; their
# dependencies (from the bundle's modules.dep) are added automatically.
MODULE_DIRS="kernel/net kernel/crypto kernel/lib kernel/arch/x86/crypto
kernel/drivers/net/wireguard kernel/drivers/net/vxlan kernel/drivers/net/ipvlan
kernel/drivers/net/bonding kernel/drivers/net/team"
MODULE_FILES="kernel/drivers/net/veth.ko kernel/drivers/net/dummy.ko
kernel/drivers/net/ifb.ko kernel/drivers/net/macvlan.ko
kernel/drivers/net/geneve.ko kernel/drivers/net/tun.ko
kernel/drivers/net/vrf.ko kernel/drivers/net/nlmon.ko
kernel/drivers/net/macsec.ko kernel/drivers/net/netdevsim/netdevsim.ko"

bundle='' out='' module=''
bins=()
files=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) bundle=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	--bin) bins+=("$2"); shift 2 ;;
	--file) files+=("$2"); shift 2 ;;
	*) die "unknown argument '$1'" ;;
	esac
done
{ [ -n "$bundle" ] && [ -n "$out" ]; } || die "usage: $0 --kernel BUNDLE --out FILE [--module KO] [--bin PATH]... [--file HOST:GUEST]..."
[ -f "$bundle/kver" ] || die "$bundle is not a kernel bundle (no kver file)"
kver=$(cat "$bundle/kver")
mods=$bundle/modules/lib/modules/$kver
[ -f "$mods/modules.dep" ] || die "$mods/modules.dep missing"
for t in cpio depmod ldd realpath sha256sum; do
	command -v $t >/dev/null || die "host tool '$t' missing"
done

cache=${S2S_CACHE:-/var/cache/s2s}/initramfs
mkdir -p "$cache"

declare -A added

# add_path ROOT PATH [BASEROOT]: make PATH resolve inside ROOT as it does on
# the host. Every symlink met on the way (/bin -> usr/bin, /usr/bin/awk ->
# /etc/alternatives/awk -> ...) is recreated and followed; the final file or
# directory is copied. With BASEROOT, files the base image already has are
# skipped.
add_path() {
	local root=$1 p base=${3:-} prefix='' rest comp target
	p=$(realpath -ms "$2")
	[ -z "${added[$root$p]+x}" ] || return 0
	added[$root$p]=1
	rest=${p#/}
	while [ -n "$rest" ]; do
		comp=${rest%%/*}
		if [[ $rest == */* ]]; then rest=${rest#*/}; else rest=; fi
		prefix=${prefix%/}/$comp
		if [ -L "$prefix" ]; then
			target=$(readlink "$prefix")
			if [ ! -L "$root$prefix" ] && [ ! -e "$root$prefix" ]; then
				mkdir -p "$root$(dirname "$prefix")"
				ln -s "$target" "$root$prefix"
			fi
			case $target in
			/*) ;;
			*) target=$(dirname "$prefix")/$target ;;
			esac
			add_path "$root" "$target${rest:+/$rest}" "$base"
			return
		fi
	done
	[ -e "$p" ] || die "$p does not exist"
	if [ -d "$p" ]; then
		mkdir -p "$root$p"
	elif [ -z "$base" ] || [ ! -e "$base$p" ]; then
		mkdir -p "$root$(dirname "$p")"
		cp -p "$p" "$root$p"
	fi
}

# add_elf ROOT FILE [BASEROOT]: FILE plus the libraries it is linked against.
add_elf() {
	local root=$1 f=$2 base=${3:-} lib
	add_path "$root" "$f" "$base"
	# ldd fails on scripts: nothing to add then.
	while read -r lib; do
		add_path "$root" "$lib" "$base"
	done < <(ldd "$f" 2>/dev/null | grep -o '/[^ ]*' || true)
}

add_tree() {
	local root=$1 d=$2 f
	[ -e "$d" ] || return 0
	while IFS= read -r -d '' f; do
		if [ -f "$f" ] && [[ $f == *.so* || -x $f ]]; then
			add_elf "$root" "$f"
		else
			add_path "$root" "$f"
		fi
	done < <(find "$d" \( -type f -o -type l \) -print0)
}

mkcpio() {
	(cd "$1" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --owner=0:0 --quiet)
}

build_base() {
	local root=$1 t p libdir d f

	# Same top-level layout as the host (merged /usr or not).
	for d in bin sbin lib lib32 lib64 libx32; do
		if [ -L "/$d" ]; then
			ln -s "$(readlink "/$d")" "$root/$d"
		fi
	done
	mkdir -p "$root"/{dev,proc,sys,tmp,run,root,etc,usr/local/bin,var/tmp,mnt}
	ln -s ../run "$root/var/run"

	for t in $REQUIRED_TOOLS; do
		p=$(type -P "$t") || die "required host tool '$t' is not installed"
		add_elf "$root" "$p"
	done
	for t in $OPTIONAL_TOOLS; do
		if p=$(type -P "$t"); then
			add_elf "$root" "$p"
		fi
	done

	# glibc dlopen()s libgcc_s for pthread_cancel() and unwinding, which
	# charon's thread pool relies on; ldd cannot see that.
	libdir=$(dirname "$(ldd "$(type -P bash)" | grep -o '/[^ ]*/libc\.so\.6')")
	add_path "$root" "$libdir/libgcc_s.so.1"

	# strongSwan: daemons, libraries, plugins, helper scripts, config.
	add_tree "$root" /usr/lib/ipsec
	add_tree "$root" /etc/strongswan.d
	add_path "$root" /etc/strongswan.conf
	add_tree "$root" /etc/swanctl
	add_tree "$root" /etc/iproute2
	add_tree "$root" "$libdir/tc"
	for f in /etc/protocols /etc/services /etc/ethertypes; do
		if [ -e "$f" ]; then
			add_path "$root" "$f"
		fi
	done

	cat >"$root/etc/passwd" <<-'EOF'
	root:x:0:0:root:/root:/bin/bash
	tcpdump:x:104:109::/nonexistent:/usr/sbin/nologin
	nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
	EOF
	cat >"$root/etc/group" <<-'EOF'
	root:x:0:
	tcpdump:x:109:
	nogroup:x:65534:
	EOF
	printf 'passwd: files\ngroup: files\nhosts: files\n' >"$root/etc/nsswitch.conf"
	printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
	echo s2s-guest >"$root/etc/hostname"
	: >"$root/etc/fstab"

	# Module subset with the closure of its dependencies.
	local list=$root/.modlist
	{
		for d in $MODULE_DIRS; do
			if [ -d "$mods/$d" ]; then
				(cd "$mods" && find "$d" -name '*.ko*')
			fi
		done
		# Newer Debian kernels ship modules compressed (.ko.xz).
		for f in $MODULE_FILES; do
			for c in "$f" "$f.xz" "$f.zst" "$f.gz"; do
				if [ -e "$mods/$c" ]; then
					echo "$c"
				fi
			done
		done
	} | sort -u >"$list"
	local n=0
	while [ "$n" != "$(wc -l <"$list")" ]; do
		n=$(wc -l <"$list")
		awk -F': *' 'NR == FNR { want[$1] = 1; next }
			($1 in want) { print $1; m = split($2, d, " ");
				for (i = 1; i <= m; i++) print d[i] }' \
			"$list" "$mods/modules.dep" | sort -u >"$list.new"
		sort -u "$list" "$list.new" >"$list.all"
		mv "$list.all" "$list"
		rm -f "$list.new"
	done
	local dst=$root/lib/modules/$kver
	mkdir -p "$dst"
	local idx=(modules.order modules.builtin)
	[ ! -f "$mods/modules.builtin.modinfo" ] || idx+=(modules.builtin.modinfo)
	(cd "$mods" && tar cf - -T "$list" "${idx[@]}") | (cd "$dst" && tar xf -)
	rm -f "$list"
	depmod -b "$root" "$kver"
}

# The base image's identity: this script, the kernel bundle, the installed
# packages (dpkg status changes whenever one is added/removed/upgraded).
base_key() {
	{
		sha256sum "$0"
		echo "$kver"
		cat "$bundle/deb-version" 2>/dev/null || true
		stat -c '%n %s %Y' "$bundle/vmlinuz" "$mods/modules.dep"
		stat -c '%n %s %Y' /var/lib/dpkg/status
		for t in $REQUIRED_TOOLS $OPTIONAL_TOOLS; do
			type -P "$t" || true
		done
	} | sha256sum | cut -c1-16
}

key=$(base_key)
based=$cache/$kver/$key
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$based/.complete" ]; then
	echo "mkinitramfs.sh: building base image $based (cached for later runs)" >&2
	rm -rf "$based"
	mkdir -p "$based/root"
	build_base "$based/root"
	mkcpio "$based/root" >"$based/base.cpio"
	touch "$based/.complete"
	# Keep the three most recently used base images of this kernel.
	# shellcheck disable=SC2012 # our own directory names, sorted by mtime
	ls -1dt "$cache/$kver"/*/ | tail -n +4 | xargs -r rm -rf
fi
touch "$based"
flock -u 9

ovl=$(mktemp -d "${TMPDIR:-/tmp}/s2s-ovl.XXXXXX")
trap 'rm -rf "$ovl"' EXIT
for d in bin sbin lib lib32 lib64 libx32; do
	if [ -L "$based/root/$d" ]; then
		cp -P "$based/root/$d" "$ovl/$d"
		# Its target too, or mkdir -p through the link fails.
		mkdir -p "$ovl/$(readlink "$ovl/$d")"
	fi
done

if [ -n "$module" ]; then
	[ -f "$module" ] || die "module $module not found"
	modinfo -F vermagic "$module" | grep -q "^$kver " ||
		echo "mkinitramfs.sh: warning: $module vermagic '$(modinfo -F vermagic "$module")' is not for $kver" >&2
	# depmod must see the whole tree to resolve s2s.ko's symbols: give it
	# a symlink farm of the base modules plus the new one, then ship only
	# the regenerated index files and the module itself.
	farm=$ovl/.farm
	mkdir -p "$farm/lib/modules"
	cp -rs "$based/root/lib/modules/$kver" "$farm/lib/modules/$kver"
	rm -f "$farm/lib/modules/$kver"/modules.*
	cp "$based/root/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} \
		"$farm/lib/modules/$kver/"
	mkdir -p "$farm/lib/modules/$kver/extra"
	cp "$module" "$farm/lib/modules/$kver/extra/s2s.ko"
	depmod -b "$farm" "$kver"
	dst=$ovl/lib/modules/$kver
	mkdir -p "$dst/extra"
	cp "$module" "$dst/extra/s2s.ko"
	cp "$farm/lib/modules/$kver"/modules.* "$dst/"
	rm -rf "$farm"
fi

for b in "${bins[@]}"; do
	[ -f "$b" ] || die "--bin $b not found"
	mkdir -p "$ovl/usr/local/bin"
	cp -p "$b" "$ovl/usr/local/bin/"
	while read -r lib; do
		add_path "$ovl" "$lib" "$based/root"
	done < <(ldd "$b" 2>/dev/null | grep -o '/[^ ]*' || true)
done

for spec in "${files[@]}"; do
	src=${spec%%:*}
	dst=${spec#*:}
	[ -e "$src" ] || die "--file $src not found"
	mkdir -p "$ovl$(dirname "$dst")"
	cp -pL "$src" "$ovl$dst"
done

{
	cat "$based/base.cpio"
	mkcpio "$ovl"
} >"$out"
