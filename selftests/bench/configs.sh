#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# configs.sh - the test bed's topology and every configuration make bench
# compares: how each is set up, checked, rekeyed and taken down. Sourced
# by bench.sh (the guest side of `make bench`), whose parameters and
# output functions it uses.

# ----------------------------------------------------------- topology ----

bench_topo() {
	topo_create || return 1
	local d
	for d in "gwa wan0" "wan gwa" "wan gwb" "gwb wan0" "wan br0"; do
		# shellcheck disable=SC2086 # NS DEV
		nsx ${d% *} ip link set ${d#* } mtu "$WAN_MTU" || return 1
	done
	[ "$RPS" = 1 ] || { plain_routes; return; }
	# A veth queues what it receives on the sending CPU's backlog, so a
	# TCP sender transmitting from process and softirq context on both
	# vCPUs has its packets forwarded on both at once, reordered; RPS
	# hashes each flow to one CPU, as a NIC's queues do.
	local mask
	mask=$(printf '%x' $(((1 << $(nproc)) - 1)))
	for d in "lana eth0" "gwa lan0" "gwa wan0" "wan gwa" "wan gwb" \
		"gwb wan0" "gwb lan0" "lanb eth0"; do
		nsx "${d% *}" sh -c "echo $mask > /sys/class/net/${d#* }/queues/rx-0/rps_cpus" ||
			return 1
	done
	plain_routes
}

# The gateways route the far LAN directly; gateway-originated traffic uses
# the LAN address, as it does through every tunnel below.
plain_routes() {
	nsx gwa ip route replace "$LANB_NET4" via "$GWB_WAN4" src "$LANA_GW4" &&
		nsx gwb ip route replace "$LANA_NET4" via "$GWA_WAN4" src "$LANB_GW4"
}

tunnel_routes() {
	nsx gwa ip route replace "$LANB_NET4" dev "$1" src "$LANA_GW4" &&
		nsx gwb ip route replace "$LANA_NET4" dev "$1" src "$LANB_GW4"
}

# ------------------------------------------------------ configurations ----

# Current SPIs (A->B, B->A); rekeys move them on.
spi_gen=0
next_spis() {
	spi_gen=$((spi_gen + 1))
	CUR_AB=$(printf '0x%x' $((0x3000a000 + spi_gen)))
	CUR_BA=$(printf '0x%x' $((0x3000b000 + spi_gen)))
}

cfg_alg() {
	case $1 in
	xfrm | xfrm-natt | s2s-aes256gcm | s2s-par | s2s-inline | s2s-natt)
		echo aes-gcm-256 ;;
	s2s-aes128gcm) echo aes-gcm-128 ;;
	s2s-chacha) echo chacha20-poly1305 ;;
	xfrm-cbc | s2s-cbc) echo aes-cbc-256-sha256 ;;
	*) echo none ;;
	esac
}

# The encapsulation arguments of the configuration being measured, for
# `ip xfrm state` and for `s2sctl sa add` (cfg_up sets them): empty for
# plain ESP.
XFRM_ENCAP=() S2S_ENCAP=()

xfrm_state() {
	local ns=$1 src=$2 dst=$3 spi=$4
	# shellcheck disable=SC2086 # XFRM_ALGS is an argument list
	nsx "$ns" ip xfrm state add src "$src" dst "$dst" proto esp spi "$spi" \
		mode tunnel if_id "$IF_ID" replay-window "$XFRM_REPLAY" $XFRM_ALGS \
		"${XFRM_ENCAP[@]}"
}

xfrm_side() {
	local ns=$1 l=$2 r=$3 out=$4 in=$5
	nsx "$ns" ip link add ipsec0 type xfrm dev wan0 if_id "$IF_ID" &&
		nsx "$ns" ip link set ipsec0 mtu 1500 up &&
		xfrm_state "$ns" "$r" "$l" "$in" &&
		xfrm_state "$ns" "$l" "$r" "$out" &&
		nsx "$ns" ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out \
			tmpl src "$l" dst "$r" proto esp mode tunnel if_id "$IF_ID" &&
		nsx "$ns" ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir in \
			tmpl src "$r" dst "$l" proto esp mode tunnel if_id "$IF_ID" &&
		nsx "$ns" ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir fwd \
			tmpl src "$r" dst "$l" proto esp mode tunnel if_id "$IF_ID"
}

wg_side() {
	local ns=$1 key=$2 peer_pub=$3 peer=$4 allowed=$5
	nsx "$ns" ip link add wg0 type wireguard &&
		nsx "$ns" wg set wg0 private-key "$key" listen-port 51820 \
			peer "$peer_pub" endpoint "$peer:51820" allowed-ips "$allowed" &&
		nsx "$ns" ip link set wg0 mtu 1500 up
}

s2s_side() {
	local ns=$1 l=$2 r=$3 out=$4 in=$5
	nsx "$ns" ip link add s2s0 type s2s &&
		s2s_sa "$ns" s2s0 in "$in" "$l" "$r" "${S2S_ENCAP[@]}" &&
		s2s_sa "$ns" s2s0 out "$out" "$l" "$r" "${S2S_ENCAP[@]}" &&
		nsx "$ns" ip link set s2s0 up
}

# natt_listen: on both gateways a UDP socket in ESP-in-UDP mode on
# NATT_PORT, as charon holds one, without which the kernel hands arriving
# ESP-in-UDP to no ESP receiver (XFRM's or s2s's). cfg_down stops them.
natt_pids=()
natt_listen() {
	local ns
	for ns in gwa gwb; do
		ip netns exec "$ns" encap-listen 4 "$NATT_PORT" &
		natt_pids+=($!)
	done
	# bound before the first packet, or it would meet a closed port
	wait_for 10 sh -c "ip netns exec gwa ss -Hlun sport = :$NATT_PORT | grep -q . &&
		ip netns exec gwb ss -Hlun sport = :$NATT_PORT | grep -q ."
}

cfg_up() {
	local cfg=$1 alg
	alg=$(cfg_alg "$cfg")
	[ "$alg" = none ] || esp_alg_keys "$alg" || return 1
	next_spis
	XFRM_ENCAP=() S2S_ENCAP=()
	case $cfg in
	*-natt)
		XFRM_ENCAP=(encap espinudp "$NATT_PORT" "$NATT_PORT" 0.0.0.0)
		S2S_ENCAP=(encap "$NATT_PORT" "$NATT_PORT")
		natt_listen || return 1 ;;
	esac
	case $cfg in
	plain) plain_routes ;;
	xfrm | xfrm-cbc | xfrm-natt)
		xfrm_side gwa "$GWA_WAN4" "$GWB_WAN4" "$CUR_AB" "$CUR_BA" &&
			xfrm_side gwb "$GWB_WAN4" "$GWA_WAN4" "$CUR_BA" "$CUR_AB" &&
			tunnel_routes ipsec0 ;;
	wg)
		local ka kb
		ka=$(mktemp) kb=$(mktemp)
		wg genkey >"$ka" && wg genkey >"$kb" &&
			wg_side gwa "$ka" "$(wg pubkey <"$kb")" "$GWB_WAN4" "$LANB_NET4" &&
			wg_side gwb "$kb" "$(wg pubkey <"$ka")" "$GWA_WAN4" "$LANA_NET4" &&
			tunnel_routes wg0
		local rc=$?
		rm -f "$ka" "$kb"
		return $rc ;;
	s2s-*)
		modprobe s2s || return 1
		# s2s-par: every packet's crypto handed to the other CPU's
		# worker; s2s-inline: none. Both fixed ways, to measure
		# s2s-aes256gcm's automatic choice against.
		case $cfg in
		s2s-par) echo 2 >"$PAR_MODE" || return 1 ;;
		s2s-inline) echo 1 >"$PAR_MODE" || return 1 ;;
		esac
		s2s_side gwa "$GWA_WAN4" "$GWB_WAN4" "$CUR_AB" "$CUR_BA" &&
			s2s_side gwb "$GWB_WAN4" "$GWA_WAN4" "$CUR_BA" "$CUR_AB" &&
			tunnel_routes s2s0 ;;
	*) echo "unknown configuration $cfg"; return 1 ;;
	esac
}

cfg_down() {
	local ns
	for ns in gwa gwb; do
		nsx "$ns" ip link del ipsec0 2>/dev/null
		nsx "$ns" ip link del wg0 2>/dev/null
		nsx "$ns" ip link del s2s0 2>/dev/null
		xfrm_flush "$ns" 2>/dev/null
	done
	[ ! -w "$PAR_MODE" ] || echo 0 >"$PAR_MODE"
	local pid
	for pid in "${natt_pids[@]}"; do
		stop_pid "$pid"
		wait "$pid" 2>/dev/null
	done
	natt_pids=()
	plain_routes
}

# cfg_ready CONFIG: the tunnel CONFIG set up is up when LAN A reaches LAN B
# (the first packets may take an ARP or a WireGuard handshake).
cfg_ready() {
	local cfg=$1 udp0
	udp0=$(net_counter gwb snmp Udp: InDatagrams)
	wait_for 30 nsx lana ping -c 1 -W 1 "$LANB_HOST4" || return 1
	# A -natt configuration whose ping crossed as plain ESP would measure
	# the wrong encapsulation: its gateway B must have taken UDP datagrams.
	if [[ $cfg == *-natt ]] &&
		[ "$(net_counter gwb snmp Udp: InDatagrams)" -le "$udp0" ]; then
		echo "cfg_ready: the tunnel carried no ESP in UDP"
		return 1
	fi
	# LAN A's host keeps the path MTU the previous configuration taught
	# it, and s2s's links are smaller than the others': forget it, and
	# learn this configuration's now, with one full-size DF ping that the
	# gateway may answer with "fragmentation needed", rather than with a
	# GSO packet lost at the start of the first measured transfer.
	nsx lana ip route flush cache &&
		{ nsx lana ping -c 1 -W 1 -M "do" -s $((1500 - 28)) "$LANB_HOST4" >/dev/null 2>&1 || true; }
}

# rekey CONFIG: the IKEv2 order on both sides, new inbound SAs first, then
# the outbound swap, old SAs deleted once nothing uses them.
rekey() {
	local cfg=$1 old_ab=$CUR_AB old_ba=$CUR_BA
	next_spis
	case $cfg in
	xfrm | xfrm-cbc | xfrm-natt)
		xfrm_state gwb "$GWA_WAN4" "$GWB_WAN4" "$CUR_AB" &&
			xfrm_state gwa "$GWB_WAN4" "$GWA_WAN4" "$CUR_BA" &&
			xfrm_state gwa "$GWA_WAN4" "$GWB_WAN4" "$CUR_AB" &&
			xfrm_state gwb "$GWB_WAN4" "$GWA_WAN4" "$CUR_BA" || return 1
		sleep 1
		nsx gwa ip xfrm state delete src "$GWA_WAN4" dst "$GWB_WAN4" proto esp spi "$old_ab" &&
			nsx gwa ip xfrm state delete src "$GWB_WAN4" dst "$GWA_WAN4" proto esp spi "$old_ba" &&
			nsx gwb ip xfrm state delete src "$GWA_WAN4" dst "$GWB_WAN4" proto esp spi "$old_ab" &&
			nsx gwb ip xfrm state delete src "$GWB_WAN4" dst "$GWA_WAN4" proto esp spi "$old_ba"
		;;
	s2s-*)
		s2s_sa gwb s2s0 in "$CUR_AB" "$GWB_WAN4" "$GWA_WAN4" "${S2S_ENCAP[@]}" &&
			s2s_sa gwa s2s0 in "$CUR_BA" "$GWA_WAN4" "$GWB_WAN4" "${S2S_ENCAP[@]}" &&
			s2s_sa gwa s2s0 out "$CUR_AB" "$GWA_WAN4" "$GWB_WAN4" "${S2S_ENCAP[@]}" &&
			s2s_sa gwb s2s0 out "$CUR_BA" "$GWB_WAN4" "$GWA_WAN4" "${S2S_ENCAP[@]}" || return 1
		sleep 1
		nsx gwa s2sctl sa del s2s0 dir out spi "$old_ab" &&
			nsx gwa s2sctl sa del s2s0 dir in spi "$old_ba" &&
			nsx gwb s2sctl sa del s2s0 dir out spi "$old_ba" &&
			nsx gwb s2sctl sa del s2s0 dir in spi "$old_ab"
		;;
	*) return 1 ;;
	esac
}
