#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: two sites joined by s2s, keyed by strongSwan, in the QEMU
# test bed.
#
#   LAN A 10.1.0.0/24 -- GW A [s2s0] == ESP over the WAN == [s2s0] GW B -- LAN B 10.2.0.0/24
#
# Both gateways run charon with the recommended profile (IKEv2, AES-256-GCM,
# ECP-384 with PFS, IKE 28800 s, Child 3600 s, DPD on) and a swanctl.conf
# child carrying the s2s link's if-id (if_id_in/if_id_out) and a mark on the
# inbound SA (mark_in_sa = yes); s2sd on each gateway forwards the SAs
# charon negotiates from XFRM into the module and, told by charon over vici,
# routes the far LAN into s2s0. The demo brings the tunnel
# up, pings and runs a short iperf3 from LAN A to LAN B, shows `s2sctl
# show` and `swanctl --list-sas` (with the module's counters, which s2sd
# copies into XFRM) on both gateways, and exits 0 only if traffic crossed
# and the WAN carried nothing in clear.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip s2sctl s2sd swanctl tcpdump ping iperf3 "$CHARON"

say() { printf '\n### %s\n' "$*"; }
indent() { sed 's/^/  /'; }

ktap_plan 7
[ -d /sys/module/s2s ] || modprobe s2s || ktap_skip_all "s2s module not available"

work=$(mktemp -d /tmp/demo.XXXXXX)
defer "rm -rf '$work'"
ike_init "$work"

say "two sites; GW A and GW B each get s2s0 (if-id $IKE_IF_ID), s2sd and charon"
demo_setup() {
	topo_create &&
		s2s_link gwa && s2s_link gwb &&
		s2sd_start gwa --vici "$work/gwa/charon.vici" &&
		s2sd_start gwb --vici "$work/gwb/charon.vici" &&
		charon_start gwa && charon_start gwb &&
		ike_conn gwa demo "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" &&
		ike_conn gwb demo "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" &&
		ike_load gwa demo && ike_load gwb demo
}
run_test "gateways set up: s2s0, s2sd, charon, swanctl.conf loaded" demo_setup ||
	ktap_finished
echo "  GW A's child in swanctl.conf:"
sed -n '/children/,/^  }/p' "$work/gwa/demo.conf" | indent

say "GW A initiates the tunnel (swanctl --initiate)"
demo_up() {
	swc gwa --initiate --ike demo --child lan --timeout 60 >"$work/init.out" 2>&1 || {
		tail -n 20 "$work/init.out"; ike_logs_tail; return 1; }
	read -r spi_in spi_out < <(ike_child_spis gwa) || return 1
	wait_for 15 in_module gwa in "$spi_in" && wait_for 15 in_module gwa out "$spi_out" &&
		wait_for 15 in_module gwb in "$spi_out" && wait_for 15 in_module gwb out "$spi_in" ||
		{ cat "$work"/gw?/s2sd.log; return 1; }
	SPIS="$spi_in $spi_out"
}
run_test "tunnel up: charon negotiated, s2sd put the SAs into s2s on both gateways" demo_up ||
	ktap_finished
echo "  SPIs: ${SPIS:-}"
grep -h "s2s0: added" "$work/gwa/s2sd.log" | sed 's/^/  gwa /'

# s2sd routes each remote traffic selector of the child via s2s0
# (protocol 83), both families.
far_routed() {
	local far4=$LANB_NET4 far6=$LANB_NET6
	[ "$1" = gwb ] && far4=$LANA_NET4 far6=$LANA_NET6
	nsx "$1" ip -4 route show proto 83 | grep -q "^$far4 dev s2s0" &&
		nsx "$1" ip -6 route show proto 83 | grep -q "^$far6 dev s2s0"
}
demo_routes() {
	wait_for 20 far_routed gwa && wait_for 20 far_routed gwb
}
say "routes to the far LAN, installed by s2sd from charon's traffic selectors"
run_test "s2sd routed the far LAN into s2s0 on both gateways" demo_routes
for gw in gwa gwb; do
	{ nsx $gw ip -4 route show proto 83; nsx $gw ip -6 route show proto 83; } | sed "s/^/  $gw: /"
done

ike_capture_start "$work/wan.pcap"
nsx lanb iperf3 -s -D -1 >/dev/null 2>&1

say "ping from LAN A (10.1.0.2) to LAN B (10.2.0.2)"
run_test "ping LAN A -> LAN B across the tunnel" \
	nsx lana ping -c 5 -i 0.2 -W 5 -p a5c3 "$LANB_HOST4"
nsx lana ping -c 3 -i 0.2 -W 5 "$LANB_HOST4" | indent

say "iperf3, 5 seconds, LAN A -> LAN B"
out=$(nsx lana iperf3 -c "$LANB_HOST4" -t 5 -f m 2>&1)
echo "$out" | grep -E 'sender|receiver' | indent
if grep -q receiver <<<"$out"; then
	ktap_ok "iperf3 across the tunnel"
else
	ktap_fail "iperf3 across the tunnel"
	echo "$out" | ktap_diag_file
fi
wan_capture_stop

say "the WAN, as tcpdump on the bridge between the gateways saw it (IKE left out)"
tcpdump -r "$work/wan.pcap" -n 2>/dev/null | head -n 6 | indent
# shellcheck disable=SC2086 # two SPIs
run_test "WAN carried only ESP with the negotiated SPIs, nothing in clear" \
	wan_only_esp "$work/wan.pcap" ${SPIS:-0}

for gw in gwa gwb; do
	say "s2sctl show on ${gw^^}"
	nsx $gw s2sctl show | indent
done

# s2sd copies the module's counters into XFRM every second (-i 1), where
# swanctl reads them.
counters_true() {
	local c
	read -r spi_in spi_out <<<"${SPIS:-0 0}"
	c=$(ike_child_counts gwa out) || return 1
	[ "$c" = "$(s2s_sa_stat gwa s2s0 out "$spi_out" tx_bytes) $(s2s_sa_stat gwa s2s0 out "$spi_out" tx_packets)" ] &&
		[ "${c#* }" -gt 100 ]
}
wait_for 10 counters_true
for gw in gwa gwb; do
	say "swanctl --list-sas on ${gw^^}"
	swc $gw --list-sas | indent
done
run_test "swanctl's counters on GW A are the module's (s2sd copies them)" counters_true

ktap_finished
