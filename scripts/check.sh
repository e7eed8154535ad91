#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything `make check` runs, in order, with one tally at the end:
#   builds (module with W=1 and no warnings, helpers with -Werror), spec/uapi
#   drift, userspace unit tests, DKMS, a compile of the module against the
#   other supported kernel series, and the QEMU suites.
# The last line is "N passed, N failed, N skipped"; exit status 1 on failure.
#
#   scripts/check.sh --kernel debian|debug --kver KVER [--tests "a.sh b.sh"]
set -uo pipefail

# `make check TESTS=...` hands its command-line variables down through
# MAKEFLAGS; helper/Makefile has a TESTS of its own (the unit-test
# programs) that they would override. Every make below gets what it needs
# explicitly.
unset MAKEFLAGS MFLAGS MAKELEVEL

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

kernel=debian
kver=
tests=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--tests) tests=$2; shift 2 ;;
	*) echo "check.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

passed=0
failed=0
skipped=0
log_dir=$(mktemp -d /tmp/s2s-check.XXXXXX)

# step NAME CMD... : run one check; its output goes to the console and to a
# log. A step whose output ends with an "N passed, N failed, N skipped" line
# contributes those counts; any other step counts as one test.
step() {
	local name=$1 log="$log_dir/${1// /_}.log" rc line
	shift
	echo "# --- $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1)
	[ -n "$line" ] || line=$(cmocka_summary "$log")
	if [ -n "$line" ]; then
		local p f s
		read -r p _ f _ s _ <<<"${line//,/}"
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + ${s:-0}))
		# A non-zero exit with no failing test is still a failure.
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			failed=$((failed + 1))
		fi
	elif [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
	elif [ "$rc" -eq 4 ]; then
		skipped=$((skipped + 1))
	else
		failed=$((failed + 1))
	fi
	if [ "$rc" -eq 0 ]; then
		echo "# ok: $name"
	else
		echo "# FAILED: $name (exit $rc, log $log)"
	fi
	return "$rc"
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)"
# per program, the helper's CLI checks "# cli: N passed, N failed, N skipped":
# one summary line for them all, or nothing when there are none.
cmocka_summary() {
	awk '/^\[  PASSED  \] [0-9]+ test/ { p += $4 }
	     /^\[  FAILED  \] [0-9]+ test/ { f += $4 }
	     /^# cli: [0-9]+ passed/ { p += $3; f += $5; s += $7 }
	     END { if (p + f + s) printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$1"
}

# Build s2s.ko for KDIR in a private copy of the sources, so that lanes for
# different kernels never mix objects. W=1 with -Werror: zero warnings.
build_module() {
	local kdir=$1 out=$2
	mkdir -p "$out"
	cp -rp Kbuild dkms.conf module uapi "$out"/
	make -C "$kdir" M="$out" W=1 KCFLAGS=-Werror modules >"$out/build.log" 2>&1
	local rc=$?
	cat "$out/build.log"
	if grep -qiE '(^|[^_])warning' "$out/build.log"; then
		echo "module build printed warnings"
		return 1
	fi
	return $rc
}

# The last module before link-set took ike-until-close: guest-skew.sh runs
# today's s2sd against it, as after a package upgrade that did not reload
# the module. Built from the git history; a tree without it skips that
# suite.
PREV_MODULE_COMMIT=600fcbe
build_prev_module() {
	local kdir=$1 out=$2
	rm -rf "$out" && mkdir -p "$out" || return 1
	git archive "$PREV_MODULE_COMMIT" Kbuild dkms.conf module uapi |
		tar -x -C "$out" || return 1
	make -C "$kdir" M="$out" modules >"$out/build.log" 2>&1
	local rc=$?
	tail -n 3 "$out/build.log"
	return $rc
}

spec_drift() {
	local gen
	gen=$(mktemp -d)
	scripts/ynl-gen.py Documentation/netlink/specs/s2s.yaml "$gen" || return 1
	diff -u uapi/linux/s2s.h "$gen/uapi/linux/s2s.h" &&
		diff -u module/netlink-gen.h "$gen/module/netlink-gen.h" &&
		diff -u module/netlink-gen.c "$gen/module/netlink-gen.c" &&
		diff -u Documentation/netlink/s2s.rst "$gen/Documentation/netlink/s2s.rst"
	local rc=$?
	rm -rf "$gen"
	[ $rc -eq 0 ] && echo "uapi header, kernel policies and API reference match the spec"
	return $rc
}

# The newest Debian 6.12 cloud kernel (bookworm-backports), for the compile
# check of the second supported series.
other_series_kver() {
	scripts/deps.sh 6.12-cloud-amd64 >&2 || return 1
	dpkg-query -W -f='${Depends}' linux-headers-6.12-cloud-amd64 |
		sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p'
}

step "helper build" make -C helper
step "test tools build" make -C selftests/tools

if [ "$kernel" = debug ]; then
	bundle=$(selftests/qemu/debug-kernel.sh) || bundle=
	if [ -z "$bundle" ]; then
		step "debug kernel build" false
	else
		kdir=$bundle/build
		kver=$(cat "$bundle/kver")
	fi
else
	bundle=$(selftests/qemu/debian-kernel.sh "$kver") || bundle=
	[ -n "$bundle" ] || step "fetch kernel image $kver" false
	kdir=/lib/modules/$kver/build
fi

ko=
prev=()
if [ -n "$bundle" ]; then
	out=$top/build/$kver
	step "module build ($kver, W=1)" build_module "$kdir" "$out" && ko=$out/s2s.ko
	if [ "$kernel" = debian ] &&
		git cat-file -e "$PREV_MODULE_COMMIT^{commit}" 2>/dev/null &&
		step "previous module build ($PREV_MODULE_COMMIT, $kver)" \
			build_prev_module "$kdir" "$top/build/$kver-prev"; then
		prev=(--file "$top/build/$kver-prev/s2s.ko:/s2s/prev/s2s.ko")
	fi
fi

step "spec drift" spec_drift
step "unit tests" make -s -C helper check

if [ "$kernel" = debian ] && [ -z "$tests" ]; then
	step "dkms ($kver)" scripts/dkms-check.sh "$kver"
	if other=$(other_series_kver) && [ -n "$other" ] && [ "$other" != "$kver" ]; then
		step "module build ($other, W=1)" build_module \
			"/lib/modules/$other/build" "$top/build/$other"
	fi
fi

if [ -n "$ko" ]; then
	# Every suite on Debian's kernel. The debug kernel (KASAN, lockdep,
	# kmemleak: 3-10x slower under TCG) runs the suites that drive the
	# module's own code: the data path, links, the known answers, and the
	# netlink traffic of s2sctl and s2sd. The IKE suites add charon on top
	# of the same module paths, and would take CI past its time budget.
	if [ "$kernel" = debug ]; then
		all=$(ls selftests/esp_*.sh selftests/link.sh \
			helper/tests/guest-sa.sh helper/tests/guest-s2sd.sh)
	else
		all=$(ls selftests/*.sh helper/tests/guest-*.sh |
			grep -v -e '/lib.sh$' -e '/demo.sh$')
	fi
	# shellcheck disable=SC2086 # TESTS is a list of paths
	suites=${tests:-$all}
	# The guest keeps time with the TSC, as make bench's does: on the
	# emulated HPET every clock read (one per packet entering a
	# namespace, every timer) is an emulated device access
	# (benchmarks.rst, "What is compared").
	step "QEMU suites ($kver)" selftests/qemu/run.sh --kernel "$bundle" \
		--append tsc=reliable \
		--module "$ko" --bin helper/s2sctl --bin helper/s2sd \
		--bin selftests/tools/encap-listen "${prev[@]}" \
		$([ "$kernel" = debug ] && echo --debug --timeout 4200 --suite-timeout 1800) \
		$suites
fi

# One very short round of `make bench`: proves the benchmark harness still
# works (every configuration set up, every metric produced a value); no
# timing is judged.
if [ -n "$ko" ] && [ "$kernel" = debian ] && [ -z "$tests" ]; then
	step "bench harness, one short round ($kver)" scripts/bench.sh --check \
		--kernel "$bundle" --module "$ko"
fi

echo "# logs: $log_dir"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
