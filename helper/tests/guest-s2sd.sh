#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# s2sd forwarding charon's SAs from XFRM into s2s, in the QEMU test bed:
#   selftests/qemu/run.sh --kernel BUNDLE --module s2s.ko \
#       --bin helper/s2sctl --bin helper/s2sd helper/tests/guest-s2sd.sh
#
# lib.sh's topology (LAN A - GW A - WAN - GW B - LAN B). Both gateways have
# s2s0 with if-id 42 and run s2sd. The SAs are put into XFRM with
# `ip xfrm state add ... if_id 42`, as charon's kernel-netlink backend
# does (inbound ones with a mark, as mark_in_sa = yes does), and must show
# up in the module: traffic crosses as ESP with exact counts, a delete and
# re-add of the same SPI and keys with a new address keeps the sequence
# numbers, deletes and flushes reach the module, s2sd restarts under
# traffic lose nothing, and XFRM's counters follow the module's. No key
# digit may appear in s2sd's log. The tunnel status a killed s2sd
# reported is withdrawn by the module.

source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh"

require_root
require_cmd ip ping tcpdump s2sctl s2sd modprobe
[ -d /sys/module/s2s ] || require_module s2s

IF_ID=42
MARK=0x2a
GWA_WAN4_NEW=192.0.2.11
KEYPAT='000102030405|0405060708|c0ffee0|2122232425|4041424344'
tmp=$(mktemp -d)
defer "rm -rf $tmp"

ktap_header
ktap_plan 19

declare -A S2SD_PID

# s2sd_start GW: s2sd in GW's namespace, counters copied every second.
s2sd_start() {
	# not through nsx: $! must be s2sd itself
	ip netns exec "$1" s2sd -f -i 1 >>"$tmp/$1.log" 2>&1 &
	S2SD_PID[$1]=$!
	defer "kill ${S2SD_PID[$1]} 2>/dev/null"
	wait_for 20 grep -q "watching XFRM SAs" "$tmp/$1.log"
}

s2sd_stop() {
	kill -TERM "${S2SD_PID[$1]}" && wait "${S2SD_PID[$1]}"
}

# xsa GW DIR SPI SRC DST [extra]: an XFRM SA as charon installs it.
xsa() {
	local gw=$1 dir=$2 spi=$3 src=$4 dst=$5
	shift 5
	# shellcheck disable=SC2086 # XFRM_ALGS is an argument list
	nsx "$gw" ip xfrm state add src "$src" dst "$dst" proto esp spi "$spi" \
		reqid 1 mode tunnel $XFRM_ALGS if_id $IF_ID \
		$([ "$dir" = in ] && echo mark $MARK) "$@"
}

# xmove GW DIR SPI OLD_SRC NEW_SRC DST: what charon does when an address
# changes (MOBIKE, NAT): delete the SA and add it again with the same SPI
# and keys, back to back from one process (one `ip -batch`).
xmove() {
	local gw=$1 dir=$2 spi=$3 old=$4 new=$5 dst=$6 mark=
	[ "$dir" = in ] && mark="mark $MARK"
	printf '%s\n' \
		"xfrm state del src $old dst $dst proto esp spi $spi $mark" \
		"xfrm state add src $new dst $dst proto esp spi $spi reqid 1 mode tunnel $XFRM_ALGS if_id $IF_ID $mark" |
		nsx "$gw" ip -batch -
}

# xsa_pair SPI_AB SPI_BA: the four SAs of one tunnel (A->B, B->A).
xsa_pair() {
	xsa gwa out "$1" "$GWA_WAN4" "$GWB_WAN4" &&
		xsa gwa in "$2" "$GWB_WAN4" "$GWA_WAN4" &&
		xsa gwb in "$1" "$GWA_WAN4" "$GWB_WAN4" &&
		xsa gwb out "$2" "$GWB_WAN4" "$GWA_WAN4"
}

# has_sa GW DIR SPI: the module has it.
has_sa() {
	nsx "$1" s2sctl sa get s2s0 dir "$2" spi "$3" >/dev/null 2>&1
}

no_sa() {
	! has_sa "$@"
}

stat() {
	s2s_sa_stat "$@"
}

sa_seq() {
	nsx "$1" s2sctl sa get s2s0 dir "$2" spi "$3" --json |
		tr -d ' \n' | grep -o '"seq":[0-9]*' | cut -d: -f2
}

t_setup() {
	esp_alg_keys aes-gcm-128 || return 1
	topo_create || return 1
	for gw in gwa gwb; do
		nsx $gw ip link add s2s0 type s2s &&
			nsx $gw s2sctl link set s2s0 if-id $IF_ID &&
			nsx $gw ip link set s2s0 up &&
			s2s_routes $gw &&
			s2sd_start $gw || return 1
	done
}
run_test "setup: s2s0 with if-id $IF_ID and s2sd on both gateways" t_setup

t_forward() {
	xsa_pair $SPI_AB $SPI_BA || return 1
	wait_for 10 has_sa gwa out $SPI_AB && wait_for 10 has_sa gwa in $SPI_BA &&
		wait_for 10 has_sa gwb in $SPI_AB && wait_for 10 has_sa gwb out $SPI_BA || {
		cat "$tmp"/gw?.log; return 1; }
	nsx gwa s2sctl sa show s2s0
	nsx gwa s2sctl sa show s2s0 | grep -q "sa out spi 0x1000a001" &&
		nsx gwa s2sctl sa get s2s0 dir in spi $SPI_BA --json | tr -d ' \n' |
			grep -q "\"local\":\"$GWA_WAN4\",\"remote\":\"$GWB_WAN4\"" &&
		grep -q "s2s0: added inbound SA spi 0x1000b001 from XFRM" "$tmp/gwa.log" &&
		grep -q "s2s0: added outbound SA spi 0x1000a001 from XFRM" "$tmp/gwa.log"
}
run_test "XFRM SAs with the link's if_id are forwarded, direction by address" t_forward

t_ping() {
	local cap=$tmp/wan.pcap
	wan_capture_start "$cap" || return 1
	nsx lana ping -c 5 -i 0.2 -W 5 -p a5c3a5c3 "$LANB_HOST4" | tail -n 2
	wan_capture_stop
	[ "$(stat gwa s2s0 out $SPI_AB tx_packets)" = 5 ] &&
		[ "$(stat gwb s2s0 in $SPI_AB rx_packets)" = 5 ] &&
		[ "$(stat gwb s2s0 out $SPI_BA tx_packets)" = 5 ] &&
		[ "$(stat gwa s2s0 in $SPI_BA rx_packets)" = 5 ] &&
		wan_only_esp "$cap" $SPI_AB $SPI_BA
}
run_test "ping LAN A -> LAN B: 5 each way, only ESP on the WAN" t_ping

xfrm_matches() {
	local gw=$1 dir=$2 spi=$3 field=$4
	[ "$(xfrm_counts "$gw" "$spi")" = "$(stat "$gw" s2s0 "$dir" "$spi" "${field}_bytes") $(stat "$gw" s2s0 "$dir" "$spi" "${field}_packets")" ]
}

t_counters() {
	wait_for 10 xfrm_matches gwa out $SPI_AB tx &&
		wait_for 10 xfrm_matches gwa in $SPI_BA rx &&
		wait_for 10 xfrm_matches gwb in $SPI_AB rx || {
		nsx gwa ip -s xfrm state list; return 1; }
	echo "gwa out: xfrm $(xfrm_counts gwa $SPI_AB), gwb in: xfrm $(xfrm_counts gwb $SPI_AB)"
	[ "$(xfrm_counts gwa $SPI_AB | cut -d' ' -f2)" = 5 ]
}
run_test "XFRM counters (NEWAE) equal the module's, marked inbound SA included" t_counters

t_unsupported() {
	nsx gwa ip xfrm state add src "$GWB_WAN4" dst "$GWA_WAN4" proto esp \
		spi 0x1000c001 reqid 1 mode tunnel enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f \
		auth 'hmac(md5)' 0x000102030405060708090a0b0c0d0e0f if_id $IF_ID || return 1
	wait_for 10 grep -q "spi 0x1000c001.*hmac(md5) is not supported" "$tmp/gwa.log" || return 1
	grep "spi 0x1000c001" "$tmp/gwa.log"
	no_sa gwa in 0x1000c001 &&
		nsx gwa ip xfrm state del src "$GWB_WAN4" dst "$GWA_WAN4" proto esp spi 0x1000c001
}
run_test "an unsupported algorithm is named in the log and not forwarded" t_unsupported

t_other_if_id() {
	nsx gwa ip xfrm state add src "$GWB_WAN4" dst "$GWA_WAN4" proto esp \
		spi 0x1000d001 reqid 1 mode tunnel $XFRM_ALGS if_id 43 || return 1
	sleep 1
	no_sa gwa in 0x1000d001 && ! grep -q "0x1000d001" "$tmp/gwa.log" &&
		nsx gwa ip xfrm state del src "$GWB_WAN4" dst "$GWA_WAN4" proto esp spi 0x1000d001
}
run_test "an SA with another if_id is left alone" t_other_if_id

# The tunnel is up (SAs in XFRM) when the link is made or given its
# if-id: no XFRM event follows, s2sd must notice the link (at its next
# counter copy, every second here) and forward what XFRM holds.
t_late_link() {
	nsx gwa ip xfrm state add src "$GWB_WAN4" dst "$GWA_WAN4" proto esp \
		spi 0x1000e001 reqid 1 mode tunnel $XFRM_ALGS if_id 44 mark $MARK &&
		nsx gwa ip link add s2s5 type s2s || return 1
	sleep 1.5
	nsx gwa s2sctl sa get s2s5 dir in spi 0x1000e001 >/dev/null 2>&1 && {
		echo "forwarded before the link had the if-id"; return 1; }
	nsx gwa s2sctl link set s2s5 if-id 44 || return 1
	if ! wait_for 5 nsx gwa s2sctl sa get s2s5 dir in spi 0x1000e001; then
		tail -n 5 "$tmp/gwa.log"
		return 1
	fi
	nsx gwa ip xfrm state del src "$GWB_WAN4" dst "$GWA_WAN4" proto esp \
		spi 0x1000e001 mark $MARK &&
		wait_for 5 eval "! nsx gwa s2sctl sa get s2s5 dir in spi 0x1000e001 >/dev/null 2>&1" &&
		nsx gwa ip link del s2s5
}
run_test "a link given its if-id after XFRM has the SAs gets them" t_late_link

# move GW A to a new WAN address the way charon does (MOBIKE): delete and
# add again, same SPIs and keys, new endpoints.
t_address_update() {
	local seq_out seq_in after_out after_in
	seq_out=$(sa_seq gwa out $SPI_AB) && seq_in=$(sa_seq gwb in $SPI_AB) || return 1
	echo "before: gwa out seq $seq_out, gwb in seq $seq_in"
	[ "$seq_out" -ge 5 ] || return 1
	nsx gwa ip addr add $GWA_WAN4_NEW/24 dev wan0 &&
		xmove gwa out $SPI_AB "$GWA_WAN4" $GWA_WAN4_NEW "$GWB_WAN4" &&
		xmove gwb in $SPI_AB "$GWA_WAN4" $GWA_WAN4_NEW "$GWB_WAN4" || return 1
	wait_for 10 grep -q "outbound SA spi 0x1000a001 now local $GWA_WAN4_NEW" "$tmp/gwa.log" &&
		wait_for 10 grep -q "inbound SA spi 0x1000a001 now local $GWB_WAN4, remote $GWA_WAN4_NEW" "$tmp/gwb.log" ||
		{ cat "$tmp"/gw?.log; return 1; }
	sleep 1		# past the grace: nothing may delete them now
	after_out=$(sa_seq gwa out $SPI_AB) && after_in=$(sa_seq gwb in $SPI_AB) || return 1
	echo "after: gwa out seq $after_out, gwb in seq $after_in"
	[ "$after_out" = "$seq_out" ] && [ "$after_in" = "$seq_in" ] || return 1
	local cap=$tmp/wan2.pcap
	wan_capture_start "$cap" || return 1
	nsx lana ping -c 3 -i 0.2 -W 5 "$LANB_HOST4" | tail -n 2
	wan_capture_stop
	tcpdump -r "$cap" -n 2>/dev/null | grep -q "$GWA_WAN4_NEW > $GWB_WAN4: ESP(spi=$SPI_AB,seq=0x$(printf %x $((seq_out + 1))))" &&
		[ "$(sa_seq gwa out $SPI_AB)" = $((seq_out + 3)) ] &&
		[ "$(stat gwb s2s0 in $SPI_AB replay)" = 0 ]
}
run_test "delete + add, same SPI and keys, new address: endpoint update, seq kept" t_address_update

t_delete() {
	nsx gwa ip xfrm state del src "$GWB_WAN4" dst "$GWA_WAN4" proto esp spi $SPI_BA mark $MARK || return 1
	wait_for 5 no_sa gwa in $SPI_BA &&
		grep -q "deleted inbound SA spi 0x1000b001 (deleted from XFRM)" "$tmp/gwa.log"
}
run_test "ip xfrm state del removes the SA from the module" t_delete

t_flush() {
	nsx gwb ip xfrm state flush || return 1
	wait_for 5 no_sa gwb in $SPI_AB && wait_for 5 no_sa gwb out $SPI_BA &&
		[ -z "$(nsx gwb s2sctl sa show s2s0)" ]
}
run_test "ip xfrm state flush removes every SA of the link" t_flush

t_restart() {
	local out
	xfrm_flush gwa
	SPI_AB=0x2000a001 SPI_BA=0x2000b001
	xsa_pair $SPI_AB $SPI_BA &&
		wait_for 10 has_sa gwa out $SPI_AB && wait_for 10 has_sa gwa in $SPI_BA &&
		wait_for 10 has_sa gwb in $SPI_AB && wait_for 10 has_sa gwb out $SPI_BA || return 1
	nsx lana ping -c 60 -i 0.1 -W 5 "$LANB_HOST4" >"$tmp/ping" 2>&1 &
	local ping=$!
	sleep 1
	s2sd_stop gwa && s2sd_start gwa && s2sd_stop gwb && s2sd_start gwb || return 1
	wait $ping
	tail -n 2 "$tmp/ping"
	grep -q "60 packets transmitted, 60 received, 0% packet loss" "$tmp/ping" &&
		grep -q "outbound SA spi 0x2000a001 is already in the module: kept as it is" "$tmp/gwa.log" &&
		[ "$(sa_seq gwa out $SPI_AB)" = 60 ] &&
		[ "$(stat gwb s2s0 in $SPI_AB rx_packets)" = 60 ]
}
run_test "s2sd restarts under continuous ping: 60 of 60 answered, seq 60" t_restart

t_reconcile() {
	s2sd_stop gwa || return 1
	nsx gwa ip xfrm state del src "$GWB_WAN4" dst "$GWA_WAN4" proto esp spi $SPI_BA mark $MARK &&
		xsa gwa in 0x3000b001 "$GWB_WAN4" "$GWA_WAN4" || return 1
	has_sa gwa in $SPI_BA && no_sa gwa in 0x3000b001 || return 1
	s2sd_start gwa || return 1
	wait_for 5 no_sa gwa in $SPI_BA && wait_for 5 has_sa gwa in 0x3000b001 &&
		has_sa gwa out $SPI_AB
}
run_test "start-up reconciles: gone from XFRM -> deleted, new in XFRM -> added" t_reconcile

t_module_event() {
	# a packet limit only the module can count: soft after 2, hard after 4
	xsa gwa out 0x4000a001 "$GWA_WAN4" "$GWB_WAN4" limit packet-soft 2 limit packet-hard 4 &&
		wait_for 10 has_sa gwa out 0x4000a001 || return 1
	nsx gwa s2sctl sa get s2s0 dir out spi 0x4000a001
	nsx lana ping -c 3 -i 0.2 -W 1 "$LANB_HOST4" >/dev/null
	wait_for 10 grep -q "module event: soft-expire s2s0 sa out spi 0x4000a001" "$tmp/gwa.log" ||
		{ tail -n 20 "$tmp/gwa.log"; return 1; }
	grep "module event" "$tmp/gwa.log"
}
run_test "module events (soft expiry of a forwarded packet limit) are logged" t_module_event

t_hard_expire() {
	xsa gwa in 0x5000b001 "$GWB_WAN4" "$GWA_WAN4" limit time-hard 2 &&
		wait_for 10 has_sa gwa in 0x5000b001 || return 1
	wait_for 10 no_sa gwa in 0x5000b001 &&
		grep -q "deleted inbound SA spi 0x5000b001 (hard lifetime expired in XFRM)" "$tmp/gwa.log"
}
run_test "XFRM hard expiry deletes at once" t_hard_expire

xfrm_add_time() {
	nsx "$1" ip -s xfrm state list spi "$2" | grep -o 'add [0-9-]* [0-9:]*'
}

t_newae_keeps_time() {
	local before after
	# NEWAE carries add_time back: XFRM's time lifetimes count from it
	xsa gwb out 0x6000b001 "$GWB_WAN4" "$GWA_WAN4" limit time-hard 20 &&
		wait_for 15 has_sa gwb out 0x6000b001 ||
		{ echo "not forwarded"; tail -n 5 "$tmp/gwb.log"; return 1; }
	before=$(xfrm_add_time gwb 0x6000b001) || { echo "no add_time"; return 1; }
	sleep 1.5	# a later add_time would show as another second
	nsx lanb ping -c 2 -i 0.2 -W 1 "$LANA_HOST4" >/dev/null
	wait_for 15 xfrm_matches gwb out 0x6000b001 tx ||
		{ echo "counters not copied: $(xfrm_counts gwb 0x6000b001)"; return 1; }
	after=$(xfrm_add_time gwb 0x6000b001)
	echo "before: $before, after: $after, counts $(xfrm_counts gwb 0x6000b001)"
	[ "$before" = "$after" ] && [ "$(xfrm_counts gwb 0x6000b001 | cut -d' ' -f2)" = 2 ] &&
		wait_for 30 no_sa gwb out 0x6000b001
}
run_test "counter copies keep XFRM's add_time (time lifetime unchanged)" t_newae_keeps_time

# every algorithm s2s runs, forwarded from real kernel messages (the
# kernel sends auth algorithms twice: plain and with their truncation)
t_algs() {
	local alg n=0 fail=0 ab ba
	for alg in $ESP_ALGS; do
		n=$((n + 1))
		ab=$(printf 0x7000a%03x $n) ba=$(printf 0x7000b%03x $n)
		xfrm_flush gwa; xfrm_flush gwb
		esp_alg_keys "$alg" || return 1
		xsa_pair "$ab" "$ba" &&
			wait_for 10 has_sa gwa out "$ab" && wait_for 10 has_sa gwa in "$ba" &&
			wait_for 10 has_sa gwb in "$ab" && wait_for 10 has_sa gwb out "$ba" &&
			nsx lana ping -c 2 -i 0.2 -W 5 "$LANB_HOST4" >/dev/null &&
			[ "$(stat gwb s2s0 in "$ab" rx_packets)" = 2 ] &&
			[ "$(stat gwa s2s0 in "$ba" rx_packets)" = 2 ] || {
			echo "$alg: not forwarded or no traffic"; fail=1; }
	done
	esp_alg_keys aes-gcm-128
	xfrm_flush gwa; xfrm_flush gwb
	grep "not forwarding" "$tmp"/gw?.log | grep -v 0x1000c001
	[ $fail = 0 ]
}
run_test "every supported algorithm is forwarded and carries traffic" t_algs

# The tunnel status of a killed s2sd: its reports are bound to its
# netlink socket, and the module withdraws them once that socket is
# released. No charon here, on purpose: s2sd then reports "charon not
# reachable", which it binds like any report but its last. A namespace
# of its own, so that this s2sd forwards nothing of the gateways'.
IKEW=ikew

ikew_start() {
	# not through nsx: $! must be s2sd itself
	ip netns exec $IKEW s2sd -f --vici "$tmp/no-charon.vici" >>"$tmp/ikew.log" 2>&1 &
	S2SD_PID[ikew]=$!
	defer "kill ${S2SD_PID[ikew]} 2>/dev/null"
	wait_for 20 ike_status_is $IKEW s2s9 "unknown (s2sd: charon not reachable)" && return
	echo "status: '$(ike_status $IKEW s2s9)'"
	tail -n 5 "$tmp/ikew.log"
	return 1
}

ikew_kill() {
	kill -KILL "${S2SD_PID[ikew]}" || return 1
	wait "${S2SD_PID[ikew]}" 2>/dev/null
	return 0
}

t_killed_withdrawn() {
	ip netns add $IKEW && defer "ip netns del $IKEW" || return 1
	ip -n $IKEW link add s2s9 type s2s &&
		ip netns exec $IKEW s2sctl link set s2s9 if-id 99 &&
		ip -n $IKEW link set s2s9 up &&
		ikew_start || return 1
	# stopped: its last report is not bound, nothing to withdraw
	kmsg_mark "guest-s2sd: s2sd stopped"
	kill -TERM "${S2SD_PID[ikew]}" && wait "${S2SD_PID[ikew]}" &&
		ike_status_is $IKEW s2s9 "unknown (s2sd is not reporting)" || return 1
	sleep 1
	if kmsg_since "guest-s2sd: s2sd stopped" | grep "IKE status back to unknown"; then
		echo "a report withdrawn after a clean stop"
		return 1
	fi
	ikew_start || return 1
	kmsg_mark "guest-s2sd: s2sd killed"
	ikew_kill || return 1
	if ! wait_for 10 ike_status_is $IKEW s2s9 "unknown (s2sd is not reporting)"; then
		echo "after kill -9: '$(ike_status $IKEW s2s9)'"
		return 1
	fi
	kmsg_since "guest-s2sd: s2sd killed" | grep "s2s9: IKE status back to unknown" &&
		! grep "predates ike-until-close" "$tmp/ikew.log"	# guest-skew.sh's case
}
run_test "s2sd killed: the module withdraws its report (a clean stop leaves none bound)" t_killed_withdrawn

# A link deleted while its report is bound drops the socket reference
# itself; the release that follows finds nothing left.
t_link_gone_first() {
	ikew_start || return 1
	ip -n $IKEW link del s2s9 || return 1
	kmsg_mark "guest-s2sd: link gone"
	ikew_kill || return 1
	sleep 1
	if kmsg_since "guest-s2sd: link gone" | grep "IKE status back to unknown"; then
		echo "a deleted link's report withdrawn"
		return 1
	fi
	ip netns exec $IKEW s2sctl show
}
run_test "a link deleted while s2sd's report is bound takes the report along; the kill then withdraws nothing" t_link_gone_first

t_no_keys() {
	cat "$tmp"/gw?.log | tail -n 30
	! grep -Eq "$KEYPAT" "$tmp"/gw?.log
}
run_test "no key byte in s2sd's logs" t_no_keys

ktap_finished
