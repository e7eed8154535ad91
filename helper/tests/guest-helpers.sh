#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# s2sctl and s2sd against a real kernel with s2s.ko, in the QEMU test bed:
#   selftests/qemu/run.sh --kernel BUNDLE --module s2s.ko \
#       --bin helper/s2sctl --bin helper/s2sd helper/tests/guest-helpers.sh
#
# One namespace "hlp" with s2s links and XFRM SAs (AES-GCM, keys known to
# the test). s2sd must describe every SA event the kernel multicasts, and
# no key byte may ever appear in its output. While s2s0 has if-id 0, no SA
# belongs to an s2s link, so s2sd -v reports them as "not an s2s SA": the
# parsing of real kernel messages is checked that way first, including
# the re-dump after the kernel dropped events. Then `s2sctl link set s2s0
# if-id 7` makes the if_id 7 SAs s2s0's, and s2sd must say so, and stop
# saying so when the if-id changes under it.

source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh"

require_root
require_cmd ip s2sctl s2sd modprobe
[ -d /sys/module/s2s ] || require_module s2s

KEY=0x4b45594b45594b45594b45594b45594b45594b45	# "KEYKEY..."
KEYPAT='4b4559|KEYKEY|gcm'
log=$(mktemp)
defer "rm -f $log"

ktap_header
ktap_plan 11
ns_create hlp

h() { nsx hlp "$@"; }

# sa_add_if_id IF_ID SPI DST [ARGS...]: an ESP tunnel SA.
sa_add_if_id() {
	local if_id=$1 spi=$2 dst=$3
	shift 3
	h ip xfrm state add src 192.0.2.1 dst "$dst" proto esp spi "$spi" \
		reqid 5 mode tunnel aead 'rfc4106(gcm(aes))' $KEY 128 if_id "$if_id" "$@"
}

# sa_add SPI DST [ARGS...]: an ESP tunnel SA with if_id 7.
sa_add() {
	sa_add_if_id 7 "$@"
}

t_show_empty() {
	[ -z "$(h s2sctl show)" ] && [ "$(h s2sctl show --json)" = "[]" ]
}
run_test "s2sctl show: no links, empty text and []" t_show_empty

t_show_link() {
	local txt json
	h ip link add s2s0 type s2s || return 1
	txt=$(h s2sctl show s2s0) && json=$(h s2sctl show --json) || return 1
	echo "$txt"; echo "$json"
	[[ $(head -n1 <<<"$txt") =~ ^s2s0:\ if-id\ 0,\ mtu\ [0-9]+,\ down,\ replay-window\ [0-9]+,\ dscp-copy\ off$ ]] &&
		[[ $json =~ ^\[\{\"ifname\":\"s2s0\",\"ifindex\":[0-9]+,\"if_id\":0,\"mtu\":[0-9]+,\"oper_up\":false,\"replay_window\":[0-9]+,\"dscp_copy\":false,\"stats\":\{.*\},\"ike_status\":\"unknown\",\"ike_reason\":null,\"sas\":\[\]\}\]$ ]] &&
		[ "$(sed -n 2p <<<"$txt")" = "  ike: unknown (s2sd is not reporting)" ]
}
run_test "s2sctl show: text and JSON of a real link" t_show_link

t_show_errors() {
	local out
	out=$(h s2sctl show nosuch0 2>&1)
	[ $? -eq 1 ] || return 1
	echo "$out"
	# the kernel's extack text follows the errno text
	[[ $out == "s2sctl: link-get nosuch0: "*": "?* ]] || return 1
	out=$(h s2sctl show lo 2>&1)
	[ $? -eq 1 ] || return 1
	echo "$out"
	[[ $out == "s2sctl: link-get lo: "*": "?* ]]
}
run_test "s2sctl show: errors carry the kernel's extack message" t_show_errors

t_once() {
	sa_add 0xc0010001 192.0.2.2 || return 1
	h s2sd --once -v >"$log.out" 2>"$log" || return 1
	cat "$log.out" "$log"
	[ ! -s "$log.out" ] &&
		grep -qx "s2sd: not an s2s SA: existing esp spi 0xc0010001 192.0.2.1 -> 192.0.2.2 if_id 7 link - mode tunnel reqid 5" "$log" &&
		! grep -Eq "$KEYPAT" "$log"
}
run_test "s2sd --once: dumps a real SA, without its key" t_once

s2sd_pid=
t_events() {
	# not through h(): $! must be s2sd itself (ip netns exec execs it)
	ip netns exec hlp s2sd -f -v >"$log" 2>&1 &
	s2sd_pid=$!
	defer "kill $s2sd_pid"
	wait_for 20 grep -q "watching XFRM SAs" "$log" || return 1
	sa_add 0xc0010002 192.0.2.3 &&
		h ip xfrm state update src 192.0.2.1 dst 192.0.2.3 proto esp \
			spi 0xc0010002 reqid 5 mode tunnel \
			aead 'rfc4106(gcm(aes))' $KEY 128 if_id 7 &&
		h ip xfrm state delete src 192.0.2.1 dst 192.0.2.3 proto esp spi 0xc0010002 &&
		sa_add 0xc0010003 192.0.2.4 limit time-hard 1 || return 1
	wait_for 30 grep -q "expire-hard esp spi 0xc0010003" "$log"
	cat "$log"
	grep -q "not an s2s SA: new esp spi 0xc0010002 192.0.2.1 -> 192.0.2.3 if_id 7 link -" "$log" &&
		grep -q "not an s2s SA: update esp spi 0xc0010002 " "$log" &&
		grep -q "not an s2s SA: delete esp spi 0xc0010002 192.0.2.1 -> 192.0.2.3 if_id 7 link - mode tunnel reqid 5" "$log" &&
		grep -q "not an s2s SA: expire-hard esp spi 0xc0010003 192.0.2.1 -> 192.0.2.4 if_id 7" "$log" &&
		! grep -Eq "$KEYPAT" "$log"
}
run_test "s2sd: new, update, delete and hard-expire events, without keys" t_events

existing_flood() {
	[ "$(grep -c "not an s2s SA: existing esp spi 0x0001[0-9a-f]\{4\} 192.0.2.1 -> 192.0.2.5 if_id 7" "$log")" -ge 1000 ]
}

t_enobufs() {
	local i rc
	# a stopped s2sd cannot drain its socket: 1000 SAs overflow it
	kill -STOP "$s2sd_pid" || return 1
	for ((i = 0; i < 1000; i++)); do
		echo "xfrm state add src 192.0.2.1 dst 192.0.2.5 proto esp spi $((0x10000 + i)) reqid 5 mode tunnel aead rfc4106(gcm(aes)) $KEY 128 if_id 7"
	done | h ip -batch -
	rc=$?
	kill -CONT "$s2sd_pid"
	[ $rc -eq 0 ] || return 1
	wait_for 120 grep -q "XFRM events were lost" "$log" &&
		wait_for 120 existing_flood || { tail -n 5 "$log"; return 1; }
	grep "XFRM events were lost" "$log"
	! grep -Eq "$KEYPAT" "$log"
}
run_test "s2sd: lost events (ENOBUFS) trigger a full re-dump" t_enobufs

t_flush() {
	# a flush concerns s2s SAs whenever s2s links exist: reported as such
	h ip xfrm state flush || return 1
	wait_for 20 grep -q "s2sd: flush" "$log"
	tail -n 3 "$log"
	grep -qx "s2sd: flush any" "$log"
}
run_test "s2sd: a flush is reported while s2s links exist" t_flush

t_sigterm() {
	local rc
	kill -TERM "$s2sd_pid" || return 1
	wait "$s2sd_pid"
	rc=$?
	tail -n 2 "$log"
	[ $rc -eq 0 ] && grep -q "Terminated: stopping" "$log"
}
run_test "s2sd: SIGTERM stops it cleanly (exit 0)" t_sigterm

t_link_set() {
	h s2sctl link set s2s0 if-id 7 || return 1
	h s2sctl show s2s0 | head -n1 | grep -q '^s2s0: if-id 7, ' &&
		h s2sctl show s2s0 --json | grep -q '"if_id":7,'
}
run_test "s2sctl link set: s2s0 takes if-id 7" t_link_set

t_match_once() {
	sa_add 0xc0010010 192.0.2.6 &&
		sa_add_if_id 8 0xc0010011 192.0.2.6 || return 1
	h s2sd --once -v >"$log.out" 2>"$log" || return 1
	cat "$log.out" "$log"
	# ours on stdout, with the link's name; the if_id 8 one is not ours
	[ "$(cat "$log.out")" = "existing esp spi 0xc0010010 192.0.2.1 -> 192.0.2.6 if_id 7 link s2s0 mode tunnel reqid 5" ] &&
		grep -qx "s2sd: not an s2s SA: existing esp spi 0xc0010011 192.0.2.1 -> 192.0.2.6 if_id 8 link - mode tunnel reqid 5" "$log" &&
		! grep -Eq "$KEYPAT" "$log.out" "$log"
}
run_test "s2sd --once: an if_id 7 SA belongs to s2s0, an if_id 8 one not" t_match_once

t_match_events() {
	local pid rc
	ip netns exec hlp s2sd -f -v >"$log" 2>&1 &
	pid=$!
	defer "kill $pid"
	wait_for 20 grep -q "watching XFRM SAs of 1 s2s link" "$log" || { cat "$log"; return 1; }
	sa_add 0xc0010012 192.0.2.7 &&
		h ip xfrm state delete src 192.0.2.1 dst 192.0.2.7 proto esp spi 0xc0010012 || return 1
	wait_for 30 grep -q "delete esp spi 0xc0010012" "$log" || { cat "$log"; return 1; }
	# s2sd looks the links up again for every batch: a new if-id counts
	h s2sctl link set s2s0 if-id 9 &&
		sa_add 0xc0010013 192.0.2.8 || return 1
	wait_for 30 grep -q "new esp spi 0xc0010013" "$log"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	cat "$log"
	[ $rc -eq 0 ] &&
		grep -qx "s2sd: new esp spi 0xc0010012 192.0.2.1 -> 192.0.2.7 if_id 7 link s2s0 mode tunnel reqid 5" "$log" &&
		grep -qx "s2sd: delete esp spi 0xc0010012 192.0.2.1 -> 192.0.2.7 if_id 7 link s2s0 mode tunnel reqid 5" "$log" &&
		grep -qx "s2sd: not an s2s SA: new esp spi 0xc0010013 192.0.2.1 -> 192.0.2.8 if_id 7 link - mode tunnel reqid 5" "$log" &&
		! grep -Eq "$KEYPAT" "$log"
}
run_test "s2sd: events matched to s2s0 by if-id, and no more once it changes" t_match_events

ktap_finished
