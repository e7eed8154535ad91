#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot a kernel bundle under QEMU and run selftest suites in it.
#
#   run.sh --kernel BUNDLE [--module s2s.ko] [--bin PROG]...
#          [--file HOSTPATH:GUESTPATH]... [--debug]
#          [--timeout SECS] [--suite-timeout SECS] [--mem MIB] [--smp N]
#          [--cpu MODEL] [--append "KERNEL ARGS"] [--log-dir DIR]
#          [SUITE.sh...]
#
# BUNDLE is a directory from debian-kernel.sh or debug-kernel.sh. Without
# SUITE arguments every selftests/*.sh suite runs. See selftests/qemu/README.
#
# Output: the suites' KTAP as it happens, kernel console lines prefixed with
# "# console: ", a per-suite summary, and as the very last line
# "N passed, N failed, N skipped". Exit status 0 only if nothing failed and
# the kernel reported no problem. Logs stay in the printed directory:
#   run.log      everything shown here
#   output.log   raw guest output (init + suites, serial port 2)
#   console.log  raw kernel console (serial port 1)

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
selftests=$(dirname "$here")

usage() {
	sed -n '4,10p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
die() { echo "run.sh: $*" >&2; exit 2; }

bundle='' module='' debug=0 logdir='' append='' cpu=''
timeout=${S2S_QEMU_TIMEOUT:-2400}
boot_timeout=${S2S_BOOT_TIMEOUT:-300}
suite_timeout=${S2S_SUITE_TIMEOUT:-900}
mem=${S2S_QEMU_MEM:-2048}
smp=${S2S_QEMU_SMP:-2}
bins=()
extra=()
suites=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) bundle=${2:?}; shift 2 ;;
	--module) module=${2:?}; shift 2 ;;
	--bin) bins+=("${2:?}"); shift 2 ;;
	--file) extra+=(--file "${2:?}"); shift 2 ;;
	--debug) debug=1; shift ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--suite-timeout) suite_timeout=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	--cpu) cpu=${2:?}; shift 2 ;;
	--append) append=${2:?}; shift 2 ;;
	--log-dir) logdir=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	--) shift; suites+=("$@"); break ;;
	-*) die "unknown option $1" ;;
	*) suites+=("$1"); shift ;;
	esac
done

[ -n "$bundle" ] || die "--kernel BUNDLE is required (e.g. --kernel \$($here/debian-kernel.sh 6.1.0-56-cloud-amd64))"
{ [ -f "$bundle/vmlinuz" ] && [ -f "$bundle/kver" ]; } || die "$bundle is not a kernel bundle"
[ -z "$module" ] || [ -f "$module" ] || die "module $module not found"
if [ ${#suites[@]} -eq 0 ]; then
	for s in "$selftests"/*.sh; do
		[ "$(basename "$s")" = lib.sh ] || suites+=("$s")
	done
fi
[ ${#suites[@]} -gt 0 ] || die "no suites to run"
for s in "${suites[@]}"; do
	[ -f "$s" ] || die "suite $s not found"
done
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is not installed"

t_start=$(date +%s%N)
if [ -n "$logdir" ]; then
	run=$logdir
	mkdir -p "$run"
	rm -f "$run"/{run,output,console}.log
else
	run=$(mktemp -d "${TMPDIR:-/tmp}/s2s-qemu.XXXXXX")
fi
run=$(cd "$run" && pwd)

# Everything shown also lands in run.log.
exec > >(tee "$run/run.log") 2>&1
tee_pid=$!

kver=$(cat "$bundle/kver")
echo "# s2s test bed: kernel $kver, ${#suites[@]} suite(s), logs in $run"

# Suites go into one guest directory next to lib.sh, whatever their host
# directory; a clashing file name gets a number in front.
files=(--file "$here/init:/init" --file "$selftests/lib.sh:/s2s/tests/lib.sh")
names=()
declare -A taken=([lib.sh]=1)
i=0
for s in "${suites[@]}"; do
	i=$((i + 1))
	n=$(basename "$s")
	[ -z "${taken[$n]+x}" ] || n=$i-$n
	taken[$n]=1
	names+=("$n")
	files+=(--file "$s:/s2s/tests/$n")
done
{
	printf 'S2S_SUITES=('
	printf '%q ' "${names[@]}"
	printf ')\nS2S_DEBUG=%d\nS2S_SUITE_TIMEOUT=%d\n' "$debug" "$suite_timeout"
} >"$run/config"
files+=(--file "$run/config:/s2s/config")

mkargs=(--kernel "$bundle" --out "$run/initrd")
[ -z "$module" ] || mkargs+=(--module "$module")
for b in "${bins[@]}"; do
	mkargs+=(--bin "$b")
done
if ! "$here/mkinitramfs.sh" "${mkargs[@]}" "${extra[@]}" "${files[@]}"; then
	echo "run.sh: building the initramfs failed"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
t_initrd=$(date +%s%N)

# TCG by default: these machines have no usable KVM (a /dev/kvm may exist
# and still fail). S2S_QEMU_ACCEL=kvm opts in where it works.
accel=${S2S_QEMU_ACCEL:-tcg}
# QEMU's -cpu: every feature TCG emulates, or the host's own under KVM.
# make bench may ask for another (BENCH_CPU): which SIMD code the guest's
# crypto picks changes what the emulator costs (benchmarks.rst).
if [ -z "$cpu" ]; then
	cpu=max
	[ "$accel" != kvm ] || cpu=host
fi
cmdline="console=ttyS0 loglevel=5 panic=-1 panic_on_warn=1 oops=panic rdinit=/init"
[ "$debug" = 0 ] || cmdline+=" kmemleak=on"
[ -z "$append" ] || cmdline+=" $append"
qemu=(qemu-system-x86_64 -machine "pc,accel=$accel" -cpu "$cpu" -smp "$smp"
	-m "$mem" -nodefaults -no-user-config -display none -no-reboot
	-kernel "$bundle/vmlinuz" -initrd "$run/initrd" -append "$cmdline"
	-serial "file:$run/console.log" -serial stdio)
printf '%q ' "${qemu[@]}" >"$run/qemu.cmd"

# Serial port 2 (the suites) comes back on QEMU's stdout; serial port 1 (the
# kernel console) goes to console.log, which tail follows.
boot_guest() {
	: >"$run/console.log"
	: >"$run/output.log"
	t_qemu=$(date +%s%N)
	coproc QEMU {
		exec timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>"$run/qemu.err"
	}
	qpid=$QEMU_PID
	exec {qout}<&"${QEMU[0]}"
	tail --pid="$qpid" -s 0.2 -n +1 -F "$run/console.log" 2>/dev/null |
		sed -u 's/\r$//; s/^/# console: /' &
	tail_pid=$!
	# A guest whose init has not started after $boot_timeout s never will
	# (TCG has been seen to hang after the ACPI probe): stop it then
	# rather than at the end of the whole run's timeout. Killing the
	# watchdog's sleep once init is up ends it, and leaves nothing behind.
	rm -f "$run/boot-hung"
	{ sleep "$boot_timeout" && : >"$run/boot-hung" && kill "$qpid"; } \
		>/dev/null 2>&1 &
	watchdog_pid=$!

	t_boot=
	while IFS= read -r line <&$qout || [ -n "$line" ]; do
		line=${line%$'\r'}
		printf '%s\n' "$line" >>"$run/output.log"
		printf '%s\n' "$line"
		if [ -z "$t_boot" ] && [[ $line == "# s2s-run: init "* ]]; then
			t_boot=$(date +%s%N)
			pkill -P "$watchdog_pid" sleep
			echo "# guest userspace up $(((t_boot - t_qemu) / 1000000)) ms after QEMU start"
		fi
	done
	wait "$qpid"
	grc=$?
	pkill -P "$watchdog_pid" sleep
	wait "$tail_pid" 2>/dev/null
	exec {qout}<&-
	t_end=$(date +%s%N)
}

boot_guest
# A kernel that dies or hangs before the guest's init starts has run
# nothing of ours (the module is loaded by init): under TCG the debug
# kernel has been seen to take a stray interrupt while bringing up the
# second CPU, and the release kernel to stop after the ACPI probe. Boot
# once more, saying so; the first console stays next to the second.
# Anything after init started counts as it is.
if [ -z "$t_boot" ] && [ "$grc" != 124 ]; then
	why=
	if grep -qE 'Kernel panic|BUG:' "$run/console.log"; then
		why="the kernel died before the guest's init ran"
	elif [ -e "$run/boot-hung" ]; then
		why="the guest's init had not started after ${boot_timeout} s"
	fi
	if [ -n "$why" ]; then
		mv "$run/console.log" "$run/console.boot1.log"
		echo "# $why (no test ran; console: $run/console.boot1.log); booting once more"
		boot_guest
	fi
fi

if [ -s "$run/qemu.err" ]; then
	echo "# qemu stderr:"
	sed 's/^/#   /' "$run/qemu.err"
fi
[ "$grc" != 124 ] || echo "# guest killed after the ${timeout} s timeout"
rm -f "$run/initrd"
ms() { echo "$((($2 - $1) / 1000000))"; }
boot=n/a
[ -z "$t_boot" ] || boot="$(ms "$t_qemu" "$t_boot") ms"
echo "# time: initramfs $(ms "$t_start" "$t_initrd") ms, boot $boot, guest run $(ms "$t_qemu" "$t_end") ms, total $(ms "$t_start" "$t_end") ms"
echo "# logs: $run/run.log (all), $run/output.log (guest), $run/console.log (kernel)"

"$here/results.sh" "$run/output.log" "$run/console.log" "$grc"
rc=$?
exec >&- 2>&-
wait "$tee_pid" 2>/dev/null
exit $rc
