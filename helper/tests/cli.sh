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
check "s2sctl help" 0 "" "show [DEV] [--json]" -- "$s2sctl" help
check "help: sa add" 0 "" "sa add DEV dir in|out spi SPI enc ALG key KEYSRC" -- "$s2sctl" help
check "help: inline keys are visible" 0 "" "/proc/PID/cmdline" -- "$s2sctl" help
check "s2sctl --help" 0 "" "Exit status" -- "$s2sctl" --help
check "s2sctl help extra" 2 "help takes no arguments" "" -- "$s2sctl" help x
check "unknown command" 2 "s2sctl: unknown command 'frobnicate'" "" -- "$s2sctl" frobnicate
check "unknown option" 2 "unknown command '--frob'" "" -- "$s2sctl" --frob
check "show unknown option" 2 "show: unknown option '--yaml'" "" -- "$s2sctl" show --yaml
check "show two names" 2 "show: unexpected argument 's2s1'" "" -- "$s2sctl" show s2s0 s2s1
check "show long name" 2 "is not an interface name (1 to 15" "" -- "$s2sctl" show 0123456789abcdef
check "show empty name" 2 "is not an interface name" "" -- "$s2sctl" show ""
check "link: no subcommand" 2 "s2sctl: link: missing subcommand" "" -- "$s2sctl" link
check "link set: nothing" 2 "link set: nothing to set" "" -- "$s2sctl" link set s2s0
check "link set: bad dscp-copy" 2 "dscp-copy: 'maybe' is not on or off" "" -- "$s2sctl" link set s2s0 dscp-copy maybe
check "sa: unknown subcommand" 2 "sa: unknown subcommand 'frob'" "" -- "$s2sctl" sa frob
check "sa add: no DEV" 2 "sa add: missing DEV" "" -- "$s2sctl" sa add
check "sa add: reserved SPI" 2 "spi: 255 is reserved" "" -- "$s2sctl" sa add s2s0 dir in spi 255
check "sa add: unknown enc" 2 "enc: unknown algorithm 'des'" "" -- "$s2sctl" sa add s2s0 enc des
check "sa add: CBC without integ" 2 "aes-cbc needs an integrity algorithm" "" -- \
	"$s2sctl" sa add s2s0 dir in spi 0x1000 enc aes-cbc key 0x000102030405060708090a0b0c0d0e0f \
	local 192.0.2.1 remote 192.0.2.2
check "sa set: nothing" 2 "sa set: nothing to change" "" -- "$s2sctl" sa set s2s0 dir in spi 256
check "sa del: no spi" 2 "sa del: missing 'spi SPI'" "" -- "$s2sctl" sa del s2s0 dir in
check "sa show: two names" 2 "sa show: unexpected argument 'b'" "" -- "$s2sctl" sa show a b
check "monitor: argument" 2 "monitor: unexpected argument 'x'" "" -- "$s2sctl" monitor x

# A key of the wrong length: refused with its length, never its digits.
key=0x5345435245544b45590102030405060708090a0b
check "sa add: key length" 2 "aes-gcm needs 20 or 36 bytes" "" -- \
	"$s2sctl" sa add s2s0 dir in spi 0x1000 enc aes-gcm key ${key}0c0d \
	local 192.0.2.1 remote 192.0.2.2
n=$((n + 1))
if grep -qi "5345435245544b4559\|SECRETKEY" "$err"; then
	echo "not ok $n sa add: key digits never in messages"
	failed=$((failed + 1))
else
	echo "ok $n sa add: key digits never in messages"
fi
printf '%s\n' "${key#0x}0" >"$out.key"
check "sa add: odd key in a file" 2 "key from $out.key: odd number of hex digits (41)" "" -- \
	"$s2sctl" sa add s2s0 dir in spi 0x1000 enc aes-gcm key "@$out.key" \
	local 192.0.2.1 remote 192.0.2.2
rm -f "$out.key"
check "sa add: bad hex on stdin" 2 "key from stdin: character 3 is not a hex digit" "" -- \
	sh -c "echo 00zz | \"\$0\" sa add s2s0 dir in spi 0x1000 enc aes-gcm key - local 192.0.2.1 remote 192.0.2.2" "$s2sctl"
check "s2sd --version" 0 "" "s2sd " -- "$s2sd" --version
check "s2sd --help" 0 "" "--once" -- "$s2sd" --help
check "s2sd bad option" 2 "unrecognized option" "" -- "$s2sd" --frob
check "s2sd extra argument" 2 "unexpected argument 'x'" "" -- "$s2sd" -f x

if [[ -d /sys/module/s2s ]] || modinfo s2s >/dev/null 2>&1; then
	for t in "s2sctl show" "s2sctl show --json" "s2sctl show IFNAME" "s2sd --once" \
		 "sa add (legacy warning)" "sa add (key from stdin)"; do
		skip "$t without module" "an s2s module is available here"
	done
else
	check "s2sctl show without module" 1 "s2sctl: $nofam" "" -- "$s2sctl" show
	check "s2sctl show --json without module" 1 "s2sctl: $nofam" "" -- "$s2sctl" show --json
	check "s2sctl (no command) without module" 1 "s2sctl: $nofam" "" -- "$s2sctl"
	check "s2sd --once without module" 1 "s2sd: $nofam" "" -- "$s2sd" --once
	# the words are checked (and legacy warned about) before the kernel
	check "sa add 3des: warns, then needs the module" 1 \
		"s2sctl: warning: 3des-cbc is a legacy algorithm" "" -- \
		"$s2sctl" sa add s2s0 dir out spi 0x1000 enc 3des-cbc \
		key 0x000102030405060708090a0b0c0d0e0f1011121314151617 \
		integ hmac-sha1-96 ikey 0x000102030405060708090a0b0c0d0e0f10111213 \
		local 192.0.2.1 remote 192.0.2.2
	check "sa add: key from stdin, then needs the module" 1 "s2sctl: $nofam" "" -- \
		sh -c "printf '0001020304050607 08090a0b0c0d0e0f\n10111213\n' | \"\$0\" sa add s2s0 dir in spi 0x1000 enc aes-gcm key - local 192.0.2.1 remote 192.0.2.2" "$s2sctl"
fi

echo "1..$n"
echo "# cli: $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
