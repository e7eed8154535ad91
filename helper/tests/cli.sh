#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Command-line behaviour of s2sctl and s2sd on the host: exit codes and
# messages. Usage: tests/cli.sh path/to/s2sctl path/to/s2sd
# The "module not loaded" cases run only where no s2s family exists.

s2sctl=${1:?usage: cli.sh S2SCTL S2SD}
s2sd=${2:?usage: cli.sh S2SCTL S2SD}
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
n=0 failed=0 skipped=0

# has TEXT FILE: FILE contains TEXT (always, for an empty TEXT)
has() {
	[[ -z $1 ]] || grep -qF -- "$1" "$2"
}

# check NAME WANT_RC WANT_STDERR_SUBSTRING WANT_STDOUT_SUBSTRING -- CMD...
check() {
	local name=$1 rc=$2 want_err=$3 want_out=$4 got
	shift 5
	n=$((n + 1))
	"$@" >"$out" 2>"$err"
	got=$?
	if [[ $got -ne $rc ]] || ! has "$want_err" "$err" ||
	   ! has "$want_out" "$out"; then
		echo "not ok $n $name (exit $got, want $rc)"
		sed 's/^/#   stdout: /' "$out"
		sed 's/^/#   stderr: /' "$err"
		failed=$((failed + 1))
	else
		echo "ok $n $name"
	fi
}

skip() {
	n=$((n + 1)) skipped=$((skipped + 1))
	echo "ok $n $1 # SKIP $2"
}

nofam="s2s generic netlink family not found: is the s2s module loaded? (modprobe s2s)"

echo "TAP version 13"
check "s2sctl --version" 0 "" "s2sctl " -- "$s2sctl" --version
check "s2sctl -V" 0 "" "genl family version" -- "$s2sctl" -V
check "s2sctl help" 0 "" "show [IFNAME] [--json]" -- "$s2sctl" help
check "s2sctl --help" 0 "" "Exit status" -- "$s2sctl" --help
check "s2sctl help extra" 2 "help takes no arguments" "" -- "$s2sctl" help x
check "unknown command" 2 "s2sctl: unknown command 'frobnicate'" "" -- "$s2sctl" frobnicate
check "unknown option" 2 "unknown command '--frob'" "" -- "$s2sctl" --frob
check "show unknown option" 2 "show: unknown option '--yaml'" "" -- "$s2sctl" show --yaml
check "show two names" 2 "show: unexpected argument 's2s1'" "" -- "$s2sctl" show s2s0 s2s1
check "show long name" 2 "is not an interface name (1 to 15" "" -- "$s2sctl" show 0123456789abcdef
check "show empty name" 2 "is not an interface name" "" -- "$s2sctl" show ""
check "s2sd --version" 0 "" "s2sd " -- "$s2sd" --version
check "s2sd --help" 0 "" "--once" -- "$s2sd" --help
check "s2sd bad option" 2 "unrecognized option" "" -- "$s2sd" --frob
check "s2sd extra argument" 2 "unexpected argument 'x'" "" -- "$s2sd" -f x

if [[ -d /sys/module/s2s ]] || modinfo s2s >/dev/null 2>&1; then
	for t in "s2sctl show" "s2sctl show --json" "s2sctl show IFNAME" "s2sd --once"; do
		skip "$t without module" "an s2s module is available here"
	done
else
	check "s2sctl show without module" 1 "s2sctl: $nofam" "" -- "$s2sctl" show
	check "s2sctl show --json without module" 1 "s2sctl: $nofam" "" -- "$s2sctl" show --json
	check "s2sctl (no command) without module" 1 "s2sctl: $nofam" "" -- "$s2sctl"
	check "s2sd --once without module" 1 "s2sd: $nofam" "" -- "$s2sd" --once
fi

echo "1..$n"
echo "# cli: $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
