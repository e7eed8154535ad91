#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Today's s2sd against an older loaded module, as after a package upgrade
# that did not reload the module (tunnels stay up across the upgrade):
#   selftests/qemu/run.sh --kernel BUNDLE --module s2s.ko \
#       --bin helper/s2sctl --bin helper/s2sd \
#       --file build/KVER-prev/s2s.ko:/s2s/prev/s2s.ko helper/tests/guest-skew.sh
#
# The older module is the last one before link-set took ike-until-close
# (scripts/check.sh builds it from the git history). Its strict policy
# refuses that flag as an unknown attribute; s2sd must still get its
# status reports through, say once what the old module cannot do, and
# leave the current module loaded again afterwards.

source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh"

PREV=/s2s/prev/s2s.ko
NS=skew

require_root
require_cmd ip s2sctl s2sd modprobe insmod rmmod
[ -f "$PREV" ] || ktap_skip_all "no previous module ($PREV): built from the git history by scripts/check.sh"
[ -d /sys/module/s2s ] || require_module s2s

tmp=$(mktemp -d)
defer "rm -rf $tmp"

ktap_header
ktap_plan 4

srcversion=$(cat /sys/module/s2s/srcversion)

# Put the current module back whatever happens, for the suites after this.
restore() {
	ip netns del $NS 2>/dev/null
	if [ "$(cat /sys/module/s2s/srcversion 2>/dev/null)" != "$srcversion" ]; then
		rmmod s2s 2>/dev/null
		modprobe s2s
	fi
}
defer restore

t_load_prev() {
	rmmod s2s || { echo "the current module cannot be unloaded"; return 1; }
	insmod "$PREV" || return 1
	echo "loaded $(cat /sys/module/s2s/srcversion), was $srcversion"
	[ "$(cat /sys/module/s2s/srcversion)" != "$srcversion" ]
}
run_test "the previous module replaces the current one" t_load_prev

# No charon: s2sd reports "charon not reachable", a report it would bind
# to its socket with ike-until-close.
t_report_through() {
	ip netns add $NS &&
		ip -n $NS link add s2s9 type s2s &&
		ip netns exec $NS s2sctl link set s2s9 if-id 99 &&
		ip -n $NS link set s2s9 up || return 1
	# not through nsx: $! must be s2sd itself
	ip netns exec $NS s2sd -f --vici "$tmp/no-charon.vici" >>"$tmp/s2sd.log" 2>&1 &
	S2SD_PID=$!
	defer "kill $S2SD_PID 2>/dev/null"
	wait_for 20 ike_status_is $NS s2s9 "unknown (s2sd: charon not reachable)" && return
	echo "status: '$(ike_status $NS s2s9)'"
	tail -n 5 "$tmp/s2sd.log"
	return 1
}
run_test "s2sd's status report goes through without ike-until-close" t_report_through

# A second link, learnt at s2sd's next attempt to reach charon: a second
# report the old module refuses with the flag, and no second warning.
t_said_once() {
	ip -n $NS link add s2s8 type s2s &&
		ip netns exec $NS s2sctl link set s2s8 if-id 98 &&
		ip -n $NS link set s2s8 up || return 1
	wait_for 40 ike_status_is $NS s2s8 "unknown (s2sd: charon not reachable)" ||
		{ echo "s2s8: '$(ike_status $NS s2s8)'"; cat "$tmp/s2sd.log"; return 1; }
	cat "$tmp/s2sd.log"
	[ "$(grep -c "predates ike-until-close" "$tmp/s2sd.log")" = 1 ] &&
		! grep -q "cannot report it" "$tmp/s2sd.log"
}
run_test "a second link's report goes through too; s2sd says once what the older module cannot do" t_said_once

t_restored() {
	kill -TERM "$S2SD_PID" && wait "$S2SD_PID" || return 1
	if ! ike_status_is $NS s2s9 "unknown (s2sd is not reporting)"; then
		echo "after stop: '$(ike_status $NS s2s9)'"
		return 1
	fi
	ip netns del $NS && rmmod s2s && modprobe s2s || return 1
	[ "$(cat /sys/module/s2s/srcversion)" = "$srcversion" ]
}
run_test "a clean stop reports through the old module too; the current module is back" t_restored

ktap_finished
