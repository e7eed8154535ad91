#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rekey without loss: while LAN A pings LAN B every 10 ms, both directions
# move to new SAs the way IKEv2 does it (new inbound first, then the
# outbound swap, old SAs deleted afterwards). Every echo must be answered,
# and the old and new outbound SAs together must have carried exactly the
# echo requests sent. After a rekey collision, the redundant SA is deleted
# while it is the one sending; the other takes over without a loss.
#
# Then the race s2sd cannot win alone: the peer sends under a new SPI that
# charon has already installed into XFRM (with the link's if-id, inert by
# its mark) but s2sd has not forwarded yet. s2s holds that ESP until the SA
# arrives (pending.c), drops and counts each packet as no-sa on the link
# after 3 s if it never does, and leaves ESP for SAs of other if-ids to XFRM. Earlier still, the
# peer (responder to a Child rekey) sends before charon here has the keys:
# the SPI is only allocated (a larval XFRM state).
#
#   lana --- gwa [s2s0] ===== wan ===== gwb [XFRM | s2s0] --- lanb

source "$(dirname "$0")/lib.sh"

require_cmd ip s2sctl ping

COUNT=500
SPI_AB2=0x2000a002
SPI_BA2=0x2000b002

ktap_plan 7
modprobe s2s || ktap_skip_all "s2s module not available"
topo_create --lan-routes || ktap_skip_all "cannot build the topology"
esp_alg_keys aes-gcm-256
esp_outer 4
XFRM_FLAGS=

# rekey_gwb_xfrm / rekey_gwb_s2s: the peer's half of the rekey.
rekey() {
	local peer=$1
	# 1. Both sides install the new inbound SAs.
	s2s_sa gwa s2s0 in "$SPI_BA2" "$OUT_A" "$OUT_B" || return 1
	if [ "$peer" = xfrm ]; then
		nsx gwb ip xfrm state add src "$OUT_A" dst "$OUT_B" proto esp \
			spi "$SPI_AB2" mode tunnel flag af-unspec $XFRM_ALGS || return 1
	else
		s2s_sa gwb s2s0 in "$SPI_AB2" "$OUT_B" "$OUT_A" || return 1
	fi
	# 2. Both swap their outbound SA (s2s: one pointer; XFRM: the newer
	#    state of the pair wins).
	s2s_sa gwa s2s0 out "$SPI_AB2" "$OUT_A" "$OUT_B" || return 1
	if [ "$peer" = xfrm ]; then
		nsx gwb ip xfrm state add src "$OUT_B" dst "$OUT_A" proto esp \
			spi "$SPI_BA2" mode tunnel flag af-unspec $XFRM_ALGS || return 1
	else
		s2s_sa gwb s2s0 out "$SPI_BA2" "$OUT_B" "$OUT_A" || return 1
	fi
	sleep 1
	# 3. Old SAs go once nothing uses them any more.
	nsx gwa s2sctl sa del s2s0 dir out spi "$SPI_AB" &&
		nsx gwa s2sctl sa del s2s0 dir in spi "$SPI_BA" || return 1
	if [ "$peer" = xfrm ]; then
		nsx gwb ip xfrm state delete src "$OUT_A" dst "$OUT_B" proto esp spi "$SPI_AB" &&
			nsx gwb ip xfrm state delete src "$OUT_B" dst "$OUT_A" proto esp spi "$SPI_BA"
	else
		nsx gwb s2sctl sa del s2s0 dir out spi "$SPI_BA" &&
			nsx gwb s2sctl sa del s2s0 dir in spi "$SPI_AB"
	fi
}

t_rekey() {
	local peer=$1 log pid out_old out_new got
	s2s_gw gwa "$SPI_BA" "$SPI_AB" "$OUT_A" "$OUT_B" && s2s_routes gwa || return 1
	if [ "$peer" = xfrm ]; then
		xfrm_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" \
			"$LANB_NET4" "$LANA_NET4" replay-window 128 || return 1
	else
		s2s_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" && s2s_routes gwb || return 1
	fi
	nsx lana ping -c 2 -W 5 "$LANB_HOST4" >/dev/null || return 1

	log=$(mktemp)
	ip netns exec lana ping -c "$COUNT" -i 0.01 -W 5 "$LANB_HOST4" >"$log" 2>&1 &
	pid=$!
	sleep 1
	# Counters of the old outbound SA just before it is replaced.
	rekey "$peer" || { kill "$pid"; return 1; }
	wait "$pid"
	cat "$log"
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$log")
	[ "$got" = "$COUNT" ] || { echo "lost $((COUNT - got)) of $COUNT echoes across the rekey"; return 1; }
	out_new=$(s2s_sa_stat gwa s2s0 out "$SPI_AB2" tx_packets)
	[ "$out_new" -gt 0 ] || { echo "new outbound SA carried nothing"; return 1; }
	# The old SA is gone; the link counters saw every packet exactly once.
	out_old=$(nsx gwa s2sctl show --json | tr -d ' \n' | grep -o '"tx_packets":[0-9]*' | head -n1 | cut -d: -f2)
	[ "$out_old" = $((COUNT + 2)) ] || { echo "link sent $out_old packets, want $((COUNT + 2))"; return 1; }
}

run_test "rekey under 100 pps with an XFRM peer: nothing lost" t_rekey xfrm
nsx gwa ip link del s2s0
xfrm_flush gwb
nsx gwb ip route replace "$LANA_NET4" via "$GWA_WAN4"
run_test "rekey under 100 pps between two s2s gateways: nothing lost" t_rekey s2s

# A rekey collision: both peers started a rekey, so two new SAs exist per
# direction and IKEv2 deletes the redundant one, which may be the one gwa
# installed last. gwa's link must go back to the SA that stays (SPI_AB2)
# at once, not stop sending until the next rekey.
SPI_AB7=0x2000a007
collision() {
	local log pid got before after
	s2s_sa gwb s2s0 in "$SPI_AB7" "$OUT_B" "$OUT_A" &&
		s2s_sa gwa s2s0 out "$SPI_AB7" "$OUT_A" "$OUT_B" || return 1
	nsx lana ping -c 2 -W 5 "$LANB_HOST4" >/dev/null || return 1
	[ "$(s2s_sa_stat gwa s2s0 out "$SPI_AB7" tx_packets)" -gt 0 ] || { echo "the SA installed last is not sending"; return 1; }
	before=$(s2s_sa_stat gwa s2s0 out "$SPI_AB2" tx_packets)
	log=$(mktemp)
	ip netns exec lana ping -c 200 -i 0.01 -W 5 "$LANB_HOST4" >"$log" 2>&1 &
	pid=$!
	sleep 0.5
	nsx gwa s2sctl sa del s2s0 dir out spi "$SPI_AB7" || { kill "$pid"; return 1; }
	wait "$pid"
	tail -n 2 "$log"
	nsx gwb s2sctl sa del s2s0 dir in spi "$SPI_AB7" || return 1
	after=$(s2s_sa_stat gwa s2s0 out "$SPI_AB2" tx_packets)
	# Not the link's no-sa drops: with the carrier off the stack drops
	# the packets before s2s0 sees them.
	echo "SPI_AB2 sent $before -> $after; s2s0 carrier $(nsx gwa cat /sys/class/net/s2s0/carrier)"
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$log")
	rm -f "$log"
	[ "$got" = 200 ] || { echo "lost $((200 - got)) of 200 echoes"; return 1; }
	[ "$after" -gt "$before" ] || { echo "the remaining SA did not take over"; return 1; }
}
# Whatever failed, the tests after this one send under SPI_AB2.
t_collision() {
	local rc=0
	collision || rc=1
	nsx gwa s2sctl sa del s2s0 dir out spi "$SPI_AB7" 2>/dev/null
	nsx gwb s2sctl sa del s2s0 dir in spi "$SPI_AB7" 2>/dev/null
	return $rc
}
run_test "rekey collision: the SA installed last is deleted, the other takes over, nothing lost" t_collision

# From here gwa sends under SPI_AB2, which gwb's s2s0 knows.
IF_ID=7
SPI_AB3=0x2000a003
SPI_AB4=0x2000a004
SPI_AB5=0x2000a005
SPI_AB6=0x2000a006

# xfrm_copy SPI IF_ID: charon's copy of gwb's inbound SA in XFRM, as
# swanctl.conf's if_id_in and mark_in/mark_in_sa make it.
xfrm_copy() {
	# shellcheck disable=SC2086 # XFRM_ALGS is an argument list
	nsx gwb ip xfrm state add src "$OUT_A" dst "$OUT_B" proto esp spi "$1" \
		mode tunnel flag af-unspec if_id "$2" mark 0x5c2 mask 0xffffffff \
		$XFRM_ALGS
}

xfrm_no_states() {
	nsx gwb awk '$1 == "XfrmInNoStates" { print $2 }' /proc/net/xfrm_stat
}

# link_drop NS REASON: a link-wide drop counter of s2s0 (JSON key).
link_drop() {
	nsx "$1" s2sctl show s2s0 --json | tr -d ' \n' |
		sed 's/"sas":.*//' | grep -o "\"$2\":[0-9]*" | cut -d: -f2
}

link_drop_is() {
	[ "$(link_drop "$1" "$2")" = "$3" ]
}

t_held() {
	local log pid nostates got rx
	nsx gwb s2sctl link set s2s0 if-id "$IF_ID" && xfrm_copy "$SPI_AB3" "$IF_ID" || return 1
	nostates=$(xfrm_no_states)
	s2s_sa gwa s2s0 out "$SPI_AB3" "$OUT_A" "$OUT_B" || return 1
	log=$(mktemp)
	ip netns exec lana ping -c 10 -i 0.1 -W 8 "$LANB_HOST4" >"$log" 2>&1 &
	pid=$!
	sleep 2
	# s2sd is late: nothing answered yet, nothing left to XFRM
	got=$(grep -c 'bytes from' "$log")
	[ "$got" = 0 ] || { echo "$got echoes answered before the SA existed"; kill "$pid"; return 1; }
	s2s_sa gwb s2s0 in "$SPI_AB3" "$OUT_B" "$OUT_A" || { kill "$pid"; return 1; }
	wait "$pid"
	tail -n 2 "$log"
	grep -q "10 packets transmitted, 10 received" "$log" || return 1
	rx=$(s2s_sa_stat gwb s2s0 in "$SPI_AB3" rx_packets)
	[ "$rx" = 10 ] || { echo "new inbound SA decrypted $rx, want 10"; return 1; }
	[ "$(xfrm_no_states)" = "$nostates" ] || { echo "XFRM saw packets for the held SPI"; return 1; }
	[ "$(link_drop gwb no_sa)" = 0 ] || { echo "link counted no-sa drops"; return 1; }
}
run_test "ESP under a SPI charon installed but s2sd has not forwarded yet is held, then decrypted: 10 of 10" t_held

t_larval() {
	local log pid got
	# charon, initiating a rekey, allocates its new inbound SPI ...
	nsx gwb ip xfrm state allocspi src "$OUT_A" dst "$OUT_B" proto esp \
		mode tunnel min "$SPI_AB6" max "$SPI_AB6" >/dev/null || return 1
	# ... and its peer answers and sends under it at once
	s2s_sa gwa s2s0 out "$SPI_AB6" "$OUT_A" "$OUT_B" || return 1
	log=$(mktemp)
	ip netns exec lana ping -c 5 -i 0.05 -W 8 "$LANB_HOST4" >"$log" 2>&1 &
	pid=$!
	# packets wait at most 3 s: keep the two steps below close (each one
	# takes most of a second on the debug kernel under emulation)
	sleep 0.5
	got=$(grep -c 'bytes from' "$log")
	[ "$got" = 0 ] || { echo "$got echoes answered before the SA existed"; kill "$pid"; return 1; }
	# charon gets the answer and installs the keys (UPDSA), s2sd forwards
	# shellcheck disable=SC2086 # XFRM_ALGS is an argument list
	nsx gwb ip xfrm state update src "$OUT_A" dst "$OUT_B" proto esp spi "$SPI_AB6" \
		mode tunnel flag af-unspec if_id "$IF_ID" mark 0x5c2 mask 0xffffffff \
		$XFRM_ALGS || { kill "$pid"; return 1; }
	s2s_sa gwb s2s0 in "$SPI_AB6" "$OUT_B" "$OUT_A" || { kill "$pid"; return 1; }
	wait "$pid"
	tail -n 2 "$log"
	grep -q "5 packets transmitted, 5 received" "$log" &&
		[ "$(s2s_sa_stat gwb s2s0 in "$SPI_AB6" rx_packets)" = 5 ]
}
run_test "ESP under a SPI charon has only allocated (larval in XFRM) is held until keys and SA arrive: 5 of 5" t_larval

t_never() {
	local nostates drops
	xfrm_copy "$SPI_AB4" "$IF_ID" || return 1
	nostates=$(xfrm_no_states)
	drops=$(link_drop gwb no_sa)
	s2s_sa gwa s2s0 out "$SPI_AB4" "$OUT_A" "$OUT_B" || return 1
	nsx lana ping -c 5 -i 0.1 -W 1 "$LANB_HOST4" | tail -n 2
	# held for 3 s, then dropped on the link with the reason
	wait_for 10 link_drop_is gwb no_sa $((drops + 5)) ||
		{ echo "link no-sa: $(link_drop gwb no_sa), want $((drops + 5))"; return 1; }
	[ "$(xfrm_no_states)" = "$nostates" ] || { echo "XFRM saw packets while they were held"; return 1; }
	# The SPI stays the link's (for 30 s): later ESP is held and counted too.
	nsx lana ping -c 1 -W 1 "$LANB_HOST4" >/dev/null
	wait_for 10 link_drop_is gwb no_sa $((drops + 6)) ||
		{ echo "link no-sa: $(link_drop gwb no_sa), want $((drops + 6))"; return 1; }
	[ "$(xfrm_no_states)" = "$nostates" ]
}
run_test "... and if s2sd never forwards it, each packet is dropped after 3 s and counted no-sa on the link" t_never

t_other_if_id() {
	local nostates
	xfrm_copy "$SPI_AB5" 99 || return 1
	nostates=$(xfrm_no_states)
	s2s_sa gwa s2s0 out "$SPI_AB5" "$OUT_A" "$OUT_B" || return 1
	nsx lana ping -c 3 -i 0.1 -W 1 "$LANB_HOST4" | tail -n 2
	# straight to XFRM, no waiting: XFRM counts all three at once
	[ "$(xfrm_no_states)" = $((nostates + 3)) ] || { echo "XfrmInNoStates $(xfrm_no_states), want $((nostates + 3))"; return 1; }
}
run_test "ESP for an SA XFRM holds for another if-id is left to XFRM at once" t_other_if_id

ktap_finished
