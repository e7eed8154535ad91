#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rekey without loss: while LAN A pings LAN B every 10 ms, both directions
# move to new SAs the way IKEv2 does it (new inbound first, then the
# outbound swap, old SAs deleted afterwards). Every echo must be answered,
# and the old and new outbound SAs together must have carried exactly the
# echo requests sent.
#
#   lana --- gwa [s2s0] ===== wan ===== gwb [XFRM | s2s0] --- lanb

source "$(dirname "$0")/lib.sh"

require_cmd ip s2sctl ping

COUNT=500
SPI_AB2=0x2000a002
SPI_BA2=0x2000b002

ktap_plan 2
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

ktap_finished
