#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sequence numbers and lifetimes: ESN traffic crossing 2^32 in both
# directions with the kernel's XFRM as the peer (high bits inferred on
# receive), 32-bit exhaustion that stops the SA instead of wrapping, a
# 65536-packet replay window, and soft/hard lifetimes by packets and time,
# each announced on the events group (seen with `s2sctl monitor`).
#
#   lana --- gwa [s2s0] ===== wan ===== gwb [XFRM] --- lanb

source "$(dirname "$0")/lib.sh"

require_cmd ip s2sctl ping

ktap_plan 6
modprobe s2s || ktap_skip_all "s2s module not available"
topo_create --lan-routes || ktap_skip_all "cannot build the topology"
esp_alg_keys aes-gcm-128
esp_outer 4

answered() {
	nsx "$1" ping -c "$3" -i 0.2 -W 2 "$2" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

monitor_start() {
	MONITOR_LOG=$(mktemp)
	ip netns exec gwa s2sctl monitor >"$MONITOR_LOG" 2>&1 &
	MONITOR_PID=$!
	sleep 0.5
}

# sa_state NS DIR SPI STATE: s2sctl reports the SA in STATE, in JSON and
# (unless active) in text.
sa_state() {
	local json
	json=$(nsx "$1" s2sctl sa get s2s0 dir "$2" spi "$3" --json)
	grep -q "\"state\":\"$4\"" <<<"$json" || { echo "not $4: $json"; return 1; }
	[ "$4" = active ] || nsx "$1" s2sctl sa show s2s0 | grep -q "state $4"
}

reset() {
	[ -z "${MONITOR_PID:-}" ] || stop_pid "$MONITOR_PID"
	nsx gwa ip link del s2s0 2>/dev/null
	xfrm_flush gwb
	return 0
}

# Both directions start 3 below 2^32: six pings and their replies carry
# sequence numbers 2^32 - 3 ... 2^32 + 2, sent as 32 bits on the wire.
t_esn_wrap() {
	local near=$((0xfffffffd)) seq
	XFRM_FLAGS=esn
	s2s_gw gwa "$SPI_BA" "$SPI_AB" "$OUT_A" "$OUT_B" esn seq $near &&
		s2s_routes gwa || return 1
	# XFRM: inbound window top and outbound counter just below 2^32 too.
	xfrm_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" "$LANB_NET4" "$LANA_NET4" \
		replay-window 128 replay-seq $near replay-oseq $near || return 1
	[ "$(answered lana "$LANB_HOST4" 6)" = 6 ] || { echo "pings lost across 2^32"; return 1; }
	seq=$(s2s_sa_stat gwa s2s0 out "$SPI_AB" seq)
	[ "$seq" = $((near + 6)) ] || { echo "outbound seq $seq, want $((near + 6))"; return 1; }
	seq=$(s2s_sa_stat gwa s2s0 in "$SPI_BA" seq)
	[ "$seq" = $((near + 6)) ] || { echo "inbound top $seq, want $((near + 6))"; return 1; }
}
run_test "ESN: traffic crosses 2^32 both ways with an XFRM peer" t_esn_wrap
reset

# Without ESN the last number is 2^32 - 1: two pings fit, the rest is
# dropped as seq-exhausted, the carrier goes and an event asks for a rekey.
t_exhaustion() {
	XFRM_FLAGS=
	monitor_start
	nsx gwa ip link add s2s0 type s2s &&
		s2s_sa gwa s2s0 in "$SPI_BA" "$OUT_A" "$OUT_B" &&
		s2s_sa gwa s2s0 out "$SPI_AB" "$OUT_A" "$OUT_B" seq $((0xfffffffd)) &&
		nsx gwa ip link set s2s0 up && s2s_routes gwa &&
		xfrm_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" "$LANB_NET4" "$LANA_NET4" \
			replay-window 128 replay-seq $((0xfffffff0)) || return 1
	local got
	got=$(answered lana "$LANB_HOST4" 4)
	nsx gwa s2sctl show
	[ "$got" = 2 ] || { echo "$got of 4 answered, want exactly 2"; return 1; }
	# The SA sent two and dropped what came after as seq-exhausted until
	# housekeeping took the carrier down; from then on the stack's noop
	# qdisc drops them before s2s sees them (how many each: timing).
	[ "$(s2s_sa_stat gwa s2s0 out "$SPI_AB" tx_packets)" = 2 ] || return 1
	[ "$(s2s_sa_stat gwa s2s0 out "$SPI_AB" seq_exhausted)" -ge 1 ] || return 1
	sa_state gwa out "$SPI_AB" seq-exhausted || return 1
	wait_for 3 sh -c 'ip -n gwa link show s2s0 | grep -q NO-CARRIER' ||
		{ echo "carrier still up"; return 1; }
	wait_for 5 grep -qi 'seq-exhausted' "$MONITOR_LOG" || { cat "$MONITOR_LOG"; return 1; }
	stop_pid "$MONITOR_PID"
}
run_test "32-bit sequence numbers never wrap: SA stops, carrier drops, event" t_exhaustion
reset

t_big_window() {
	XFRM_FLAGS=
	nsx gwa ip link add s2s0 type s2s &&
		s2s_sa gwa s2s0 in "$SPI_BA" "$OUT_A" "$OUT_B" replay-window 65536 &&
		s2s_sa gwa s2s0 out "$SPI_AB" "$OUT_A" "$OUT_B" &&
		nsx gwa ip link set s2s0 up && s2s_routes gwa &&
		xfrm_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" "$LANB_NET4" "$LANA_NET4" \
			replay-window 128 || return 1
	[ "$(s2s_sa_stat gwa s2s0 in "$SPI_BA" replay_window)" = 65536 ] &&
		[ "$(answered lana "$LANB_HOST4" 3)" = 3 ]
}
run_test "a 65536-packet replay window is accepted and works" t_big_window
reset

# Outbound SA with soft 3 / hard 5 packets: exactly 5 pings pass; later ones
# are dropped, as "expired" by the SA while the carrier is still up, by the
# stack once housekeeping took the carrier down (which one depends on
# timing); soft and hard expiry are announced once each.
t_lifetime_packets() {
	local got
	XFRM_FLAGS=
	monitor_start
	nsx gwa ip link add s2s0 type s2s &&
		s2s_sa gwa s2s0 in "$SPI_BA" "$OUT_A" "$OUT_B" &&
		s2s_sa gwa s2s0 out "$SPI_AB" "$OUT_A" "$OUT_B" soft packets 3 hard packets 5 &&
		nsx gwa ip link set s2s0 up && s2s_routes gwa &&
		xfrm_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" "$LANB_NET4" "$LANA_NET4" \
			replay-window 128 || { echo "setup failed"; return 1; }
	got=$(answered lana "$LANB_HOST4" 8)
	nsx gwa s2sctl show
	[ "$got" = 5 ] || { echo "$got of 8 answered, want exactly 5"; return 1; }
	[ "$(s2s_sa_stat gwa s2s0 out "$SPI_AB" tx_packets)" = 5 ] || return 1
	sa_state gwa out "$SPI_AB" hard-expired || return 1
	wait_for 3 sh -c 'ip -n gwa link show s2s0 | grep -q NO-CARRIER' ||
		{ echo "carrier still up"; return 1; }
	wait_for 5 grep -qi 'hard-expire' "$MONITOR_LOG" &&
		grep -qi 'soft-expire' "$MONITOR_LOG" || { cat "$MONITOR_LOG"; return 1; }
	[ "$(grep -ci 'soft-expire' "$MONITOR_LOG")" = 1 ] || { echo "soft expiry announced more than once"; return 1; }
	stop_pid "$MONITOR_PID"
}
run_test "packet lifetimes: soft event, hard stop and event" t_lifetime_packets
reset

t_lifetime_time() {
	monitor_start
	nsx gwa ip link add s2s0 type s2s &&
		s2s_sa gwa s2s0 out "$SPI_AB" "$OUT_A" "$OUT_B" soft seconds 1 hard seconds 2 &&
		nsx gwa ip link set s2s0 up || return 1
	wait_for 6 grep -qi 'hard-expire' "$MONITOR_LOG" || { cat "$MONITOR_LOG"; return 1; }
	local rc=0
	grep -qi 'soft-expire' "$MONITOR_LOG" || { echo "no soft-expire event"; rc=1; }
	wait_for 3 sh -c 'ip -n gwa link show s2s0 | grep -q NO-CARRIER' ||
		{ echo "carrier still up"; rc=1; }
	sa_state gwa out "$SPI_AB" hard-expired || rc=1
	stop_pid "$MONITOR_PID"
	return $rc
}
run_test "time lifetimes: soft and hard expiry announced, carrier drops" t_lifetime_time
reset

# An SA ages on a link that is never brought up, as XFRM's SAs do.
t_lifetime_down() {
	monitor_start
	nsx gwa ip link add s2s0 type s2s &&
		s2s_sa gwa s2s0 in "$SPI_BA" "$OUT_A" "$OUT_B" soft seconds 1 hard seconds 2 ||
		return 1
	wait_for 6 grep -qi 'hard-expire' "$MONITOR_LOG" || { cat "$MONITOR_LOG"; return 1; }
	local rc=0
	grep -qi 'soft-expire' "$MONITOR_LOG" || { echo "no soft-expire event"; rc=1; }
	! ip -n gwa link show s2s0 | grep -q ',UP' || { echo "link came up"; rc=1; }
	sa_state gwa in "$SPI_BA" hard-expired || rc=1
	stop_pid "$MONITOR_PID"
	return $rc
}
run_test "time lifetimes run while the link is down" t_lifetime_down

ktap_finished
