#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# s2s link lifecycle: autoload, create, up/down, rename, listing through the
# genl family (text and JSON), 1000 links, netns moves and namespace death,
# module unload with links present, bad requests answered with extack, and
# the IKE status attributes s2sd reports (stored, shown, bounded, guarded).
#
#   +-----------------+        +------------------+
#   | netns "under"   |  move  | netns "over"     |
#   | s2s links made  | -----> | s2s link lives   |
#   | here (underlay) |        | here afterwards  |
#   +-----------------+        +------------------+

source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh"

require_cmd ip s2sctl modprobe rmmod setpriv

defer "ip netns del under; ip netns del over; ip netns del many"

ktap_header
ktap_plan 17

under() { ip netns exec under "$@"; }
over() { ip netns exec over "$@"; }

# expect_fail MSG CMD...: CMD must fail and print MSG (the kernel's extack).
expect_fail() {
	local msg=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "# unexpectedly succeeded: $*"
		return 1
	fi
	if ! grep -qF -- "$msg" <<<"$out"; then
		echo "# expected '$msg', got: $out"
		return 1
	fi
}

ip netns add under
ip netns add over

t_autoload() {
	rmmod s2s 2>/dev/null
	! lsmod | grep -q '^s2s ' &&
		under ip link add s2s0 type s2s &&
		lsmod | grep -q '^s2s '
}
run_test "link add autoloads the module (rtnl-link-s2s alias)" t_autoload

t_create() {
	under ip -d link show s2s0 | grep -q 'link/none' &&
		under ip -d link show s2s0 | grep -qw 's2s' &&
		under ip -d link show s2s0 | grep -q 'POINTOPOINT,NOARP'
}
run_test "new link is a point-to-point L3 device of kind s2s" t_create

t_updown() {
	under ip link set s2s0 up || return 1
	under ip link show s2s0
	under s2sctl show s2s0
	# No outbound SA: up, but without carrier.
	under ip link show s2s0 | grep -q 'NO-CARRIER' &&
		under s2sctl show s2s0 | grep -q '^s2s0:' || return 1
	under ip link set s2s0 down &&
		! under ip link show s2s0 | grep -q '[<,]UP[,>]'
}
run_test "up and down; no carrier without an outbound SA" t_updown

t_show() {
	local txt json
	under ip link add s2s1 type s2s &&
		under ip link add dummy0 type dummy || return 1
	txt=$(under s2sctl show) || return 1
	json=$(under s2sctl show --json) || return 1
	echo "$txt" | sed 's/^/# /'
	grep -q '^s2s0:' <<<"$txt" && grep -q '^s2s1:' <<<"$txt" &&
		! grep -q dummy0 <<<"$txt" &&
		grep -q '"ifname": *"s2s0"' <<<"$json" &&
		grep -q '"ifname": *"s2s1"' <<<"$json" &&
		[ "$(grep -o '"ifname"' <<<"$json" | wc -l)" -eq 2 ] &&
		grep -q '"mtu": *[0-9]' <<<"$json"
}
run_test "s2sctl show lists exactly the s2s links, as text and JSON" t_show

t_rename() {
	under ip link set s2s1 name wan7 &&
		under s2sctl show wan7 | grep -q '^wan7:' &&
		! under s2sctl show | grep -q '^s2s1:'
}
run_test "rename is seen through the genl family" t_rename

t_mtu() {
	under ip link set s2s0 mtu 1300 &&
		under s2sctl show s2s0 --json | grep -q '"mtu": *1300' &&
		expect_fail "" under ip link set s2s0 mtu 67 &&
		expect_fail "" under ip link set s2s0 mtu 70000
}
run_test "MTU within range is accepted, out of range refused" t_mtu

t_bad_requests() {
	expect_fail "s2s links have no link-layer address" \
		under ip link add bad0 address 02:00:00:00:00:01 type s2s &&
		expect_fail "s2s links have no broadcast address" \
			under ip link add bad0 broadcast 02:00:00:00:00:01 type s2s &&
		! under ip link show bad0 2>/dev/null
}
run_test "bad link requests are refused with an extack message" t_bad_requests

t_bad_genl() {
	expect_fail "no such interface" under s2sctl show nosuch0 &&
		expect_fail "interface is not an s2s link" under s2sctl show dummy0 &&
		expect_fail "interface is not an s2s link" under s2sctl show lo
}
run_test "bad genl requests are refused with an extack message" t_bad_genl

# Two links of one underlay namespace cannot answer to the same if-id
# (charon's SAs and their ESP would go to whichever link came first); the
# same link may be given its own again, and links of different underlay
# namespaces may share one. A refused request changes nothing.
t_if_id_unique() {
	under ip link add s2s7 type s2s && under ip link add s2s8 type s2s &&
		over ip link add s2s9 type s2s || return 1
	under s2sctl link set s2s7 if-id 77 &&
		under s2sctl link set s2s7 if-id 77 &&
		expect_fail "if-id already used by another s2s link of the same underlay namespace" \
			under s2sctl link set s2s8 if-id 77 replay-window 64 &&
		under s2sctl show s2s8 | head -n1 | grep -q '^s2s8: if-id 0, .*replay-window 4096' &&
		over s2sctl link set s2s9 if-id 77 &&
		under s2sctl link set s2s8 if-id 78 || return 1
	under ip link del s2s7 && under ip link del s2s8 && over ip link del s2s9
}
run_test "if-id: unique among the links of an underlay namespace" t_if_id_unique

# The IKE status: "unknown" until someone reports, then what was set,
# in text and JSON; a status without a reason clears the old reason.
t_ike_status() {
	local reason="lan: traffic selectors unacceptable"
	under s2sctl show s2s0 | grep -qx '  ike: unknown (s2sd is not reporting)' &&
		under s2sctl show s2s0 --json | grep -q '"ike_status": *"unknown"' || return 1
	under s2sctl link set s2s0 ike-status phase2-failed ike-reason "$reason" || return 1
	under s2sctl show s2s0
	under s2sctl show s2s0 | grep -qx "  ike: phase 2 failed ($reason)" &&
		under s2sctl show s2s0 --json | grep -q '"ike_status": *"phase2-failed"' &&
		under s2sctl show s2s0 --json | grep -q "\"ike_reason\": *\"$reason\"" || return 1
	under s2sctl link set s2s0 ike-status connected &&
		under s2sctl show s2s0 | grep -qx '  ike: connected' &&
		under s2sctl show s2s0 --json | grep -q '"ike_reason": *null'
}
run_test "IKE status and reason: unknown until set, then shown as set (text, JSON)" t_ike_status

# 95 bytes of reason fit, 96 do not; an unknown status value and an
# unprivileged user are refused, and nothing changes.
t_ike_bad() {
	local r95 r96 out rc
	r95=$(printf 'r%.0s' $(seq 95))
	r96=${r95}x
	under s2sctl link set s2s0 ike-status connecting ike-reason "$r95" &&
		under s2sctl show s2s0 | grep -qx "  ike: connecting ($r95)" || return 1
	expect_fail "integer out of range" \
		under s2sctl link set s2s0 ike-status 6 &&
		expect_fail "Attribute failed policy validation" \
			under s2sctl link set s2s0 ike-reason "$r96" || return 1
	out=$(under setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all \
		s2sctl link set s2s0 ike-status connected 2>&1)
	rc=$?
	echo "unprivileged user: rc $rc: $out"
	[ $rc -ne 0 ] && grep -qi 'not permitted' <<<"$out" &&
		under s2sctl show s2s0 | grep -qx "  ike: connecting ($r95)"
}
run_test "IKE status: bad value, too long reason and unprivileged set refused" t_ike_bad

# 1000 links; 200 on the debug kernel, where KASAN makes each one slow.
MANY=1000
[[ $(uname -r) == *debug* ]] && MANY=200

t_many() {
	local n=$MANY i
	ip netns add many || return 1
	for ((i = 0; i < n; i++)); do
		echo "link add m$i type s2s"
	done | ip -n many -batch - || return 1
	[ "$(ip netns exec many s2sctl show | grep -c '^m[0-9]*:')" -eq $n ] &&
		[ "$(ip netns exec many s2sctl show --json | grep -o '"ifname"' | wc -l)" -eq $n ] || return 1
	for ((i = 0; i < n; i++)); do
		echo "link del m$i"
	done | ip -n many -batch - || return 1
	[ "$(ip netns exec many s2sctl show | grep -c .)" -eq 0 ]
}
run_test "$MANY links created, listed (dump over several messages) and deleted" t_many

t_netns_move() {
	under ip link set s2s0 netns over &&
		over ip link show s2s0 >/dev/null &&
		! under ip link show s2s0 2>/dev/null &&
		over s2sctl show | grep -q '^s2s0:' &&
		! under s2sctl show | grep -q '^s2s0:' &&
		# The encrypted side stays behind: link-netnsid points home.
		over ip -d link show s2s0 | grep -q 'link-netns'
}
run_test "link moves to another netns and is listed there" t_netns_move

t_overlay_death() {
	under ip link add s2s9 type s2s &&
		under ip link set s2s9 netns over &&
		under ip link add s2s8 type s2s &&
		ip netns del over &&
		# s2s0 and s2s9 lived in "over": gone with it; s2s8 unaffected.
		under ip link show s2s8 >/dev/null &&
		ip netns add over
}
run_test "links die with the namespace they live in" t_overlay_death

t_underlay_death() {
	under ip link add s2s5 type s2s &&
		under ip link set s2s5 netns over &&
		over ip link show s2s5 >/dev/null &&
		ip netns del under &&
		# Without its underlay namespace the link can carry nothing.
		! over ip link show s2s5 2>/dev/null &&
		ip netns add under
}
run_test "a moved link is deleted when its underlay namespace dies" t_underlay_death

t_unload() {
	under ip link add s2s0 type s2s &&
		under ip link add s2s1 type s2s &&
		over ip link add s2s2 type s2s &&
		under ip link set s2s1 netns over &&
		under ip link set s2s0 up &&
		rmmod s2s &&
		! lsmod | grep -q '^s2s ' &&
		! under ip link show s2s0 2>/dev/null &&
		! over ip link show s2s1 2>/dev/null &&
		! over ip link show s2s2 2>/dev/null
}
run_test "module unloads with links present in several namespaces" t_unload

t_reload() {
	modprobe s2s && under ip link add s2s0 type s2s &&
		under ip link del s2s0 &&
		! under ip link show s2s0 2>/dev/null
}
run_test "module reloads; link delete" t_reload

ktap_finished
