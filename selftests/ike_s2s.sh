#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real strongSwan tunnels over s2s: charon in gwa and gwb negotiates IKEv2
# with PSK, installs its CHILD_SAs into XFRM with the s2s link's if_id (and
# the inbound SA marked, mark_in_sa = yes), and s2sd on each gateway
# forwards them into the module (Documentation/design.rst, "s2sd: keys from
# XFRM"). lib.sh's topology:
#
#   lana -- gwa [s2s0 if-id 42, charon, s2sd] -- wan -- gwb [s2s0 | xfrm0, charon, s2sd] -- lanb
#
# Cases, each asserting what a user sees (swanctl --list-sas INSTALLED on
# both sides, the module holding the SPIs charon negotiated, exact ping
# counts across, nothing but ESP with those SPIs on the WAN, swanctl's
# counters equal to the module's once s2sd mirrored them, terminate
# cleaning up):
#   a. s2s <-> s2s, recommended profile (IKEv2, AES-256-GCM, ECP-384 with
#      PFS, IKE 28800 s, Child 3600 s, DPD on)
#   b. s2s <-> a stock XFRM gateway with an xfrm interface (xfrm0, if_id 43)
#   c. the older cloud default (AES-128-CBC + HMAC-SHA1-96, MODP-2048) and
#      ChaCha20-Poly1305
# and, in each, that the module's SAs carry the child's traffic selectors
# (s2sd learns them from charon over vici) and an s2s peer's packet from an
# inner source outside them is dropped. Rekeys: ike_rekey.sh.
#
# Routes to the far LAN are also set by routes_by_hand (lib.sh): case b
# routes LAN A into gwb's xfrm0, which s2sd does not manage.

# Test steps run through run_test, which shellcheck cannot follow.
# shellcheck disable=SC2317

source "$(dirname "$0")/lib.sh"

PINGS=5
XFRMI_IF_ID=43

require_root
require_cmd ip swanctl ping tcpdump awk s2sctl s2sd "$CHARON"
[ -d /sys/module/s2s ] || require_module s2s

ktap_plan 34

work=$(mktemp -d /tmp/ike_s2s.XXXXXX)
defer "rm -rf '$work'"
ike_init "$work"

t_setup() {
	topo_create || return 1
	s2s_link gwa && s2s_link gwb || return 1
	s2sd_start gwa --vici "$work/gwa/charon.vici" &&
		s2sd_start gwb --vici "$work/gwb/charon.vici" ||
		{ cat "$work"/gw?/s2sd.log; return 1; }
	charon_start gwa && charon_start gwb
}
run_test "setup: s2s0 (if-id $IKE_IF_ID), s2sd and charon on both gateways" t_setup ||
	ktap_skip_all "no test bed"


# Per case: CASE (label), CONN, ALG (what swanctl shows), PEER (s2s|xfrmi)
# and, once up, SPI_A_IN SPI_A_OUT SPI_B_IN SPI_B_OUT.

t_up() {
	local gw
	swc gwa --initiate --ike "$CONN" --child lan --timeout 60 >"$work/initiate.out" 2>&1 || {
		tail -n 15 "$work/initiate.out"; ike_logs_tail; return 1; }
	for gw in gwa gwb; do
		swc $gw --list-sas | tee "$work/$gw.sas"
		grep -Eq "^ +lan: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL, ESP:$ALG" "$work/$gw.sas" ||
			{ echo "$gw: no INSTALLED child with $ALG"; return 1; }
	done
	read -r SPI_A_IN SPI_A_OUT < <(ike_child_spis gwa) &&
		read -r SPI_B_IN SPI_B_OUT < <(ike_child_spis gwb) || return 1
	echo "gwa in $SPI_A_IN out $SPI_A_OUT, gwb in $SPI_B_IN out $SPI_B_OUT"
	[ "$SPI_A_IN" = "$SPI_B_OUT" ] && [ "$SPI_A_OUT" = "$SPI_B_IN" ]
}

# The module holds exactly the SPIs swanctl shows (gwb too, unless it is
# the xfrm interface peer, whose module must hold nothing).
t_module_sas() {
	local want_a want_b
	want_a=$(printf 'in %s\nout %s\n' "$(hex "$SPI_A_IN")" "$(hex "$SPI_A_OUT")" | sort)
	wait_for 15 in_module gwa in "$SPI_A_IN" && wait_for 15 in_module gwa out "$SPI_A_OUT" || true
	nsx gwa s2sctl sa show s2s0
	[ "$(module_spis gwa)" = "$want_a" ] || { echo "gwa module: $(module_spis gwa)"; return 1; }
	if [ "$PEER" = s2s ]; then
		want_b=$(printf 'in %s\nout %s\n' "$(hex "$SPI_B_IN")" "$(hex "$SPI_B_OUT")" | sort)
		wait_for 15 in_module gwb in "$SPI_B_IN" && wait_for 15 in_module gwb out "$SPI_B_OUT" || true
		nsx gwb s2sctl sa show s2s0
		[ "$(module_spis gwb)" = "$want_b" ] || { echo "gwb module: $(module_spis gwb)"; return 1; }
	else
		[ -z "$(module_spis gwb)" ] || { echo "gwb module not empty: $(module_spis gwb)"; return 1; }
	fi
	grep -q "added outbound SA spi $(printf 0x%x "$SPI_A_OUT")" "$work/gwa/s2sd.log"
}


# PINGS IPv4 and PINGS IPv6 echo requests LAN A -> LAN B and their replies:
# 2*PINGS packets in each of the four SAs, counted by the module on s2s
# gateways and by XFRM (xfrm0) on the stock one.
t_ping() {
	local n=$((2 * PINGS)) bad=0 c
	ike_capture_start "$work/wan.pcap" || return 1
	nsx lana ping -c $PINGS -i 0.2 -W 5 -p a5c3a5c3 "$LANB_HOST4" | tail -n 2
	nsx lana ping -6 -c $PINGS -i 0.2 -W 5 -p a5c3a5c3 "$LANB_HOST6" | tail -n 2
	wan_capture_stop
	c="$(stat gwa s2s0 out "$SPI_A_OUT" tx_packets) $(stat gwa s2s0 in "$SPI_A_IN" rx_packets)"
	echo "gwa module: out tx $c rx (want $n $n)"
	[ "$c" = "$n $n" ] || bad=1
	if [ "$PEER" = s2s ]; then
		c="$(stat gwb s2s0 out "$SPI_B_OUT" tx_packets) $(stat gwb s2s0 in "$SPI_B_IN" rx_packets)"
	else
		c="$(xfrm_counts gwb "$SPI_B_OUT" | cut -d' ' -f2) $(xfrm_counts gwb "$SPI_B_IN" | cut -d' ' -f2)"
	fi
	echo "gwb: out tx $c rx (want $n $n)"
	[ "$c" = "$n $n" ] || bad=1
	return $bad
}

t_wire() {
	wan_only_esp "$work/wan.pcap" "$SPI_A_IN" "$SPI_A_OUT" || return 1
	tcpdump -r "$work/wan.pcap" -n 2>/dev/null | head -n 4
	# one ESP packet per ping and direction
	[ "$(tcpdump -r "$work/wan.pcap" -n 2>/dev/null | grep -c 'ESP(')" -eq $((4 * PINGS)) ]
}

# swanctl shows what XFRM holds; s2sd copies the module's counters there
# every second (-i 1).
counts_match() {
	local gw=$1 dir=$2 spi=$3 f=$4 sw mod
	sw=$(ike_child_counts "$gw" "$dir") || return 1
	mod="$(stat "$gw" s2s0 "$dir" "$spi" "${f}_bytes") $(stat "$gw" s2s0 "$dir" "$spi" "${f}_packets")"
	echo "$gw $dir: swanctl $sw, module $mod"
	[ "$sw" = "$mod" ] && [ "${sw#* }" = $((2 * PINGS)) ]
}

t_counters() {
	local ok=0
	wait_for 10 counts_match gwa in "$SPI_A_IN" rx && wait_for 10 counts_match gwa out "$SPI_A_OUT" tx || ok=1
	counts_match gwa in "$SPI_A_IN" rx
	counts_match gwa out "$SPI_A_OUT" tx
	if [ "$PEER" = s2s ]; then
		wait_for 10 counts_match gwb in "$SPI_B_IN" rx && wait_for 10 counts_match gwb out "$SPI_B_OUT" tx || ok=1
		counts_match gwb in "$SPI_B_IN" rx
		counts_match gwb out "$SPI_B_OUT" tx
	fi
	[ $ok = 0 ] || swc gwa --list-sas
	return $ok
}

stat() { s2s_sa_stat "$@"; }
t_down() { ike_down "$CONN"; }

# charon installs the SAs without selectors; s2sd sets those the child
# negotiated (swanctl.conf's local_ts/remote_ts) on all four SAs.
t_selectors() {
	local a="$LANA_NET4,$LANA_NET6" b="$LANB_NET4,$LANB_NET6" bad=0
	wait_for 10 selectors_are gwa in "$SPI_A_IN" "local $a remote $b" >/dev/null
	selectors_are gwa in "$SPI_A_IN" "local $a remote $b" || bad=1
	selectors_are gwa out "$SPI_A_OUT" "local $a remote $b" || bad=1
	if [ "$PEER" = s2s ]; then
		wait_for 10 selectors_are gwb in "$SPI_B_IN" "local $b remote $a" >/dev/null
		selectors_are gwb in "$SPI_B_IN" "local $b remote $a" || bad=1
		selectors_are gwb out "$SPI_B_OUT" "local $b remote $a" || bad=1
	fi
	nsx gwa s2sctl sa get s2s0 dir in spi "$SPI_A_IN" | grep selectors
	return $bad
}

# gwb's s2s0 carries whatever is routed into it: pings from its WAN address
# go out in the SA, authenticated, but LAN A's side must not take an inner
# source the child never agreed to (XFRM's inbound policy check would not).
t_spoof() {
	local before after
	before=$(stat gwa s2s0 in "$SPI_A_IN" selector)
	nsx gwb ping -c 3 -i 0.2 -W 1 -I "$GWB_WAN4" "$LANA_HOST4" >/dev/null && {
		echo "a ping from $GWB_WAN4 was answered"; return 1; }
	after=$(stat gwa s2s0 in "$SPI_A_IN" selector)
	echo "gwa inbound SA: selector drops $before -> $after"
	[ "$after" -eq $((before + 3)) ] || return 1
	# and what the child covers still passes
	nsx lana ping -c 1 -W 5 "$LANB_HOST4" >/dev/null
}

# tunnel_case CASE CONN ALG PEER: the eight checks of one tunnel.
tunnel_case() {
	CASE=$1 CONN=$2 ALG=$3 PEER=$4
	if ! run_test "$CASE: gwa initiates; swanctl on both lists lan INSTALLED, ESP:$ALG" t_up; then
		ktap_skip "$CASE: the module holds the SPIs charon negotiated" "no tunnel"
		ktap_skip "$CASE: ping LAN A -> LAN B" "no tunnel"
		ktap_skip "$CASE: WAN carries only ESP" "no tunnel"
		ktap_skip "$CASE: swanctl counters" "no tunnel"
		ktap_skip "$CASE: selectors" "no tunnel"
		ktap_skip "$CASE: source outside the selectors" "no tunnel"
		run_test "$CASE: terminate" t_down
		return 1
	fi
	run_test "$CASE: the module holds exactly the SPIs charon negotiated" t_module_sas
	run_test "$CASE: ping LAN A -> LAN B, $PINGS IPv4 + $PINGS IPv6, exact counts in every SA" t_ping
	run_test "$CASE: WAN carried only ESP with the negotiated SPIs, one per packet" t_wire
	run_test "$CASE: swanctl --list-sas counters equal the module's" t_counters
	run_test "$CASE: the module's SAs carry the child's traffic selectors" t_selectors
	if [ "$PEER" = s2s ]; then
		run_test "$CASE: an inner source outside them is dropped, counted 'selector'" t_spoof
	else
		ktap_skip "$CASE: source outside the selectors" "the XFRM peer's own policies keep such packets in"
	fi
	run_test "$CASE: terminate removes the SAs from XFRM and the module" t_down
}

# ----------------------------------------------------------------- a --
load_both() {
	ike_load gwa "$1" >/dev/null && ike_load gwb "$1" >/dev/null
}
conf_both() {
	local conn=$1
	shift
	ike_conn gwa "$conn" "$@" && ike_conn gwb "$conn" "$@" && load_both "$conn"
}

routes_by_hand gwa && routes_by_hand gwb
conf_both rec "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" ||
	ktap_diag "cannot load the recommended profile"
tunnel_case "a. s2s<->s2s recommended" rec AES_GCM_16-256 s2s

# ----------------------------------------------------------------- b --
t_xfrmi_setup() {
	nsx gwb ip link add xfrm0 type xfrm dev wan0 if_id $XFRMI_IF_ID &&
		nsx gwb ip link set xfrm0 up &&
		routes_by_hand gwb xfrm0 &&
		ike_conn gwa xfrmi "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" &&
		ike_conn gwb xfrmi "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" if_id=$XFRMI_IF_ID mark=0 &&
		load_both xfrmi
}
run_test "b. setup: gwb uses a stock xfrm interface (xfrm0, if_id $XFRMI_IF_ID) for LAN A" t_xfrmi_setup
tunnel_case "b. s2s<->xfrmi recommended" xfrmi AES_GCM_16-256 xfrmi
nsx gwb ip link del xfrm0 2>/dev/null
routes_by_hand gwb

# ----------------------------------------------------------------- c --
conf_both cloud aes128-sha1-modp2048 aes128-sha1-modp2048 ||
	ktap_diag "cannot load the cloud default profile"
tunnel_case "c. s2s<->s2s cloud default" cloud AES_CBC-128/HMAC_SHA1_96 s2s
conf_both chacha chacha20poly1305-prfsha256-x25519 chacha20poly1305-x25519 ||
	ktap_diag "cannot load the chacha20-poly1305 profile"
tunnel_case "c. s2s<->s2s chacha20-poly1305" chacha CHACHA20_POLY1305 s2s

ktap_finished
