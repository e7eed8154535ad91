#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Receive-side defences and their named drop counters, with the kernel's
# XFRM as the sender: replayed sequence numbers, a flipped bit, inner
# addresses outside the SA's selectors, and an SPI that is not ours, which
# must reach XFRM untouched.
#
#   lana --- gwa [s2s0, AES-GCM-128] ===== wan ===== gwb [XFRM] --- lanb

source "$(dirname "$0")/lib.sh"

require_cmd ip s2sctl ping tc

ktap_plan 6
modprobe s2s || ktap_skip_all "s2s module not available"
topo_create --lan-routes || ktap_skip_all "cannot build the topology"

esp_alg_keys aes-gcm-128
esp_outer 4
XFRM_FLAGS=

# answered NS DST COUNT: send COUNT echo requests, print how many were answered.
answered() {
	nsx "$1" ping -c "$3" -i 0.2 -W 2 "$2" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

drops() { s2s_sa_stat gwa s2s0 in "$SPI_BA" "$1"; }

setup() {
	s2s_gw gwa "$SPI_BA" "$SPI_AB" "$OUT_A" "$OUT_B" \
		ts-local "$LANA_NET4" ts-remote "$LANB_NET4" &&
		s2s_routes gwa &&
		xfrm_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" \
			"$LANB_NET4" "$LANA_NET4" replay-window 128 &&
		[ "$(answered lana "$LANB_HOST4" 5)" = 5 ]
}
run_test "baseline: 5 pings across s2s <-> XFRM" setup

# gwb's outbound state, re-added with the same SPI and key: its sequence
# numbers start again at 1, all already seen by gwa.
t_replay() {
	nsx gwb ip xfrm state delete src "$OUT_B" dst "$OUT_A" proto esp spi "$SPI_BA" &&
		nsx gwb ip xfrm state add src "$OUT_B" dst "$OUT_A" proto esp \
			spi "$SPI_BA" mode tunnel flag af-unspec $XFRM_ALGS || return 1
	[ "$(answered lana "$LANB_HOST4" 3)" = 0 ] || { echo "replayed replies were accepted"; return 1; }
	[ "$(drops replay)" = 3 ] || { echo "replay drops: $(drops replay), want 3"; return 1; }
	nsx gwa s2sctl show | grep -q 'replay 3'
}
run_test "replayed sequence numbers are dropped and counted as replay" t_replay

# Flip one bit of the ciphertext of every ESP packet arriving at gwa: the
# integrity check must fail. Sequence numbers move past the window first.
t_bitflip() {
	local auth0
	nsx gwb ip xfrm state delete src "$OUT_B" dst "$OUT_A" proto esp spi "$SPI_BA" &&
		nsx gwb ip xfrm state add src "$OUT_B" dst "$OUT_A" proto esp \
			spi "$SPI_BA" mode tunnel flag af-unspec replay-oseq 1000 $XFRM_ALGS || return 1
	auth0=$(drops auth)
	nsx gwa tc qdisc add dev wan0 clsact || return 1
	if ! nsx gwa tc filter add dev wan0 ingress protocol ip u32 \
		match ip protocol 50 0xff \
		action pedit munge offset 40 u8 invert retain 0x01; then
		nsx gwa tc qdisc del dev wan0 clsact
		echo "tc pedit action not available in this kernel"
		return "$KSFT_SKIP"
	fi
	[ "$(answered lana "$LANB_HOST4" 3)" = 0 ] || { echo "corrupted replies were accepted"; return 1; }
	nsx gwa tc qdisc del dev wan0 clsact
	[ "$(drops auth)" = $((auth0 + 3)) ] || { echo "auth drops: $(drops auth), want $((auth0 + 3))"; return 1; }
	nsx gwa s2sctl show | grep -q "auth $((auth0 + 3))" || return 1
	# The window did not move for them: clean packets still pass.
	[ "$(answered lana "$LANB_HOST4" 2)" = 2 ]
}
run_test "a flipped bit is dropped and counted as an auth failure" t_bitflip

# LAN B sends from an address outside the SA's remote selector; gwb's XFRM
# encrypts it (its policy allows it), gwa must refuse it after decryption.
t_selector() {
	nsx lanb ip addr add 10.9.9.9/32 dev eth0 &&
		nsx gwb ip xfrm policy add src 10.9.9.9/32 dst "$LANA_NET4" dir out \
			tmpl src "$OUT_B" dst "$OUT_A" proto esp mode tunnel || return 1
	nsx lanb ping -c 3 -i 0.2 -W 1 -I 10.9.9.9 "$LANA_HOST4" >/dev/null
	[ "$(drops selector)" = 3 ] || { echo "selector drops: $(drops selector), want 3"; return 1; }
}
run_test "inner source outside the SA's selectors is dropped" t_selector

t_show() {
	local out
	out=$(nsx gwa s2sctl show) || return 1
	echo "$out"
	grep -q 'replay 3' <<<"$out" && grep -q 'selector 3' <<<"$out"
}
run_test "s2sctl show names each drop reason with its count" t_show

# gwb now sends B->A with an SPI only gwa's XFRM knows: s2s must leave it to
# XFRM, which decrypts and forwards it.
t_foreign_spi() {
	local rx0 x
	rx0=$(s2s_sa_stat gwa s2s0 in "$SPI_BA" rx_packets)
	nsx gwb ip xfrm state delete src "$OUT_B" dst "$OUT_A" proto esp spi "$SPI_BA" &&
		nsx gwb ip xfrm state add src "$OUT_B" dst "$OUT_A" proto esp \
			spi 0x3000 mode tunnel flag af-unspec $XFRM_ALGS &&
		nsx gwa ip xfrm state add src "$OUT_B" dst "$OUT_A" proto esp \
			spi 0x3000 mode tunnel flag af-unspec $XFRM_ALGS &&
		nsx gwa ip xfrm policy add src "$LANB_NET4" dst "$LANA_NET4" dir in \
			tmpl src "$OUT_B" dst "$OUT_A" proto esp mode tunnel &&
		nsx gwa ip xfrm policy add src "$LANB_NET4" dst "$LANA_NET4" dir fwd \
			tmpl src "$OUT_B" dst "$OUT_A" proto esp mode tunnel || return 1
	[ "$(answered lana "$LANB_HOST4" 4)" = 4 ] || { echo "replies via XFRM lost"; return 1; }
	x=$(xfrm_counts gwa 0x3000)
	[ "${x#* }" = 4 ] || { echo "gwa XFRM state counted '${x#* }' packets, want 4"; return 1; }
	[ "$(s2s_sa_stat gwa s2s0 in "$SPI_BA" rx_packets)" = "$rx0" ]
}
run_test "an SPI that is not ours reaches XFRM untouched" t_foreign_spi

ktap_finished
