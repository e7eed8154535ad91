#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# strongSwan over s2s when the path or the peer misbehaves: NAT traversal
# with a NAT mapping that changes mid-stream, a peer whose charon is killed
# and restarted, s2sd restarted under traffic (misconfigurations: ike_status.sh).
# charon in gwa and gwb, s2sd on both (see ike_s2s.sh); GW A sits behind a
# NAT namespace:
#
#   lana -- gwa wan0 192.168.1.2 -- in0 [nat] out0 192.0.2.1 -- br0 (wan) -- gwb 192.0.2.2 -- lanb
#                                      nft masquerade
#
# gwb accepts its peer from any address (remote_addrs = %any), as the
# service guides do for peers behind NAT. Cases:
#   e. NAT: charon detects it and both sides send ESP in UDP 4500; the
#      module SAs carry the encapsulation; exact ping counts; the WAN sees
#      only ESP-in-UDP with the negotiated SPIs. Then the NAT's public
#      address changes (192.0.2.1 -> 192.0.2.11; masquerade drops its
#      mappings) under a continuous ping: charon on gwb learns the new
#      mapping from gwa's next IKE message and moves its SAs (s2sd turns
#      that into an endpoint update that keeps the sequence numbers), or,
#      when its DPD gave up on the old address first, a new IKE and Child
#      SA is negotiated; either way traffic must resume through the new
#      mapping. Which one happened and the packets lost are reported.
#   f. s2sd restarted on both gateways under a 10/s ping: nothing lost.
#      charon on gwb killed (SIGKILL) and started again: gwa's DPD notices
#      and re-initiates (dpd_action = restart); the tunnel is back with new
#      SPIs in the module, within the DPD + retransmission time.
# Misconfigurations (PSK, proposals, traffic selectors) and the status
# they show: ike_status.sh.
#
# Routes to the far LAN: routes_by_hand (lib.sh) until s2sd's vici part.

# Test steps run through run_test, which shellcheck cannot follow.
# shellcheck disable=SC2317

source "$(dirname "$0")/lib.sh"

NAT_IN=192.168.1.1
GWA_PRIV=192.168.1.2
NAT_PUB=$GWA_WAN4
NAT_PUB_NEW=192.0.2.11
DPD=3

require_root
require_cmd ip nft swanctl ping tcpdump awk s2sctl s2sd "$CHARON"
[ -d /sys/module/s2s ] || require_module s2s

ktap_plan 6

work=$(mktemp -d /tmp/ike_peer.XXXXXX)
defer "rm -rf '$work'"
ike_init "$work"

stat() { s2s_sa_stat "$@"; }

# GW A's WAN side moves behind the NAT namespace.
nat_create() {
	ns_create nat || return 1
	nsx gwa ip link del wan0 &&
		veth_link gwa wan0 nat in0 &&
		veth_link nat out0 wan gwa &&
		nsx wan ip link set gwa master br0 &&
		nsx gwa ip addr add $GWA_PRIV/24 dev wan0 &&
		nsx gwa ip route add "$WAN_NET4" via $NAT_IN &&
		nsx nat ip addr add $NAT_IN/24 dev in0 &&
		nsx nat ip addr add "$NAT_PUB/24" dev out0 &&
		nsx nat sysctl -qw net.ipv4.ip_forward=1 &&
		nsx nat sysctl -qw net.ipv4.conf.out0.promote_secondaries=1 || return 1
	nsx nat nft -f - <<-EOF
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "out0" masquerade
		}
	}
	EOF
}

# conn NAME [KEY=VALUE...]: the recommended profile, GW A behind the NAT,
# short DPD; extra KEY=VALUEs go to gwb's side (ike_conn), and both
# are loaded.
conn() {
	local name=$1
	shift
	ike_conn gwa "$name" "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" \
		local_addrs=$GWA_PRIV dpd=$DPD &&
		ike_conn gwb "$name" "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" \
			remote_addrs=%any dpd=$DPD "$@" &&
		ike_load gwa "$name" >/dev/null && ike_load gwb "$name" >/dev/null
}

t_setup() {
	topo_create && nat_create || return 1
	s2s_link gwa && s2s_link gwb || return 1
	s2sd_start gwa && s2sd_start gwb || { cat "$work"/gw?/s2sd.log; return 1; }
	charon_start gwa && charon_start gwb || return 1
	routes_by_hand gwa && routes_by_hand gwb || return 1
	nsx gwa ping -c 1 -W 5 "$GWB_WAN4"
}
run_test "setup: GW A behind a NAT namespace; s2s0, s2sd and charon on both gateways" t_setup ||
	ktap_skip_all "no test bed"

# tunnel_up CONN: gwa initiates; sets SPI_IN SPI_OUT (gwa's), waits until
# both modules hold them.
tunnel_up() {
	swc gwa --initiate --ike "$1" --child lan --timeout 60 >"$work/init.out" 2>&1 ||
		{ tail -n 20 "$work/init.out"; return 1; }
	read -r SPI_IN SPI_OUT < <(ike_child_spis gwa) || return 1
	wait_for 15 in_module gwa in "$SPI_IN" && wait_for 15 in_module gwa out "$SPI_OUT" &&
		wait_for 15 in_module gwb in "$SPI_OUT" && wait_for 15 in_module gwb out "$SPI_IN" ||
		{ module_spis gwa; module_spis gwb; ike_logs_tail 10; return 1; }
}

sa_json() {
	nsx "$1" s2sctl sa get s2s0 dir "$2" spi "$3" --json | tr -d ' \n'
}

# ----------------------------------------------------------------- e --
t_nat_up() {
	conn nat && tunnel_up nat || return 1
	swc gwa --list-sas | tee "$work/gwa.sas"
	swc gwb --list-sas >"$work/gwb.sas"
	# NAT seen from both sides: gwa's charon runs on 4500 and knows it is
	# behind NAT, gwb sees the NAT's public address
	grep -q "local  'gwa' @ $GWA_PRIV\\[4500\\]" "$work/gwa.sas" &&
		grep -q "INSTALLED, TUNNEL-in-UDP" "$work/gwa.sas" &&
		grep -q "remote 'gwa' @ $NAT_PUB\\[4500\\]" "$work/gwb.sas" || return 1
	sa_json gwa out "$SPI_OUT"; echo
	sa_json gwb out "$SPI_IN"; echo
	sa_json gwa out "$SPI_OUT" | grep -q '"encap_sport":4500,"encap_dport":4500' &&
		sa_json gwb out "$SPI_IN" | grep -q "\"remote\":\"$NAT_PUB\"" &&
		sa_json gwb out "$SPI_IN" | grep -q '"encap_sport":4500,"encap_dport":4500'
}
run_test "e. NAT detected: charon on UDP 4500, module SAs with UDP encapsulation to the NAT's address" t_nat_up

t_nat_ping() {
	local n=5 c
	ike_capture_start "$work/nat.pcap" || return 1
	nsx lana ping -c $n -i 0.2 -W 5 -p a5c3a5c3 "$LANB_HOST4" | tail -n 2
	wan_capture_stop
	c="$(stat gwa s2s0 out "$SPI_OUT" tx_packets) $(stat gwb s2s0 in "$SPI_OUT" rx_packets) $(stat gwb s2s0 out "$SPI_IN" tx_packets) $(stat gwa s2s0 in "$SPI_IN" rx_packets)"
	echo "packets gwa out, gwb in, gwb out, gwa in: $c"
	[ "$c" = "$n $n $n $n" ] || return 1
	wan_only_esp "$work/nat.pcap" "$SPI_IN" "$SPI_OUT" || return 1
	tcpdump -r "$work/nat.pcap" -n 2>/dev/null | head -n 2
	[ "$(tcpdump -r "$work/nat.pcap" -n 2>/dev/null | grep -c "UDP-encap: ESP")" -eq $((2 * n)) ]
}
run_test "e. ping LAN A -> LAN B through the NAT: exact counts, only ESP-in-UDP on the WAN" t_nat_ping

# Replies reach gwa again once gwb's charon moved the SAs to the new mapping.
# gwb's module sends to the NAT's new address with the SA gwa's charon
# currently has (moved, or re-established after DPD).
moved_to_new_nat() {
	local spi_in spi_out
	read -r spi_in spi_out < <(ike_child_spis gwa) || return 1
	sa_json gwb out "$spi_in" | grep -q "\"remote\":\"$NAT_PUB_NEW\""
}

t_nat_rebind() {
	local seq_before seq_after t0 t1 log=$work/ping.nat sent recv how
	local old_in=$SPI_IN
	seq_before=$(sa_json gwb out "$SPI_IN" | grep -o '"seq":[0-9]*' | cut -d: -f2)
	# ip netns exec, not the nsx function: $! must be ping itself, which
	# SIGINT stops (a background subshell ignores SIGINT)
	ip netns exec lana ping -i 0.1 -W 1 "$LANB_HOST4" >"$log" 2>&1 &
	local pid=$!
	sleep 1
	t0=$(date +%s)
	# a new public address: masquerade forgets every mapping of the old one
	# (promote_secondaries: deleting the old primary keeps the new one)
	nsx nat ip addr add $NAT_PUB_NEW/24 dev out0 &&
		nsx nat ip addr del "$NAT_PUB/24" dev out0 || { kill -INT $pid; return 1; }
	if ! wait_for 90 moved_to_new_nat; then
		kill -INT $pid; wait $pid
		module_spis gwb
		ike_logs_tail 15
		return 1
	fi
	t1=$(date +%s)
	sleep 2
	kill -INT $pid; wait $pid
	tail -n 3 "$log"
	sent=$(awk '/packets transmitted/ { print $1 }' "$log")
	recv=$(awk '/packets transmitted/ { print $4 }' "$log")
	read -r SPI_IN SPI_OUT < <(ike_child_spis gwa) || return 1
	# charon either moves the SAs (s2sd: endpoint update, sequence numbers
	# continue under the same key) or, when DPD declared the peer dead
	# first, negotiates new ones; both must carry traffic again
	if [ "$SPI_IN" = "$old_in" ]; then
		how="SAs moved"
		seq_after=$(sa_json gwb out "$SPI_IN" | grep -o '"seq":[0-9]*' | cut -d: -f2)
		echo "gwb out SA seq: $seq_before before, $seq_after after"
		[ "$seq_after" -gt "$seq_before" ] || return 1
		grep -q "now .*$NAT_PUB_NEW" "$work/gwb/s2sd.log" || return 1
	else
		how="new Child SA $SPI_IN/$SPI_OUT"
	fi
	ktap_diag "e. NAT rebind: $how; traffic back after $((t1 - t0)) s, $((sent - recv)) of $sent echo requests lost (DPD ${DPD}s)" >&3
	nsx lana ping -c 3 -i 0.2 -W 2 "$LANB_HOST4" >/dev/null &&
		[ "$(sa_json gwb in "$SPI_OUT" | grep -o '"rx_packets":[0-9]*' | cut -d: -f2)" -gt 0 ]
}
exec 3>&1
run_test "e. NAT mapping changes mid-stream: gwb's module follows it, traffic resumes" t_nat_rebind

# ----------------------------------------------------------------- f --
t_s2sd_restart() {
	local log=$work/ping.s2sd
	nsx lana ping -c 60 -i 0.1 -W 3 "$LANB_HOST4" >"$log" 2>&1 &
	local pid=$!
	sleep 1
	s2sd_stop gwa && s2sd_start gwa && s2sd_stop gwb && s2sd_start gwb || { wait $pid; return 1; }
	wait $pid
	tail -n 2 "$log"
	grep -q "60 packets transmitted, 60 received" "$log" &&
		grep -q "is already in the module: kept as it is" "$work/gwa/s2sd.log"
}
run_test "f. s2sd restarted on both gateways under a 10/s ping: 60 of 60 answered" t_s2sd_restart

t_peer_restart() {
	local old_in=$SPI_IN t0 t1
	charon_stop gwb KILL || return 1
	t0=$(date +%s)
	charon_start gwb && ike_load gwb nat >/dev/null || return 1
	# gwa hears nothing from its peer: DPD, retransmits, then restart
	if ! wait_for 90 sh -c "STRONGSWAN_CONF=$work/gwb/strongswan.conf swanctl --list-sas --uri unix://$work/gwb/charon.vici 2>/dev/null | grep -q INSTALLED"; then
		ike_logs_tail 20
		return 1
	fi
	t1=$(date +%s)
	read -r SPI_IN SPI_OUT < <(ike_child_spis gwa) || return 1
	ktap_diag "f. peer restart: tunnel back $((t1 - t0)) s after gwb's charon was killed (DPD ${DPD}s + retransmits)" >&3
	[ "$SPI_IN" != "$old_in" ] &&
		wait_for 15 in_module gwa in "$SPI_IN" && wait_for 15 in_module gwb out "$SPI_IN" &&
		nsx lana ping -c 3 -i 0.2 -W 3 "$LANB_HOST4" | tail -n 2 &&
		[ "$(stat gwb s2s0 out "$SPI_IN" tx_packets)" = 3 ] &&
		grep -qE "retransmit|DPD|restarting CHILD_SA|initiating IKE_SA" "$work/gwa/charon.log"
}
run_test "f. charon on gwb killed and restarted: gwa's DPD re-establishes the tunnel" t_peer_restart
ike_down nat >/dev/null 2>&1
nsx gwb ip xfrm state flush	# what the killed charon left behind
wait_for 10 module_empty

ktap_finished
