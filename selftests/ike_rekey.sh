#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rekeys of strongSwan tunnels over s2s, under traffic: charon in gwa and
# gwb (recommended profile, lib.sh's ike_conn), s2sd forwarding the SAs
# into the module on both gateways (see ike_s2s.sh for the set-up). While
# LAN A pings LAN B 20 times a second, each of these happens once:
#   - Child SA rekey initiated by gwa, then by gwb (swanctl --rekey --child)
#   - IKE SA rekey (swanctl --rekey --ike): the child is kept
#   - IKE reauthentication, make-before-break (swanctl --rekey --reauth)
# Every echo request that got no reply is a lost packet; the count is
# printed as a diagnostic and the goal, asserted, is zero. After each
# rekey the module must hold exactly the new SPIs swanctl shows (old ones
# deleted) and the new outbound SA must carry the traffic. On loss the
# missing sequence numbers, the module's drop counters, XFRM's error
# counters, the WAN around the switch and s2sd's log are printed.
#
# s2sd talks to charon over vici, so the new SAs must also carry the
# child's traffic selectors (given at once from the child they replace).
# Routes to the far LAN: routes_by_hand (lib.sh) as well as s2sd's.

# Test steps run through run_test, which shellcheck cannot follow.
# shellcheck disable=SC2317

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip swanctl ping tcpdump awk s2sctl s2sd "$CHARON"
[ -d /sys/module/s2s ] || require_module s2s

ktap_plan 7

work=$(mktemp -d /tmp/ike_rekey.XXXXXX)
defer "rm -rf '$work'"
ike_init "$work"

stat() { s2s_sa_stat "$@"; }

t_setup() {
	topo_create || return 1
	s2s_link gwa && s2s_link gwb || return 1
	s2sd_start gwa --vici "$work/gwa/charon.vici" &&
		s2sd_start gwb --vici "$work/gwb/charon.vici" ||
		{ cat "$work"/gw?/s2sd.log; return 1; }
	charon_start gwa && charon_start gwb || return 1
	routes_by_hand gwa && routes_by_hand gwb || return 1
	ike_conn gwa rec "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" &&
		ike_conn gwb rec "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP"
}
run_test "setup: s2s0 (if-id $IKE_IF_ID), s2sd and charon on both gateways" t_setup ||
	ktap_skip_all "no test bed"

# A continuous ping (-i 0.05) runs while one rekey happens; every echo
# request that got no reply is a lost packet.
LOSS_PINGS=120

# ping_during NAME CMD...: start the ping, run CMD after 1 s, wait for the
# ping; LOST is set and the missing sequence numbers are printed.
ping_during() {
	local name=$1 log=$work/ping.log pid sent recv gw
	shift
	ike_capture_start "$work/rekey.pcap" || return 1
	nsx lana ping -c $LOSS_PINGS -i 0.05 -W 3 "$LANB_HOST4" >"$log" 2>&1 &
	pid=$!
	sleep 1
	"$@" || { wait $pid; wan_capture_stop; return 1; }
	wait $pid
	wan_capture_stop
	sent=$(awk '/packets transmitted/ { print $1 }' "$log")
	recv=$(awk '/packets transmitted/ { print $4 }' "$log")
	LOST=$((sent - recv))
	ktap_diag "$name: $recv of $sent echo requests answered, $LOST lost" >&3
	[ "$LOST" -gt 0 ] || return 0
	{
		echo "missing icmp_seq: $(seq 1 "$sent" | grep -vxFf <(grep -o 'icmp_seq=[0-9]*' "$log" | cut -d= -f2) | tr '\n' ' ')"
		for gw in gwa gwb; do
			echo "$gw:"
			nsx $gw s2sctl show | grep -iE 'drop|spi|error|no_sa|unknown' | sed 's/^/  /'
			nsx $gw awk '$2 != 0' /proc/net/xfrm_stat | sed 's/^/  /'
		done
		echo "WAN, where each direction changes SPI:"
		tcpdump -r "$work/rekey.pcap" -n -tt 2>/dev/null | awk '
			{ split($0, a, "spi="); split(a[2], b, ","); src = $3 }
			last[src] != "" && b[1] != last[src] { print prev[src]; print }
			{ last[src] = b[1]; prev[src] = $0 }'
		tail -n 12 "$work/gwa/s2sd.log" "$work/gwb/s2sd.log"
	} | ktap_diag_file >&3
}
exec 3>&1

# rekeyed OLD_A_OUT: gwa's child has new SPIs, the module
# holds them (and the old ones are gone: s2sd deletes on DELSA), and the
# new outbound SA carries the traffic.
rekeyed() {
	local old=$1
	read -r SPI_A_IN SPI_A_OUT < <(ike_child_spis gwa) || return 1
	[ "$SPI_A_OUT" != "$old" ] || return 1
	read -r SPI_B_IN SPI_B_OUT < <(ike_child_spis gwb) || return 1
	[ "$(module_spis gwa)" = "$(printf 'in %s\nout %s\n' "$(hex "$SPI_A_IN")" "$(hex "$SPI_A_OUT")" | sort)" ] &&
		[ "$(module_spis gwb)" = "$(printf 'in %s\nout %s\n' "$(hex "$SPI_B_IN")" "$(hex "$SPI_B_OUT")" | sort)" ]
}

# The four new SAs carry what the child negotiated.
new_selectors() {
	local a="$LANA_NET4,$LANA_NET6" b="$LANB_NET4,$LANB_NET6"
	wait_for 5 selectors_are gwa in "$SPI_A_IN" "local $a remote $b" >/dev/null
	selectors_are gwa in "$SPI_A_IN" "local $a remote $b" &&
		selectors_are gwa out "$SPI_A_OUT" "local $a remote $b" &&
		selectors_are gwb in "$SPI_B_IN" "local $b remote $a" &&
		selectors_are gwb out "$SPI_B_OUT" "local $b remote $a"
}

t_rekey_child() {
	local by=$1 old_out
	read -r SPI_A_IN old_out < <(ike_child_spis gwa) || return 1
	ping_during "child rekey by $by" swc "$by" --rekey --child lan >/dev/null || return 1
	if ! wait_for 10 rekeyed "$old_out"; then
		echo "gwa module: $(module_spis gwa | tr '\n' ' ') swanctl: $(ike_child_spis gwa)"
		echo "gwb module: $(module_spis gwb | tr '\n' ' ') swanctl: $(ike_child_spis gwb)"
		ike_logs_tail 15
		return 1
	fi
	echo "new SPIs: gwa in $SPI_A_IN out $SPI_A_OUT"
	new_selectors &&
		[ "$(stat gwa s2s0 out "$SPI_A_OUT" tx_packets)" -gt 0 ] && [ "$LOST" -eq 0 ]
}

ike_sa_id() {
	swc gwa --list-sas | awk '/^rec: #/ { sub(/#/, "", $2); sub(/,/, "", $2); print $2; exit }'
}

ike_sa_changed() {
	[ "$(ike_sa_id)" != "$1" ]
}

t_rekey_ike() {
	local old new
	old=$(ike_sa_id)
	ping_during "IKE rekey" swc gwa --rekey --ike rec >/dev/null || return 1
	wait_for 10 ike_sa_changed "$old"
	new=$(ike_sa_id)
	echo "IKE_SA #$old -> #$new"
	[ -n "$new" ] && [ "$new" != "$old" ] && ike_child_spis gwa >/dev/null && [ "$LOST" -eq 0 ]
}

t_reauth() {
	local old_out
	read -r SPI_A_IN old_out < <(ike_child_spis gwa) || return 1
	ping_during "reauthentication" swc gwa --rekey --ike rec --reauth >/dev/null || return 1
	if ! wait_for 20 rekeyed "$old_out"; then
		echo "gwa module: $(module_spis gwa | tr '\n' ' ') swanctl: $(ike_child_spis gwa)"
		ike_logs_tail 15
		return 1
	fi
	new_selectors && [ "$LOST" -eq 0 ]
}

t_rekey_up() {
	ike_load gwa rec >/dev/null && ike_load gwb rec >/dev/null &&
		swc gwa --initiate --ike rec --child lan --timeout 60 >/dev/null &&
		wait_for 15 rekeyed none
}
run_test "recommended profile: gwa initiates, the module holds the SPIs" t_rekey_up
run_test "Child SA rekey by gwa under a 20/s ping: no packet lost, selectors kept" t_rekey_child gwa
run_test "Child SA rekey by gwb under a 20/s ping: no packet lost, selectors kept" t_rekey_child gwb
run_test "IKE SA rekey under a 20/s ping: no packet lost, child kept" t_rekey_ike
run_test "IKE reauthentication (make-before-break) under a 20/s ping: no packet lost, selectors kept" t_reauth
run_test "terminate removes the SAs from XFRM and the module" ike_down rec

ktap_finished
