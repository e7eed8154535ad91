#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - `make bench`: build, run selftests/bench/bench.sh in the QEMU
# test bed, and turn what it measured into bench/results/<date>/
# (results.json, results.md, chart.svg). See Documentation/benchmarks.rst.
#
#   scripts/bench.sh --kernel BUNDLE --module KO [--out DIR] [--check]
#
# Parameters come from the environment (defaults in the guest script):
#   BENCH_ROUNDS BENCH_WARMUP BENCH_SECONDS BENCH_CONFIGS BENCH_REKEY
#   BENCH_REKEY_RATE BENCH_SCALE_LINKS BENCH_METRICS BENCH_SEED
#   BENCH_PROFILE BENCH_PROFILE_METRICS BENCH_CALLERS BENCH_TRACE
#   BENCH_TRACE_METRICS BENCH_RPS BENCH_SMP
#   (default 2) BENCH_CPU (QEMU's -cpu for the guest, default run.sh's:
#   max under TCG; e.g. max,-avx2 to see what the guest's choice of SIMD
#   code costs under the emulator, benchmarks.rst) BENCH_KERNEL_ARGS
#   (the guest kernel's own arguments; default tsc=reliable, see below)
# --check: one short round (1 s per metric, no warm-up, 50 links, the
# metrics that cover every measuring function) whose only
# purpose is to prove the harness works; the report goes to a temporary
# directory and nothing is judged by speed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bundle='' module='' out='' check=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) bundle=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--check) check=1; shift ;;
	*) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$bundle" ] && [ -n "$module" ] || { echo "usage: $0 --kernel BUNDLE --module KO [--out DIR] [--check]" >&2; exit 2; }

if [ "$check" = 1 ]; then
	: "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP:=0}" "${BENCH_SECONDS:=1}" "${BENCH_SCALE_LINKS:=50}"
	: "${BENCH_REKEY_RATE:=5M}"
	# Every configuration comes up and carries traffic; every measuring
	# function runs at least once (tcp2, udp1400 and gw_tcp1 only differ
	# from tcp1/udp64 in their arguments).
	: "${BENCH_METRICS:=tcp1 udp64 ping rr rekey crypto}"
fi
rounds=${BENCH_ROUNDS:-7} warmup=${BENCH_WARMUP:-1} secs=${BENCH_SECONDS:-5}
case ${BENCH_RPS:-0} in
0 | 1) ;;
*) echo "bench.sh: BENCH_RPS must be 0 or 1" >&2; exit 2 ;;
esac

make -s -C "$top/selftests/bench" || exit 1
make -s -C "$top/selftests/tools" || exit 1
# The in-kernel crypto measurement, with s2s's ChaCha20-Poly1305 built in,
# for the test bed's kernel: a debug bundle carries its build tree,
# Debian's kernel has its headers installed. Built in a directory of its
# own per kernel, as scripts/check.sh builds s2s, so that runs for two
# kernels never mix objects.
kver=$(cat "$bundle/kver")
kdir=$bundle/build
[ -d "$kdir" ] || kdir=/lib/modules/$kver/build
kmod=$top/build/bench-kmod-$kver
rm -rf "$kmod" && mkdir -p "$kmod" &&
	cp "$top/selftests/bench/kmod/Kbuild" "$top/selftests/bench/kmod/measure.c" \
		"$top/module/chachapoly.c" "$top/module/chachapoly.h" "$kmod/" &&
	make -s -C "$kdir" M="$kmod" W=1 KCFLAGS=-Werror modules || exit 1

# The guest keeps time with the TSC, not the emulated HPET its kernel
# would pick under TCG (benchmarks.rst, "What is compared", says why).
append=${BENCH_KERNEL_ARGS-tsc=reliable}
# Parameters travel on the kernel command line (init's environment); lists
# comma-separated.
for v in BENCH_ROUNDS BENCH_WARMUP BENCH_SECONDS BENCH_CONFIGS BENCH_REKEY \
	BENCH_REKEY_RATE BENCH_SCALE_LINKS BENCH_METRICS BENCH_SEED \
	BENCH_PROFILE BENCH_PROFILE_METRICS BENCH_CALLERS BENCH_TRACE \
	BENCH_TRACE_METRICS BENCH_RPS; do
	[ -n "${!v+x}" ] || continue
	val=${!v}
	val=${val// /,}
	append+=" $v=${val:-,}"
done

# Per round: each configuration x (8 metrics + setup) + crypto; generous,
# TCG on a loaded machine is slow. Without BENCH_CONFIGS the guest runs
# its default list, read from the guest script so that it is written once.
# shellcheck disable=SC2016 # the pattern's ${ is literal
configs=${BENCH_CONFIGS:-$(sed -n 's/^CONFIGS=\${BENCH_CONFIGS:-"\(.*\)"}$/\1/p' \
	"$top/selftests/bench/bench.sh")}
nconfigs=$(wc -w <<<"${configs//,/ }")
[ "$nconfigs" -gt 0 ] || { echo "bench.sh: no configurations to count" >&2; exit 2; }
# The traced runs after the rounds (BENCH_TRACE) come on top: a set-up
# and a run for each configuration named and each of its metrics, at
# most the five that load the link.
trace=${BENCH_TRACE:-}
ntraced=$(wc -w <<<"${trace//,/ }")
suite_timeout=$(((rounds + warmup) * (nconfigs * (10 * secs + 40) + 8 * secs + 30) + ntraced * 5 * (secs + 40) + 900))

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
if [ -z "$out" ]; then
	if [ "$check" = 1 ]; then
		out=$(mktemp -d /tmp/s2s-bench-check.XXXXXX)
	else
		out=$top/bench/results/$stamp
	fi
fi
mkdir -p "$out"
logs=$(mktemp -d /tmp/s2s-bench.XXXXXX)
host_load_start=$(cut -d' ' -f1-3 /proc/loadavg)
# What is measured is what is checked out now, not when the report is
# written (the tree may change meanwhile; the module was built already).
commit=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)

# The -cpu the guest ran with, as run.sh wrote its command line (quoted
# for the shell: "max\,-avx2").
qemu_cpu() {
	sed -n '/ -cpu /{s/.* -cpu \([^ ]*\) .*/\1/;s/\\//g;p}' "$logs/qemu.cmd" 2>/dev/null
}

# The load average at the end counts the guest's own vCPUs. What competed
# with them is the host's busy CPU time minus that of this script's
# children (QEMU, reaped by run.sh, is one), in clock ticks.
host_busy_ticks() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}
own_children_ticks() {
	# fields 16 and 17 (cutime, cstime), counted after the "(comm)"
	sed 's/.*) //' "/proc/$$/stat" | awk '{ print $14 + $15 }'
}
busy0=$(host_busy_ticks) own0=$(own_children_ticks) t0=$(date +%s)

# shellcheck disable=SC2086 # the list of --bin pairs
"$top/selftests/qemu/run.sh" --kernel "$bundle" --module "$module" \
	--bin "$top/helper/s2sctl" --bin "$top/helper/s2sd" \
	--bin "$top/selftests/bench/bench-rr" --bin "$top/selftests/bench/bench-aead" \
	--bin "$top/selftests/bench/bench-scale" --bin "$top/selftests/tools/encap-listen" \
	--file "$kmod/bench_aead_kernel.ko:/s2s/bench/bench_aead_kernel.ko" \
	--file "$top/selftests/bench/configs.sh:/s2s/bench/configs.sh" \
	--file "$top/selftests/bench/metrics.sh:/s2s/bench/metrics.sh" \
	--smp "${BENCH_SMP:-2}" ${BENCH_CPU:+--cpu "$BENCH_CPU"} \
	--timeout $((suite_timeout + 300)) \
	--suite-timeout "$suite_timeout" --log-dir "$logs" \
	${append:+--append "${append# }"} \
	"$top/selftests/bench/bench.sh"
rc=$?

host_load_end=$(cut -d' ' -f1-3 /proc/loadavg)
other_cpu=$(awk -v b="$(($(host_busy_ticks) - busy0))" \
	-v o="$(($(own_children_ticks) - own0))" -v hz="$(getconf CLK_TCK)" \
	'BEGIN { printf "%.1f", (b - o) / hz }')
python3 "$top/scripts/bench-report.py" --log "$logs/output.log" --out "$out" \
	--host-info "qemu=$(qemu-system-x86_64 --version | head -n1)" \
	--host-info "host_cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
	--host-info "host_cpus=$(nproc)" \
	--host-info "host_load_start=$host_load_start" \
	--host-info "host_load_end=$host_load_end" \
	--host-info "accel=${S2S_QEMU_ACCEL:-tcg}" \
	--host-info "qemu_cpu=$(qemu_cpu)" \
	--host-info "host_other_cpu_seconds=$other_cpu" \
	--host-info "host_seconds=$(($(date +%s) - t0))" \
	--host-info "s2s_commit=$commit" ||
	rc=1
echo "# bench results: $out (guest logs: $logs)"
exit $rc
