#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: two sites joined by s2s, in the QEMU test bed.
#
#   LAN A 10.1.0.0/24 -- GW A [s2s0] == ESP over the WAN == [s2s0] GW B -- LAN B 10.2.0.0/24
#
# Keys are set by hand here (like `ip xfrm state add`), AES-256-GCM; the
# strongSwan-driven version arrives with s2sd. The demo pings and runs a
# short iperf3 from LAN A to LAN B, shows `s2sctl show` on both gateways,
# and exits 0 only if traffic crossed and the WAN carried nothing in clear.

source "$(dirname "$0")/lib.sh"

require_cmd ip s2sctl tcpdump ping iperf3

say() { printf '\n### %s\n' "$*"; }

ktap_plan 4
modprobe s2s || ktap_skip_all "s2s module not available"
topo_create || ktap_skip_all "cannot build the topology"

esp_alg_keys aes-gcm-256
say "GW A and GW B: one s2s link each, an SA pair, routes to the far LAN"
demo_tunnel() {
	s2s_gw gwa "$SPI_BA" "$SPI_AB" "$GWA_WAN4" "$GWB_WAN4" &&
		s2s_routes gwa &&
		s2s_gw gwb "$SPI_AB" "$SPI_BA" "$GWB_WAN4" "$GWA_WAN4" &&
		s2s_routes gwb
}
run_test "tunnel configured on both gateways" demo_tunnel || ktap_finished
nsx gwa ip route show dev s2s0 | sed 's/^/  gwa route: /'

cap=$(mktemp /tmp/demo-wan.XXXXXX.pcap)
wan_capture_start "$cap"
nsx lanb iperf3 -s -D -1 >/dev/null 2>&1

say "ping from LAN A (10.1.0.2) to LAN B (10.2.0.2)"
run_test "ping LAN A -> LAN B across the tunnel" \
	nsx lana ping -c 5 -i 0.2 -W 5 -p a5c3 "$LANB_HOST4"
nsx lana ping -c 3 -i 0.2 -W 5 "$LANB_HOST4" | sed 's/^/  /'

say "iperf3, 5 seconds, LAN A -> LAN B"
out=$(nsx lana iperf3 -c "$LANB_HOST4" -t 5 -f m 2>&1)
echo "$out" | grep -E 'sender|receiver' | sed 's/^/  /'
if grep -q receiver <<<"$out"; then ktap_ok "iperf3 across the tunnel"; else ktap_fail "iperf3 across the tunnel"; echo "$out" | ktap_diag_file; fi
wan_capture_stop

say "the WAN, as tcpdump on the bridge between the gateways saw it"
tcpdump -r "$cap" -n 2>/dev/null | head -n 6 | sed 's/^/  /'
run_test "WAN carried only ESP with our SPIs, nothing in clear" \
	wan_only_esp "$cap" "$SPI_AB" "$SPI_BA"

say "s2sctl show on GW A"
nsx gwa s2sctl show | sed 's/^/  /'
say "s2sctl show on GW B"
nsx gwb s2sctl show | sed 's/^/  /'

ktap_finished
