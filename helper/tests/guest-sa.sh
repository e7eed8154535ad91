#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# s2sctl's data-plane commands against a real kernel with s2s.ko, in the
# QEMU test bed:
#   selftests/qemu/run.sh --kernel BUNDLE --module s2s.ko \
#       --bin helper/s2sctl --bin helper/s2sd helper/tests/guest-sa.sh
#
#   netns "sa":  s2s0, s2s1 (s2s links)   dum0 192.0.2.1/24 (underlay)
#
# link set, an AES-GCM in+out SA pair added by hand (keys from a file and
# from stdin), show / sa show / sa get as text and JSON, sa set, sa del,
# sa flush, the kernel's refusals passed on word for word, and monitor
# printing the module's expiry notifications. No key digit may appear in
# any output.

source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh"

require_root
require_cmd ip s2sctl modprobe grep
[ -d /sys/module/s2s ] || require_module s2s

# AES-128-GCM keys + salts, as ip xfrm's rfc4106(gcm(aes)) takes them.
KEY_IN=6b6579696e2d6b6579696e2d6b657969c0ffee01
KEY_OUT=6b65796f75742d6b65796f75742d6b65c0ffee02
KEYPAT='6b6579|c0ffee|keyin|keyout'
SPI_IN=0xc0010001	# 3221291009
SPI_OUT=0xc0010002	# 3221291010
tmp=$(mktemp -d)
defer "rm -rf $tmp"

ktap_header
ktap_plan 17
ns_create sa

h() { nsx sa "$@"; }

# outputs KIND CMD...: run, keep stdout+stderr for the final key check.
outputs() {
	local kind=$1
	shift
	"$@" >"$tmp/$kind.out" 2>"$tmp/$kind.err"
	local rc=$?
	cat "$tmp/$kind.out" "$tmp/$kind.err"
	return $rc
}

# expect_refusal WANT_STDERR CMD...: exit 1 and exactly this one line.
expect_refusal() {
	local want=$1 err rc
	shift
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	echo "exit $rc: $err"
	[ $rc -eq 1 ] && [ "$err" = "$want" ]
}

has_jq() {
	command -v jq >/dev/null || { echo "jq not in the guest"; return 4; }
}

t_setup() {
	h ip link add dum0 type dummy &&
		h ip addr add 192.0.2.1/24 dev dum0 &&
		h ip link set dum0 up &&
		h ip link add s2s0 type s2s &&
		h ip link add s2s1 type s2s
}
run_test "setup: two s2s links over a dummy underlay" t_setup

t_link_set() {
	local txt json
	h s2sctl link set s2s0 if-id 7 replay-window 128 dscp-copy on || return 1
	txt=$(h s2sctl show s2s0) && json=$(h s2sctl show s2s0 --json) || return 1
	echo "$txt"; echo "$json"
	head -n1 <<<"$txt" | grep -Eqx 's2s0: if-id 7, mtu [0-9]+, down, replay-window 128, dscp-copy on' &&
		grep -qx '  traffic: tx 0 packets 0 bytes, rx 0 packets 0 bytes' <<<"$txt" &&
		grep -qx '  drops: none' <<<"$txt" &&
		grep -q '"if_id":7,' <<<"$json" &&
		grep -q '"replay_window":128,"dscp_copy":true,' <<<"$json" &&
		grep -q '"drops":{"no_sa":0,' <<<"$json" &&
		h s2sctl link set s2s0 dscp-copy off &&
		h s2sctl show s2s0 | grep -q ', dscp-copy off' &&
		# the kernel checks the range; its words reach the user as they are
		expect_refusal "s2sctl: link-set s2s0: Invalid argument: replay window must be 1 to 1048576 packets" \
			h s2sctl link set s2s0 replay-window 0
}
run_test "link set: if-id, replay-window, dscp-copy; kernel refusal verbatim" t_link_set

t_sa_add() {
	# inbound key from a file (as people keep it), outbound key from stdin
	printf '%s\n%s\n' "${KEY_IN:0:20}" "${KEY_IN:20}" >"$tmp/in.key"
	outputs add-in h s2sctl sa add s2s0 dir in spi "$SPI_IN" enc aes-gcm \
		key "@$tmp/in.key" local 192.0.2.1 remote 192.0.2.2 \
		ts-local 10.1.0.0/24 ts-remote 10.2.0.0/24 ts-remote 10.3.0.0/16 \
		soft seconds 3600 hard bytes 1000000000 hard seconds 4000 || return 1
	echo "$KEY_OUT" | outputs add-out h s2sctl sa add s2s0 dir out \
		spi "$SPI_OUT" enc aes-gcm key - local 192.0.2.1 \
		remote 192.0.2.2 encap 4500 4500 || return 1
	# success is silent
	[ ! -s "$tmp/add-in.out" ] && [ ! -s "$tmp/add-in.err" ] &&
		[ ! -s "$tmp/add-out.out" ] && [ ! -s "$tmp/add-out.err" ]
}
run_test "sa add: AES-GCM in+out pair, keys from a file and stdin" t_sa_add

t_show_text() {
	local txt
	outputs show h s2sctl show s2s0 || return 1
	txt=$(cat "$tmp/show.out")
	# IPv4 20 + UDP 8 + ESP 8 + IV 8 + padding 3 + trailer 2 + ICV 16
	head -n1 <<<"$txt" | grep -Eqx 's2s0: if-id 7, mtu [0-9]+, down, replay-window 128, dscp-copy off, overhead 65' &&
		grep -qx '  sa in spi 0xc0010001: aes-gcm, local 192.0.2.1, remote 192.0.2.2, seq 0, replay-window 128' <<<"$txt" &&
		grep -qx '    selectors: local 10.1.0.0/24, remote 10.2.0.0/24 10.3.0.0/16' <<<"$txt" &&
		grep -Eqx '    lifetime: soft 3600 s, hard 1000000000 bytes 4000 s, age [0-9]+ s' <<<"$txt" &&
		grep -qx '  sa out spi 0xc0010002: aes-gcm, local 192.0.2.1, remote 192.0.2.2, udp 4500 -> 4500, seq 0' <<<"$txt" &&
		grep -qx '    selectors: local any, remote any' <<<"$txt" &&
		[ "$(grep -cx '    traffic: tx 0 packets 0 bytes, rx 0 packets 0 bytes' <<<"$txt")" = 2 ] &&
		[ "$(grep -cx '    drops: none' <<<"$txt")" = 2 ]
}
run_test "show: link settings, overhead, counters and both SAs as text" t_show_text

t_json() {
	has_jq || return 4
	outputs showjson h s2sctl show --json &&
		outputs sashow h s2sctl sa show --json &&
		outputs saget h s2sctl sa get s2s0 dir out spi "$SPI_OUT" --json || return 1
	jq -e 'length == 2 and .[0].ifname == "s2s0" and .[0].overhead == 65 and
		(.[0].sas | length) == 2 and .[1].ifname == "s2s1" and .[1].sas == [] and
		(.[0].stats.drops | keys | length) == 13' "$tmp/showjson.out" >/dev/null &&
	jq -e 'length == 2 and (map(.ifname) | unique) == ["s2s0"] and
		(.[] | select(.dir == "in") |
		 .spi == 3221291009 and .enc == "aes-gcm" and .integ == "none" and
		 .legacy == false and .esn == false and .local == "192.0.2.1" and
		 .remote == "192.0.2.2" and .replay_window == 128 and .seq == 0 and
		 .ts_local == ["10.1.0.0/24"] and
		 .ts_remote == ["10.2.0.0/24", "10.3.0.0/16"] and
		 .soft == {"bytes": 0, "packets": 0, "seconds": 3600} and
		 .hard == {"bytes": 1000000000, "packets": 0, "seconds": 4000} and
		 (.age | type) == "number" and .stats.rx_packets == 0 and
		 .stats.drops == {"no_sa":0,"seq_exhausted":0,"too_big":0,"no_route":0,
			"tx_error":0,"malformed":0,"replay":0,"auth":0,"padding":0,
			"selector":0,"expired":0,"link_down":0,"rx_error":0})' \
		"$tmp/sashow.out" >/dev/null &&
	jq -e 'length == 1 and .[0].spi == 3221291010 and .[0].dir == "out" and
		.[0].encap_sport == 4500 and .[0].encap_dport == 4500 and
		.[0].ts_local == [] and (.[0] | has("replay_window") | not)' \
		"$tmp/saget.out" >/dev/null
}
run_test "show --json, sa show --json, sa get --json carry every field" t_json

t_refusals() {
	printf '%s\n' "$KEY_IN" >"$tmp/dup.key"
	expect_refusal "s2sctl: sa-new s2s0 dir in spi 0xc0010001: File exists: s2s: the link already has an SA with this SPI and direction" \
		h s2sctl sa add s2s0 dir in spi "$SPI_IN" enc aes-gcm key "@$tmp/dup.key" \
		local 192.0.2.1 remote 192.0.2.2 &&
	expect_refusal "s2sctl: sa-new s2s0 dir out spi 0xc0010009: Invalid argument: sequence number above 2^32-1 needs ESN" \
		h s2sctl sa add s2s0 dir out spi 0xc0010009 enc aes-gcm key "@$tmp/dup.key" \
		local 192.0.2.1 remote 192.0.2.2 seq 0x100000000 &&
	expect_refusal "s2sctl: sa-del s2s0 dir out spi 0x0000dead: No such file or directory: no SA with this SPI and direction on the link" \
		h s2sctl sa del s2s0 dir out spi 0xdead &&
	expect_refusal "s2sctl: sa-flush lo: Operation not supported: interface is not an s2s link" \
		h s2sctl sa flush lo &&
	expect_refusal "s2sctl: sa get: no interface 'nosuch0'" \
		h s2sctl sa get nosuch0 dir in spi 256
}
run_test "kernel refusals (extack) reach the user verbatim" t_refusals

t_sa_set() {
	local txt
	h s2sctl sa set s2s0 dir out spi "$SPI_OUT" remote 192.0.2.3 encap 0 0 \
		soft seconds 100 || return 1
	txt=$(h s2sctl sa get s2s0 dir out spi "$SPI_OUT") || return 1
	echo "$txt"
	grep -qx 's2s0: sa out spi 0xc0010002: aes-gcm, local 192.0.2.1, remote 192.0.2.3, seq 0' <<<"$txt" &&
		grep -Eqx '  lifetime: soft 100 s, hard none, age [0-9]+ s' <<<"$txt" &&
		h s2sctl show s2s0 | head -n1 | grep -q ', overhead 57$'
}
run_test "sa set: new remote, raw ESP, soft lifetime; sa get shows them" t_sa_set

t_dump_filter() {
	local all s2s0
	h s2sctl sa add s2s1 dir in spi 0xc0020001 enc aes-gcm key "@$tmp/dup.key" \
		local 192.0.2.1 remote 192.0.2.9 || return 1
	all=$(h s2sctl sa show) && s2s0=$(h s2sctl sa show s2s0) || return 1
	echo "$all"
	[ "$(grep -c '^s2s[01]: sa ' <<<"$all")" = 3 ] &&
		grep -q '^s2s1: sa in spi 0xc0020001: aes-gcm' <<<"$all" &&
		[ "$(grep -c '^s2s0: sa ' <<<"$s2s0")" = 2 ] &&
		! grep -q '^s2s1' <<<"$s2s0"
}
run_test "sa show DEV: the dump filtered by ifindex" t_dump_filter

t_sa_del() {
	local txt
	h s2sctl sa del s2s0 dir out spi "$SPI_OUT" || return 1
	txt=$(h s2sctl show s2s0) || return 1
	echo "$txt"
	! grep -q 'sa out' <<<"$txt" && grep -q '^  sa in spi 0xc0010001' <<<"$txt" &&
		# no outbound SA: no overhead to report
		! head -n1 <<<"$txt" | grep -q overhead
}
run_test "sa del: the outbound SA is gone, the inbound one stays" t_sa_del

t_sa_flush() {
	h s2sctl sa flush s2s0 || return 1
	[ -z "$(h s2sctl sa show s2s0)" ] &&
		[ "$(h s2sctl sa show s2s0 --json)" = "[]" ] &&
		h s2sctl show s2s0 --json | grep -q '"sas":\[\]' &&
		# the other link keeps its SA
		h s2sctl sa show s2s1 | grep -q '^s2s1: sa in spi 0xc0020001'
}
run_test "sa flush: every SA of the link, only of that link" t_sa_flush

# RFC 3339 with milliseconds, as monitor --timestamp prints it
STAMP_RE='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2}'

mon_pid='' monj_pid='' mont_pid=''
t_monitor() {
	ip netns exec sa s2sctl monitor >"$tmp/mon.out" 2>"$tmp/mon.err" &
	mon_pid=$!
	ip netns exec sa s2sctl monitor --json -t >"$tmp/monj.out" 2>"$tmp/monj.err" &
	monj_pid=$!
	ip netns exec sa s2sctl monitor --timestamp >"$tmp/mont.out" 2>"$tmp/mont.err" &
	mont_pid=$!
	defer "kill $mon_pid $monj_pid $mont_pid"
	wait_for 20 grep -q "monitoring s2s events" "$tmp/mon.err" &&
		wait_for 20 grep -q "monitoring s2s events" "$tmp/monj.err" &&
		wait_for 20 grep -q "monitoring s2s events" "$tmp/mont.err" || return 1
	# Housekeeping (and so expiry) runs while the link is up, once a
	# second, on whole seconds of age. Lifetimes one second apart can both
	# pass in one run (a tick just before a second boundary, the next one
	# a little late); the soft event then reports the SA's state at that
	# moment, hard-expired, as documented. Five seconds apart they share a
	# run only if the work is more than four seconds late; two apart
	# allowed one second, which the debug kernel under TCG on a busy
	# host can exceed.
	h ip link set s2s0 up &&
		h s2sctl sa add s2s0 dir out spi 0xc0010003 enc aes-gcm key "@$tmp/dup.key" \
			local 192.0.2.1 remote 192.0.2.2 soft seconds 1 hard seconds 6 || return 1
	wait_for 30 grep -q '^hard-expire' "$tmp/mon.out" &&
		wait_for 30 grep -q '"event":"hard-expire"' "$tmp/monj.out" &&
		wait_for 30 grep -q ' hard-expire' "$tmp/mont.out"
	cat "$tmp/mon.out" "$tmp/monj.out" "$tmp/mont.out"
	# the same lines, each after the time it was received
	[ "$(sed -E "s/^$STAMP_RE //" "$tmp/mont.out")" = "$(cat "$tmp/mon.out")" ] &&
		[ "$(grep -Ec "^$STAMP_RE (soft|hard)-expire " "$tmp/mont.out")" = 2 ] &&
		[ "$(grep -Ec "\"time\":\"$STAMP_RE\"}\$" "$tmp/monj.out")" = 2 ] || return 1
	# the link being up, the kernel may already have sent (IPv6 RS/MLD)
	grep -Eqx 'soft-expire s2s0 sa out spi 0xc0010003: tx [0-9]+ packets [0-9]+ bytes, rx 0 packets 0 bytes; drops: none' "$tmp/mon.out" &&
		grep -Eqx 'hard-expire s2s0 sa out spi 0xc0010003: tx [0-9]+ packets [0-9]+ bytes, rx 0 packets 0 bytes; drops: none' "$tmp/mon.out" &&
		[ "$(wc -l <"$tmp/mon.out")" = 2 ] &&
		grep -q '^{"event":"soft-expire","ifname":"s2s0","ifindex":[0-9]*,"dir":"out","spi":3221291011,"state":"soft-expired","stats":{"tx_packets":[0-9]*,' "$tmp/monj.out" &&
		grep -q '^{"event":"hard-expire","ifname":"s2s0","ifindex":[0-9]*,"dir":"out","spi":3221291011,"state":"hard-expired","stats":{' "$tmp/monj.out"
}
run_test "monitor: soft and hard expiry notifications, text and JSON, with and without --timestamp" t_monitor

t_monitor_stop() {
	local rc1 rc2 rc3
	kill -INT "$mon_pid" "$monj_pid" "$mont_pid"
	wait "$mon_pid"; rc1=$?
	wait "$monj_pid"; rc2=$?
	wait "$mont_pid"; rc3=$?
	echo "exit $rc1 $rc2 $rc3"
	[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ $rc3 -eq 0 ]
}
run_test "monitor: SIGINT stops it with exit 0" t_monitor_stop

# Selectors come back as given, host bits cleared by the kernel.
t_selectors() {
	local txt
	h s2sctl sa add s2s1 dir in spi 0xc0020002 enc aes-gcm key "@$tmp/dup.key" \
		local 192.0.2.1 remote 192.0.2.9 ts-local 10.1.1.7/24 \
		ts-local 2001:db8:1::/64 ts-remote 2001:db8:2::5/48 || return 1
	txt=$(h s2sctl sa get s2s1 dir in spi 0xc0020002) || return 1
	echo "$txt"
	h s2sctl sa del s2s1 dir in spi 0xc0020002 || return 1
	grep -qx '  selectors: local 10.1.1.0/24 2001:db8:1::/64, remote 2001:db8:2::/48' <<<"$txt"
}
run_test "sa add: IPv4 and IPv6 selectors come back as configured" t_selectors

# sa set replaces the selectors as a whole (how s2sd applies what charon
# negotiated to an SA added without); 33 on a side is refused, explained.
t_selectors_set() {
	local txt err many='' i
	h s2sctl sa add s2s1 dir in spi 0xc0020003 enc aes-gcm key "@$tmp/dup.key" 		local 192.0.2.1 remote 192.0.2.9 || return 1
	h s2sctl sa set s2s1 dir in spi 0xc0020003 ts-local 10.1.0.0/24 \
		ts-remote 10.2.0.0/16 ts-remote 10.3.0.0/16 || return 1
	txt=$(h s2sctl sa get s2s1 dir in spi 0xc0020003) || return 1
	grep -x '  selectors: local 10.1.0.0/24, remote 10.2.0.0/16 10.3.0.0/16' <<<"$txt" ||
		{ echo "$txt"; return 1; }
	h s2sctl sa set s2s1 dir in spi 0xc0020003 ts-remote 10.4.0.0/16 || return 1
	txt=$(h s2sctl sa get s2s1 dir in spi 0xc0020003) || return 1
	grep -x '  selectors: local any, remote 10.4.0.0/16' <<<"$txt" ||
		{ echo "$txt"; return 1; }
	for i in $(seq 0 32); do many+=" ts-local 10.9.$i.0/24"; done
	# shellcheck disable=SC2086 # a word list
	err=$(h s2sctl sa set s2s1 dir in spi 0xc0020003 $many 2>&1) && return 1
	echo "$err"
	grep -q 'too many selectors (at most 32 per side)' <<<"$err" || return 1
	txt=$(h s2sctl sa get s2s1 dir in spi 0xc0020003) || return 1
	h s2sctl sa del s2s1 dir in spi 0xc0020003 || return 1
	grep -qx '  selectors: local any, remote 10.4.0.0/16' <<<"$txt"
}
run_test "sa set: selectors replaced as a whole; 33 on a side refused" t_selectors_set

# Every algorithm the spec lists is accepted by the module and reported
# back by name; the legacy ones are flagged (and warned about on add).
t_algorithms() {
	local k16=000102030405060708090a0b0c0d0e0f k24=000102030405060708090a0b0c0d0e0f1011121314151617
	local k32=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
	local a20=2122232425262728292a2b2c2d2e2f3031323334 a32=${k32//0/4}
	local spi=0x5000 line enc integ key ikey legacy txt err
	h ip link add s2s2 type s2s || return 1
	while read -r enc integ key ikey legacy; do
		spi=$((spi + 1))
		[ "$ikey" != - ] || ikey=
		err=$(h s2sctl sa add s2s2 dir in spi $spi enc "$enc" key "0x$key" \
			${ikey:+integ $integ ikey 0x$ikey} local 192.0.2.1 \
			remote 192.0.2.2 2>&1) || { echo "$enc/$integ: $err"; return 1; }
		if [ "$legacy" = yes ]; then
			grep -q "warning: .* is a legacy algorithm" <<<"$err" || return 1
		else
			[ -z "$err" ] || { echo "$enc/$integ: $err"; return 1; }
		fi
		txt=$(h s2sctl sa get s2s2 dir in spi $spi) || return 1
		line=$(head -n1 <<<"$txt")
		echo "$line"
		[ "$integ" = none ] && want="$enc" || want="$enc/$integ"
		[ "$legacy" = yes ] && want="$want (legacy)"
		[[ $line == "s2s2: sa in spi "*": $want, local 192.0.2.1,"* ]] || return 1
	done <<-EOF
	aes-gcm none ${k32}c0ffee01 - no
	chacha20-poly1305 none ${k32}c0ffee01 - no
	aes-cbc hmac-sha256-128 $k16 $a32 no
	aes-cbc hmac-sha384-192 $k24 ${a32}${k16} no
	aes-cbc hmac-sha512-256 $k32 ${a32}${k32} no
	aes-cbc hmac-sha1-96 $k32 $a20 yes
	3des-cbc hmac-sha1-96 $k24 $a20 yes
	EOF
	[ "$(h s2sctl sa show s2s2 --json | grep -o '"legacy":true' | wc -l)" = 2 ]
}
run_test "every algorithm of the spec is accepted and reported by name" t_algorithms

# More SAs than one dump message holds: the dump must resume correctly.
t_many() {
	local i n
	for ((i = 0; i < 300; i++)); do
		echo "$KEY_IN" | h s2sctl sa add s2s2 dir out spi $((0x60000 + i)) \
			enc aes-gcm key - local 192.0.2.1 remote 192.0.2.2 \
			ts-local 10.$((i / 256)).$((i % 256)).0/24 || return 1
	done
	n=$(h s2sctl sa show s2s2 | grep -c '^s2s2: sa out spi 0x000600')
	echo "$n SAs listed"
	[ "$n" = 256 ] || return 1	# 0x60000..0x600ff
	n=$(h s2sctl sa show s2s2 | grep -c '^s2s2: sa ')
	[ "$n" = 307 ] || { echo "$n SAs listed, want 307"; return 1; }
	h s2sctl sa show --json | grep -o '"spi":' | wc -l | grep -qx 309 &&
		h s2sctl sa flush s2s2 && [ -z "$(h s2sctl sa show s2s2)" ]
}
run_test "sa show: 300 SAs, a dump over several messages" t_many

t_no_keys() {
	local f found=0
	for f in "$tmp"/*.out "$tmp"/*.err; do
		if grep -Eiq "$KEYPAT" "$f"; then
			echo "key material in $f:"; cat "$f"
			found=1
		fi
	done
	# and the full dumps once more, now
	h s2sctl show --json | grep -Eiq "$KEYPAT" && found=1
	h s2sctl sa show | grep -Eiq "$KEYPAT" && found=1
	[ $found -eq 0 ]
}
run_test "no key digit in any output" t_no_keys

ktap_finished
