#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MTU and lifecycle under traffic: the link MTU follows the outbound SA's
# overhead; inner packets too big for a smaller WAN are answered with ICMP
# fragmentation-needed / packet-too-big carrying the usable MTU; a link
# moved into another namespace keeps working; deleting the link and
# unloading the module during traffic leaves no warning behind (the test
# bed fails the run on any WARN, lockdep or KASAN report).
#
#   lana --- gwa [s2s0] ===== wan (MTU 1300 on gwa's side) ===== gwb [s2s0] --- lanb

source "$(dirname "$0")/lib.sh"

require_cmd ip s2sctl ping

ktap_plan 7
modprobe s2s || ktap_skip_all "s2s module not available"
topo_create --lan-routes || ktap_skip_all "cannot build the topology"
esp_alg_keys aes-gcm-128

tunnel() {
	esp_outer "$1"
	shift
	s2s_gw gwa "$SPI_BA" "$SPI_AB" "$OUT_A" "$OUT_B" "$@" && s2s_routes gwa &&
		s2s_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" "$@" && s2s_routes gwb
}

# wan_mtu MTU: the whole WAN segment, both gateways and the bridge.
wan_mtu() {
	nsx gwa ip link set wan0 mtu "$1" && nsx gwb ip link set wan0 mtu "$1" &&
		nsx wan ip link set gwa mtu "$1" && nsx wan ip link set gwb mtu "$1"
}

mtu_of() { nsx "$1" cat /sys/class/net/"$2"/mtu; }

# GCM: outer IPv4 (20) + ESP (8) + IV (8) + ICV (16) leave 1448 bytes of
# 4-byte-aligned ciphertext in 1500, of which 2 are the trailer: 1446.
# Outer IPv6 with UDP: 1500 - 40 - 8 - 8 - 8 - 16 = 1420, 1418.
# A 1300-byte WAN: 1300 - 52 = 1248, 1246.
t_mtu() {
	tunnel 4 || return 1
	[ "$(mtu_of gwa s2s0)" = 1446 ] || { echo "IPv4 raw MTU $(mtu_of gwa s2s0), want 1446"; return 1; }
	nsx gwa ip link del s2s0 && nsx gwb ip link del s2s0
	tunnel 6 encap 4500 4500 || return 1
	[ "$(mtu_of gwa s2s0)" = 1418 ] || { echo "IPv6 UDP MTU $(mtu_of gwa s2s0), want 1418"; return 1; }
	nsx gwa ip link del s2s0 && nsx gwb ip link del s2s0
	tunnel 4
}
run_test "link MTU follows the outbound SA's overhead" t_mtu

# An MTU the user set (jumbo underlay, or a smaller path) is theirs: a new
# outbound SA, as at every rekey, must not put it back to the computed one.
t_mtu_user() {
	local bad=0
	nsx gwa ip link add s2s9 type s2s &&
		s2s_sa gwa s2s9 out 0x7001 "$OUT_A" "$OUT_B" || return 1
	[ "$(mtu_of gwa s2s9)" = 1446 ] || { echo "computed MTU $(mtu_of gwa s2s9)"; bad=1; }
	nsx gwa ip link set s2s9 mtu 1600 &&
		s2s_sa gwa s2s9 out 0x7002 "$OUT_A" "$OUT_B" || return 1
	[ "$(mtu_of gwa s2s9)" = 1600 ] || { echo "raised MTU after rekey: $(mtu_of gwa s2s9)"; bad=1; }
	nsx gwa ip link add s2s8 mtu 1400 type s2s &&
		s2s_sa gwa s2s8 out 0x7003 "$OUT_A" "$OUT_B" || return 1
	[ "$(mtu_of gwa s2s8)" = 1400 ] || { echo "MTU given at creation: $(mtu_of gwa s2s8)"; bad=1; }
	nsx gwa ip link del s2s9
	nsx gwa ip link del s2s8
	return $bad
}
run_test "an MTU the user set survives a new outbound SA (rekey)" t_mtu_user

t_pmtu4() {
	local out
	wan_mtu 1300 || return 1
	out=$(nsx lana ping -c 1 -W 3 -M do -s 1400 "$LANB_HOST4" 2>&1)
	echo "$out"
	grep -q 'mtu = 1246' <<<"$out" || return 1
	nsx lana ping -c 2 -W 3 -M do -s $((1246 - 28)) "$LANB_HOST4" >/dev/null
}
run_test "IPv4 too big for the WAN: frag-needed with the tunnel MTU" t_pmtu4

t_pmtu6() {
	local out
	out=$(nsx lana ping -6 -c 2 -W 3 -s 1400 "$LANB_HOST6" 2>&1)
	echo "$out"
	grep -qi 'mtu = 1246\|too big' <<<"$out" || return 1
	# The host learnt the path MTU: a fitting packet goes through.
	nsx lana ping -6 -c 2 -W 3 -M do -s $((1246 - 48)) "$LANB_HOST6" >/dev/null
}
run_test "IPv6 too big for the WAN: packet-too-big with the tunnel MTU" t_pmtu6

t_large_df_clear() {
	# IPv4 without DF is carried: the outer packet is fragmented instead.
	nsx lana ping -c 2 -W 3 -M dont -s 1400 "$LANB_HOST4" >/dev/null
}
run_test "IPv4 without DF crosses the smaller WAN in outer fragments" t_large_df_clear

t_netns_move() {
	wan_mtu 1500 &&
		nsx gwa ip link set s2s0 netns lana &&
		nsx lana ip link set s2s0 up &&
		nsx lana ip route replace "$LANB_NET4" dev s2s0 src "$LANA_HOST4" &&
		nsx gwb ip route replace "$LANA_NET4" dev s2s0 &&
		# ESP still leaves from gwa's WAN: lana has no WAN at all.
		nsx lana ping -c 3 -i 0.2 -W 3 "$LANB_HOST4" >/dev/null
}
run_test "link moved into LAN A's namespace keeps working" t_netns_move

t_unload_under_traffic() {
	local pid
	ip netns exec lana ping -q -i 0.005 -c 4000 "$LANB_HOST4" >/dev/null 2>&1 &
	pid=$!
	ip netns exec lanb ping -q -i 0.005 -c 4000 "$LANA_HOST4" >/dev/null 2>&1 &
	sleep 2
	nsx lana ip link del s2s0 &&
		nsx gwb ip link del s2s0 &&
		rmmod s2s || { kill "$pid"; return 1; }
	! lsmod | grep -q '^s2s ' || return 1
	kill "$pid" 2>/dev/null
	modprobe s2s
}
run_test "link deleted and module unloaded during traffic" t_unload_under_traffic

ktap_finished
