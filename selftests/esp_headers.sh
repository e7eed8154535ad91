#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The outer header and the rights to change a link: DSCP zeroed by default
# and copied when the link asks for it; ECN per RFC 6040 (ECT copied out,
# CE from the WAN carried in, CE on a not-ECT packet dropped and counted);
# TTL handled as a router does (inner decremented per hop, outer fresh);
# changes refused without CAP_NET_ADMIN in the user namespace that owns
# the network namespace, and allowed to a user namespace's own root in
# its own network namespace.
#
#   lana --- gwa [s2s0] ===== wan ===== gwb [s2s0] --- lanb

source "$(dirname "$0")/lib.sh"

require_cmd ip s2sctl ping tcpdump tc setpriv unshare

ktap_plan 8
modprobe s2s || ktap_skip_all "s2s module not available"
topo_create --lan-routes || ktap_skip_all "cannot build the topology"
esp_alg_keys aes-gcm-128

# DS field values: AF41 (DSCP 34) and the two ECN code points used here.
AF41=0x88
ECT0=0x02

tunnel() {
	esp_outer "$1"
	nsx gwa ip link del s2s0 2>/dev/null
	nsx gwb ip link del s2s0 2>/dev/null
	s2s_gw gwa "$SPI_BA" "$SPI_AB" "$OUT_A" "$OUT_B" && s2s_routes gwa &&
		s2s_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" && s2s_routes gwb
}

# outer_tos TOS: the "tos" the WAN saw on ESP packets from gwa for three
# pings from LAN A sent with TOS (IPv4 outer; tcpdump -v prints it).
outer_tos() {
	local cap
	cap=$(mktemp)
	wan_capture_start "$cap" || return 1
	nsx lana ping -c 3 -i 0.2 -W 2 -Q "$1" "$LANB_HOST4" >/dev/null
	wan_capture_stop
	tcpdump -r "$cap" -n -v "src $OUT_A and esp" 2>/dev/null |
		sed -n 's/^.*(tos \(0x[0-9a-f]*\)[,)].*/\1/p' | sort -u
	rm -f "$cap" "$cap.log"
}

t_dscp_default() {
	local tos
	tunnel 4 || return 1
	tos=$(outer_tos $AF41)
	echo "outer tos: $tos"
	[ "$tos" = 0x0 ]
}
run_test "DSCP: not copied to the outer header by default" t_dscp_default

t_dscp_copy() {
	local tos
	nsx gwa s2sctl link set s2s0 dscp-copy on || return 1
	tos=$(outer_tos $AF41)
	echo "outer tos: $tos"
	[ "$tos" = $AF41 ] || return 1
	# ECN bits of the inner packet come along too (RFC 6040 copies ECT).
	tos=$(outer_tos $((AF41 | ECT0)))
	echo "outer tos with ECT(0): $tos"
	[ "$tos" = 0x8a ]
}
run_test "DSCP: copied with dscp-copy on, ECT(0) alongside" t_dscp_copy

t_ecn_out() {
	local tos
	nsx gwa s2sctl link set s2s0 dscp-copy off || return 1
	tos=$(outer_tos $ECT0)
	echo "outer tos: $tos"
	[ "$tos" = 0x2 ]
}
run_test "ECN: ECT(0) inside is ECT(0) outside, DSCP still zeroed" t_ecn_out

# CE on every ESP packet arriving at gwb over IPv6 (no header checksum to
# fix): traffic class ECN bits are bits 4-5 of the second byte.
ce_on_gwb() {
	nsx gwb tc qdisc add dev wan0 clsact &&
		nsx gwb tc filter add dev wan0 ingress protocol ipv6 u32 \
			match ip6 protocol 50 0xff \
			action pedit munge offset 1 u8 set 0x30 retain 0x30
}

# inner_tos_at_lanb TOS: tos of the echo requests LAN B received.
inner_tos_at_lanb() {
	local cap pid
	cap=$(mktemp)
	ip netns exec lanb tcpdump -i eth0 --immediate-mode -U -n -s 0 -w "$cap" \
		icmp 2>"$cap.log" &
	pid=$!
	wait_for 10 grep -q 'listening on' "$cap.log" || return 1
	nsx lana ping -c 3 -i 0.2 -W 2 -Q "$1" "$LANB_HOST4" >/dev/null
	sleep 0.2
	stop_pid "$pid"
	tcpdump -r "$cap" -n -v 'icmp[icmptype] == icmp-echo' 2>/dev/null |
		sed -n 's/^.*(tos \([0-9a-fx]*\),\(CE\|ECT([01])\),.*/\1,\2/p;
			s/^.*(tos \([0-9a-fx]*\), ttl \([0-9]*\).*/\1 ttl \2/p' |
		sort -u
	rm -f "$cap" "$cap.log"
}

t_ecn_ce_in() {
	local seen
	tunnel 6 && ce_on_gwb || return 1
	seen=$(inner_tos_at_lanb $ECT0)
	echo "at LAN B: $seen"
	[ "$seen" = "0x3,CE" ]
}
run_test "ECN: CE from the WAN marks the inner ECT packet CE" t_ecn_ce_in

t_ecn_ce_not_ect() {
	local before after n
	before=$(s2s_sa_stat gwb s2s0 in "$SPI_AB" malformed)
	n=$(nsx lana ping -c 3 -i 0.2 -W 1 "$LANB_HOST4" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p')
	nsx gwb tc qdisc del dev wan0 clsact
	after=$(s2s_sa_stat gwb s2s0 in "$SPI_AB" malformed)
	echo "answered $n, malformed drops $before -> $after"
	[ "$n" = 0 ] && [ "$after" = $((before + 3)) ]
}
run_test "ECN: CE on a not-ECT inner packet is dropped and counted" t_ecn_ce_not_ect

t_ttl() {
	local seen out
	tunnel 4 || return 1
	seen=$(inner_tos_at_lanb 0)
	echo "at LAN B: $seen"
	# lana sends with 64; gwa and gwb each forward once.
	[ "$seen" = "0x0 ttl 62" ] || return 1
	out=$(nsx lana ping -c 1 -W 2 -t 1 "$LANB_HOST4" 2>&1)
	echo "$out"
	grep -q "From $LANA_GW4.*Time to live exceeded" <<<"$out"
}
run_test "TTL: decremented like a router, expiry answered by the gateway" t_ttl

# Without CAP_NET_ADMIN towards the namespace's owner, every change is
# refused with a message that says so; reading stays allowed.
t_perm_refused() {
	local out rc
	out=$(nsx gwa setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all \
		s2sctl link set s2s0 dscp-copy on 2>&1)
	rc=$?
	echo "unprivileged user: rc $rc: $out"
	[ $rc -ne 0 ] && grep -qi 'not permitted' <<<"$out" || return 1
	out=$(ip netns exec gwa unshare -U -r \
		s2sctl sa del s2s0 dir out spi "$SPI_AB" 2>&1)
	rc=$?
	echo "root of a new user namespace, gwa's network namespace: rc $rc: $out"
	[ $rc -ne 0 ] && grep -qi 'not permitted' <<<"$out" || return 1
	nsx gwa setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all s2sctl show s2s0 >/dev/null || return 1
	# Nothing changed.
	[ -n "$(s2s_sa_stat gwa s2s0 out "$SPI_AB" tx_packets)" ] &&
		nsx gwa s2sctl show s2s0 | grep -q 'dscp-copy off'
}
run_test "CAP_NET_ADMIN: changes refused to other users and user namespaces" t_perm_refused

# A user namespace's root owns the network namespace it creates: there it
# may create a link and SAs.
t_perm_userns() {
	unshare -U -r -n bash -c "
		ip link add s2s9 type s2s &&
		s2sctl sa add s2s9 dir out spi 0x999 enc $ESP_ENC key $ESP_EKEY \
			local 192.0.2.1 remote 192.0.2.2 &&
		s2sctl sa show s2s9 | grep -q 0x00000999 &&
		s2sctl sa del s2s9 dir out spi 0x999 &&
		ip link del s2s9" 2>&1
}
run_test "CAP_NET_ADMIN: a user namespace's root manages links in its own network namespace" t_perm_userns

ktap_finished
