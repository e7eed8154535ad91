#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ESP tunnel mode, byte-exact with the kernel's own XFRM: for every
# algorithm x outer family x raw ESP / ESP-in-UDP x ESN off/on, s2s on gwa
# and policy-based XFRM on gwb, pings from LAN A to LAN B over IPv4 and
# IPv6 inside (so all four inner/outer combinations), exact packet and byte
# counts on both sides, and a WAN capture that holds only ESP with the two
# expected SPIs and nothing in clear. Then s2s <-> s2s for every algorithm.
#
#   lana --- gwa [s2s0] ===== ESP over wan (tcpdump) ===== gwb [XFRM|s2s0] --- lanb

source "$(dirname "$0")/lib.sh"

require_cmd ip s2sctl tcpdump ping encap-listen

PINGS=2
PSIZE=100
# Inner bytes of one round: IPv4 and IPv6 echo requests (or replies).
ROUND_BYTES=$((PINGS * (PSIZE + 8 + 20) + PINGS * (PSIZE + 8 + 40)))

# The full matrix on production kernels. On the debug kernel (KASAN and
# lockdep make every packet slow) each algorithm runs once against XFRM, in
# a rotating outer/encapsulation/ESN combination that still covers all
# eight, and two algorithm families against s2s.
cases=()
combos=("4 raw off" "6 udp on" "4 udp off" "6 raw on" "4 raw on" "6 udp off" "4 udp on" "6 raw off")
i=0
for alg in $ESP_ALGS; do
	if [[ $(uname -r) == *debug* ]]; then
		cases+=("xfrm $alg ${combos[i++ % ${#combos[@]}]}")
		continue
	fi
	for combo in "${combos[@]}"; do
		cases+=("xfrm $alg $combo")
	done
done
for alg in $ESP_ALGS; do
	[[ $(uname -r) == *debug* ]] && [[ $alg != aes-gcm-256 && $alg != aes-cbc-256-sha256 ]] &&
		continue
	cases+=("s2s $alg ${combos[i++ % ${#combos[@]}]}")
done

ktap_plan $((${#cases[@]} + 1))
modprobe s2s || ktap_skip_all "s2s module not available"
topo_create --lan-routes || ktap_skip_all "cannot build the topology"

# The WAN check must be able to fail: without a tunnel the LANs' traffic
# crosses in clear, and the check has to say so.
t_check_sees_clear() {
	local cap
	cap=$(mktemp /tmp/wan.XXXXXX.pcap)
	wan_capture_start "$cap"
	nsx lana ping -q -c 2 -i 0.05 -W 5 -s "$PSIZE" -p a5c3 "$LANB_HOST4" || return 1
	wan_capture_stop
	! wan_only_esp "$cap" "$SPI_AB" "$SPI_BA"
}
run_test "the WAN check catches traffic in clear" t_check_sees_clear

# pings_both: PINGS echo requests over IPv4 and over IPv6, all answered.
pings_both() {
	nsx lana ping -q -c "$PINGS" -i 0.05 -W 5 -s "$PSIZE" -p a5c3 "$LANB_HOST4" &&
		nsx lana ping -q -6 -c "$PINGS" -i 0.05 -W 5 -s "$PSIZE" -p a5c3 "$LANB_HOST6"
}

# expect NAME GOT WANT
expect() {
	[ "$2" = "$3" ] && return 0
	echo "$1: got '$2', want '$3'"
	return 1
}

cleanup_case() {
	nsx gwa ip link del s2s0 2>/dev/null
	nsx gwb ip link del s2s0 2>/dev/null
	xfrm_flush gwb 2>/dev/null
	ip netns pids gwa | xargs -r kill 2>/dev/null
	ip netns pids gwb | xargs -r kill 2>/dev/null
	nsx gwb ip route replace "$LANA_NET4" via "$GWA_WAN4"
	nsx gwb ip -6 route replace "$LANA_NET6" via "$GWA_WAN6"
	return 0
}

run_case() {
	local peer=$1 alg=$2 outer=$3 encap=$4 esn=$5 cap rc=0 xin xout
	local s2s_extra=() xfrm_extra=(replay-window 128)

	esp_alg_keys "$alg" && esp_outer "$outer" || return 1
	if [ "$esn" = on ]; then
		s2s_extra+=(esn)
		XFRM_FLAGS=esn
	else
		XFRM_FLAGS=
	fi
	if [ "$encap" = udp ]; then
		s2s_extra+=(encap 4500 4500)
		xfrm_extra+=(encap espinudp 4500 4500 "$([ "$outer" = 4 ] && echo 0.0.0.0 || echo ::)")
		ip netns exec gwa encap-listen "$outer" 4500 &
		ip netns exec gwb encap-listen "$outer" 4500 &
	fi

	s2s_gw gwa "$SPI_BA" "$SPI_AB" "$OUT_A" "$OUT_B" "${s2s_extra[@]}" &&
		s2s_routes gwa || return 1
	if [ "$peer" = xfrm ]; then
		xfrm_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" \
			"$LANB_NET4 $LANB_NET6" "$LANA_NET4 $LANA_NET6" \
			"${xfrm_extra[@]}" || return 1
	else
		s2s_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" "${s2s_extra[@]}" &&
			s2s_routes gwb || return 1
	fi

	cap=$(mktemp /tmp/wan.XXXXXX.pcap)
	wan_capture_start "$cap"
	pings_both || rc=1
	wan_capture_stop
	[ $rc -eq 0 ] || { echo "pings across the tunnel failed"; return 1; }
	wan_only_esp "$cap" "$SPI_AB" "$SPI_BA" || return 1
	rm -f "$cap"

	expect "gwa out packets" "$(s2s_sa_stat gwa s2s0 out "$SPI_AB" tx_packets)" $((2 * PINGS)) &&
		expect "gwa out bytes" "$(s2s_sa_stat gwa s2s0 out "$SPI_AB" tx_bytes)" $ROUND_BYTES &&
		expect "gwa in packets" "$(s2s_sa_stat gwa s2s0 in "$SPI_BA" rx_packets)" $((2 * PINGS)) &&
		expect "gwa in bytes" "$(s2s_sa_stat gwa s2s0 in "$SPI_BA" rx_bytes)" $ROUND_BYTES ||
		return 1
	if [ "$peer" = xfrm ]; then
		xin=$(xfrm_counts gwb "$SPI_AB")
		xout=$(xfrm_counts gwb "$SPI_BA")
		expect "gwb XFRM in packets" "${xin#* }" $((2 * PINGS)) &&
			expect "gwb XFRM out packets" "${xout#* }" $((2 * PINGS))
	else
		expect "gwb in packets" "$(s2s_sa_stat gwb s2s0 in "$SPI_AB" rx_packets)" $((2 * PINGS)) &&
			expect "gwb out bytes" "$(s2s_sa_stat gwb s2s0 out "$SPI_BA" tx_bytes)" $ROUND_BYTES
	fi
}

for c in "${cases[@]}"; do
	set -- $c
	run_test "$1 peer, $2, outer IPv$3, $4 ESP, ESN $5" run_case "$@"
	cleanup_case
done

ktap_finished
