#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh [SERIES] - build (once) the s2s debug kernel and print the
# path of its kernel bundle on the last line of stdout.
#
# The kernel is Debian's linux-source-SERIES (default: the series of the
# linux-headers-cloud-amd64 kernel, i.e. Debian 12's 6.1) configured as
#
#   make x86_64_defconfig && make kvm_guest.config
#   merge_config.sh -m .config selftests/qemu/debug.config selftests/config
#   make olddefconfig
#
# debug.config adds KASAN, lockdep, UBSAN, list/object/refcount debugging,
# kmemleak (dormant unless booted with kmemleak=on, as run.sh --debug does)
# and trims what a serial-console QEMU guest does not need; selftests/config
# lists what the suites need. Every option either fragment sets must be in
# the final .config as written, or the build stops before compiling.
#
# Bundle (see selftests/qemu/README), in
# ${S2S_CACHE:-/var/cache/s2s}/kernels/debug-<source version>-<fragments hash>/:
#   vmlinuz                        arch/x86/boot/bzImage
#   kver                           make -s kernelrelease (…-s2s-debug)
#   config, System.map, build.log
#   modules/lib/modules/<kver>/    make modules_install, depmod'ed
#   build/                         the configured, built tree: KDIR for
#                                  make -C build M=/path/to/s2s modules
#
# Built in a temporary directory next to the bundle and renamed into place
# when complete, so an interrupted build never looks like a cached one; a
# second call only prints the path. Progress goes to stderr, the full build
# output to build.log (S2S_VERBOSE=1: to stderr too).

set -euo pipefail

# Bump when the build procedure or the bundle layout changes: part of the
# cache key, with the source version and the config fragments.
FORMAT=1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
selftests=$(dirname "$here")
fragments=("$here/debug.config" "$selftests/config")

t0=$(date +%s)
say() { echo "debug-kernel.sh: [$(($(date +%s) - t0))s] $*" >&2; }
die() { echo "debug-kernel.sh: error: $*" >&2; exit 1; }

case ${1:-} in
-h | --help) sed -n '3,32p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
esac
[ $# -le 1 ] || die "usage: $0 [SERIES]   (e.g. 6.1)"

# The kernel series of Debian's default cloud headers (what `make` builds
# against), unless given.
series=${1:-${S2S_DEBUG_SERIES:-}}
if [ -z "$series" ]; then
	dep=$(dpkg-query -W -f='${Depends}' linux-headers-cloud-amd64 2>/dev/null || true)
	series=$(sed -n 's/^linux-headers-\([0-9]\+\.[0-9]\+\)[.-].*/\1/p' <<<"$dep")
	series=${series:-6.1}
fi
[[ $series =~ ^[0-9]+\.[0-9]+$ ]] || die "bad kernel series '$series'"

for f in "${fragments[@]}"; do
	[ -f "$f" ] || die "config fragment $f missing"
done

# ------------------------------------------------------------ source ----
pkg=linux-source-$series
tarball=/usr/src/linux-source-$series.tar.xz
installed() {
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' &&
		[ -f "$tarball" ]
}
if ! installed; then
	say "installing $pkg"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -q --no-install-recommends "$pkg" >&2; then
		apt-get update -q >&2 || true
		apt-get install -y -q --no-install-recommends "$pkg" >&2 ||
			die "cannot install $pkg (is its suite in the apt sources?)"
	fi
	installed || die "$pkg installed but $tarball is missing"
fi
srcver=$(dpkg-query -W -f='${Version}' "$pkg")

key=$({
	echo "format $FORMAT"
	echo "source $pkg $srcver"
	for f in "${fragments[@]}"; do
		echo "fragment $(basename "$f")"
		cat "$f"
	done
} | sha256sum | cut -c1-12)

cache=${S2S_CACHE:-/var/cache/s2s}/kernels
name=debug-$srcver-$key
bundle=$cache/$name

if [ -f "$bundle/.complete" ]; then
	echo "$bundle"
	exit 0
fi

# ------------------------------------------------------------- build ----
mkdir -p "$cache"
exec 9>"$cache/.$name.lock"
flock 9
if [ -f "$bundle/.complete" ]; then
	echo "$bundle"
	exit 0
fi
# Holding the lock, any staging directory for this name is a dead build's.
rm -rf "$cache/.$name".tmp.* "$bundle"

work=$(mktemp -d "$cache/.$name.tmp.XXXXXX")
chmod 0755 "$work"
log=$work/build.log
failed_log=$cache/$name.failed.log
done_ok=0
cleanup() {
	if [ "$done_ok" != 1 ]; then
		if [ -f "$log" ]; then
			cp "$log" "$failed_log" 2>/dev/null || true
			echo "debug-kernel.sh: build failed; last lines of $failed_log:" >&2
			tail -n 30 "$log" | sed 's/^/    /' >&2
		fi
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run CMD...: append CMD's output to the log (and stderr if S2S_VERBOSE).
run() {
	echo "+ $*" >>"$log"
	if [ -n "${S2S_VERBOSE:-}" ]; then
		"$@" 2>&1 | tee -a "$log" >&2
		return "${PIPESTATUS[0]}"
	fi
	"$@" >>"$log" 2>&1
}

jobs=$(nproc)
say "building $name with $jobs jobs in $work (log: $log)"
say "unpacking $tarball"
mkdir "$work/src"
tar -xf "$tarball" -C "$work/src"
top=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d | head -n1)
[ -f "$top/Makefile" ] || die "$tarball has no kernel tree"
mv "$top" "$work/build"
rmdir "$work/src"
tree=$work/build
mk() { run make -C "$tree" "$@"; }

say "configuring"
mk x86_64_defconfig
mk kvm_guest.config
run env -C "$tree" scripts/kconfig/merge_config.sh -m .config "${fragments[@]}"
mk olddefconfig

# Every option a fragment sets must have survived olddefconfig: a silently
# dropped dependency would otherwise show up as a skipped or broken test.
# "=m" is satisfied by "=y". Trims ("is not set") only warn.
check_config() {
	awk '
	function val(line) { return substr(line, index(line, "=") + 1) }
	function key(line) { return substr(line, 1, index(line, "=") - 1) }
	FNR == NR {
		if ($0 ~ /^CONFIG_[A-Za-z0-9_]+=/)
			have[key($0)] = val($0)
		next
	}
	{ sub(/[ \t]+$/, "") }
	/^CONFIG_[A-Za-z0-9_]+=/ {
		k = key($0); want = val($0)
		got = (k in have) ? have[k] : "not set"
		if (got != want && !(want == "m" && got == "y")) {
			n = split(FILENAME, p, "/")
			printf "debug-kernel.sh:   %s: want %s, final .config has %s (from %s)\n",
				k, want, got, p[n] > "/dev/stderr"
			bad++
		}
		next
	}
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ {
		if ($2 in have)
			printf "debug-kernel.sh:   note: %s=%s although %s trims it\n",
				$2, have[$2], FILENAME > "/dev/stderr"
	}
	END { exit bad > 0 }
	' "$tree/.config" "$@"
}
if ! check_config "${fragments[@]}"; then
	cp "$tree/.config" "$cache/$name.failed.config"
	die "required kernel options missing (see above; the final config is $cache/$name.failed.config)"
fi

say "compiling (this takes a while)"
t_build=$(date +%s)
mk -j"$jobs" all
# Only meaningful once the build has written include/config/auto.conf.
kver=$(make -s -C "$tree" kernelrelease)
say "compiled $kver in $(($(date +%s) - t_build)) s"

say "installing modules"
mk INSTALL_MOD_PATH="$work/modules" DEPMOD=/sbin/depmod modules_install
moddir=$work/modules/lib/modules/$kver
[ -f "$moddir/modules.dep" ] || depmod -b "$work/modules" "$kver"
[ -f "$moddir/modules.dep" ] || die "modules_install produced no modules.dep"
# Point build/source at the bundle's tree, relatively, so they survive the
# rename below.
rm -f "$moddir/build" "$moddir/source"
ln -s ../../../../build "$moddir/build"
ln -s ../../../../build "$moddir/source"

cp "$tree/arch/x86/boot/bzImage" "$work/vmlinuz"
cp "$tree/.config" "$work/config"
cp "$tree/System.map" "$work/System.map"
echo "$kver" >"$work/kver"
echo "$pkg $srcver" >"$work/source-version"

# The tree only has to build external modules now: drop the objects and
# their dependency records (gigabytes with KASAN). vmlinux stays, for
# scripts/faddr2line and friends.
say "pruning object files from the build tree"
find "$tree" \( -name '*.o' -o -name '*.a' -o -name '*.ko' -o -name '.*.o.cmd' \
	-o -name '.*.ko.cmd' -o -name '*.mod.c' -o -name '.tmp_*' \) \
	-type f -delete
rm -f "$tree/vmlinux.o" "$tree/arch/x86/boot/compressed/vmlinux.bin"*

# Prove the tree works as KDIR before publishing it.
say "test-building an external module against the tree"
hello=$work/hello
mkdir "$hello"
cat >"$hello/hello.c" <<-'EOF'
	// SPDX-License-Identifier: GPL-2.0
	#include <linux/module.h>
	static int __init hello_init(void) { return 0; }
	static void __exit hello_exit(void) { }
	module_init(hello_init);
	module_exit(hello_exit);
	MODULE_LICENSE("GPL");
EOF
echo 'obj-m := hello.o' >"$hello/Kbuild"
run make -C "$tree" M="$hello" modules
vm=$(/sbin/modinfo -F vermagic "$hello/hello.ko")
[[ $vm == "$kver "* ]] || die "test module has vermagic '$vm', expected $kver"
rm -rf "$hello"

touch "$work/.complete"
mv -T "$work" "$bundle"
done_ok=1
rm -f "$failed_log" "$cache/$name.failed.config"

# Keep the three newest debug kernels.
find "$cache" -mindepth 1 -maxdepth 1 -type d -name 'debug-*' -printf '%T@ %p\n' |
	sort -rn | tail -n +4 | cut -d' ' -f2- |
	while read -r old; do
		say "removing old debug kernel $old"
		rm -rf "$old"
	done

say "done: $kver, bundle $bundle ($(du -sh "$bundle" | cut -f1))"
echo "$bundle"
