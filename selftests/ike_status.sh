#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tunnel status users expect, per s2s link: s2sd follows charon over
# vici (child and IKE events, and charon's log for failures) and reports
# it into the module, where `s2sctl show` (text and --json) reads it.
# lib.sh's topology, charon and s2sd (with --vici on charon's socket) on
# both gateways, gwa initiating:
#
#   lana -- gwa [s2s0 if-id 42, charon, s2sd] -- wan -- gwb [s2s0 if-id 42, charon, s2sd] -- lanb
#
# Cases, each checked on `s2sctl show` and its JSON on the initiator gwa
# and, where charon names the connection, on the responder gwb:
#   a. before s2sd: unknown, "s2sd is not reporting"; with s2sd and
#      charon but no tunnel: down
#   b. a good connection: connecting, then connected (s2sd's log shows
#      the order); terminated: down
#   c. misconfigurations, gwb's side wrong; swanctl and charon name the
#      failed phase, s2sd forwards nothing, and the link says:
#        PSK                 phase 1 failed (AUTHENTICATION_FAILED / MAC)
#        IKE proposal        phase 1 failed (gwb: charon cannot tell the
#                            connection in IKE_SA_INIT, reports nothing)
#        traffic selectors   phase 2 failed
#        ESP proposal        phase 2 failed
#        peer not answering  connecting (retransmits), then phase 1 failed
#   d. the configuration fixed: connected again, SAs in the module
#   e. s2sd stopped: unknown; started again: connected (from list-sas);
#      killed (SIGKILL): unknown, the report withdrawn by the module;
#      started again: connected

# Test steps run through run_test, which shellcheck cannot follow.
# shellcheck disable=SC2317

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip swanctl s2sctl s2sd "$CHARON"
[ -d /sys/module/s2s ] || require_module s2s

ktap_plan 17

work=$(mktemp -d /tmp/ike_status.XXXXXX)
defer "rm -rf '$work'"
ike_init "$work"

vici_of() { echo "$work/$1/charon.vici"; }

# ike_line GW: the "ike:" line of s2s0 in `s2sctl show`.
ike_line() {
	nsx "$1" s2sctl show s2s0 | sed -n 's/^  ike: //p'
}

# ike_json GW: "STATUS|REASON" from `s2sctl show --json` (REASON "null"
# when none).
ike_json() {
	nsx "$1" s2sctl show s2s0 --json | tr -d '\n' |
		sed -n 's/.*"ike_status": *"\([^"]*\)", *"ike_reason": *\(null\|"[^"]*"\).*/\1|\2/p' |
		tr -d '"'
}

# status_is GW TEXT JSON: the line is TEXT and the JSON says JSON.
status_is() {
	[ "$(ike_line "$1")" = "$2" ] && [ "$(ike_json "$1")" = "$3" ]
}

# expect_status GW TEXT JSON: wait for it (s2sd reports right after
# charon's event), show what there is when it does not come.
expect_status() {
	if ! wait_for 20 status_is "$@"; then
		echo "$1: want '$2' / '$3'"
		echo "$1: have '$(ike_line "$1")' / '$(ike_json "$1")'"
		tail -n 8 "$work/$1/s2sd.log"
		grep -E "IKE|CHD|CFG" "$work/$1/charon.log" | tail -n 12
		return 1
	fi
	echo "$1: ike: $2"
}

t_setup() {
	topo_create || return 1
	s2s_link gwa && s2s_link gwb
}
run_test "setup: s2s0 (if-id $IKE_IF_ID) on both gateways" t_setup ||
	ktap_skip_all "no test bed"

# ----------------------------------------------------------------- a --
t_unknown() {
	status_is gwa "unknown (s2sd is not reporting)" "unknown|null" &&
		status_is gwb "unknown (s2sd is not reporting)" "unknown|null"
}
run_test "a. no s2sd: status unknown, shown as not reported" t_unknown

t_down() {
	charon_start gwa && charon_start gwb || return 1
	s2sd_start gwa --vici "$(vici_of gwa)" &&
		s2sd_start gwb --vici "$(vici_of gwb)" || { cat "$work"/gw?/s2sd.log; return 1; }
	expect_status gwa "down (no Child SA up)" "down|no Child SA up" &&
		expect_status gwb "down (no Child SA up)" "down|no Child SA up"
}
run_test "a. s2sd and charon, no tunnel: down" t_down

# ----------------------------------------------------------------- b --
# conn NAME [KEY=VALUE...]: the recommended profile on both sides, the
# KEY=VALUEs on gwb's (ike_conn); both loaded.
conn() {
	local name=$1
	shift
	ike_conn gwa "$name" "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" &&
		ike_conn gwb "$name" "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" "$@" &&
		ike_load gwa "$name" >/dev/null && ike_load gwb "$name" >/dev/null
}

t_connected() {
	local log=$work/gwa/s2sd.log
	conn good || return 1
	swc gwa --initiate --ike good --child lan --timeout 60 >"$work/init.good" 2>&1 ||
		{ tail -n 15 "$work/init.good"; return 1; }
	expect_status gwa "connected (good, child lan)" "connected|good, child lan" &&
		expect_status gwb "connected (good, child lan)" "connected|good, child lan" ||
		return 1
	grep "ike: s2s0:" "$log"
	# what the initiator went through, in order, each logged once
	grep -n "ike: s2s0: connecting (good: negotiating the IKE SA)" "$log" | tail -n 1 |
		cut -d: -f1 >"$work/l1" &&
		grep -n "ike: s2s0: connecting (good: IKE SA up, negotiating the Child SA)" "$log" |
		tail -n 1 | cut -d: -f1 >"$work/l2" &&
		grep -n "ike: s2s0: connected (good, child lan)" "$log" | cut -d: -f1 >"$work/l3" || return 1
	[ "$(wc -l <"$work/l3")" -eq 1 ] &&
		[ "$(cat "$work/l1")" -lt "$(cat "$work/l2")" ] &&
		[ "$(cat "$work/l2")" -lt "$(cat "$work/l3")" ]
}
run_test "b. good connection: connecting, then connected, on both gateways" t_connected

t_closed() {
	swc gwa --terminate --ike good --timeout 30 >/dev/null || return 1
	expect_status gwa "down (good: child lan closed)" "down|good: child lan closed" &&
		expect_status gwb "down (good: child lan closed)" "down|good: child lan closed" &&
		wait_for 15 module_empty
}
run_test "b. terminated: down on both gateways, the module empty" t_closed

# ----------------------------------------------------------------- c --
# misconfigured CONN ERROR RLOG STATE [KEY=VALUE...]: gwa initiates CONN
# (gwb's side changed by the KEY=VALUEs) and fails; swanctl's output must
# name ERROR, gwb's charon log RLOG, gwa's IKE SA must be in STATE (none:
# absent), and s2sd forwards nothing.
misconfigured() {
	local name=$1 error=$2 rlog=$3 state=$4 out
	shift 4
	conn "$name" "$@" || return 1
	out=$work/init.$name
	if swc gwa --initiate --ike "$name" --child lan --timeout 30 >"$out" 2>&1; then
		echo "initiation succeeded"; return 1
	fi
	grep -E "$error|failed|no CHILD_SA" "$out" | tail -n 4
	grep -q "$error" "$out" || { tail -n 15 "$out"; return 1; }
	grep -qE "$rlog" "$work/gwb/charon.log" || { tail -n 15 "$work/gwb/charon.log"; return 1; }
	swc gwa --list-sas --ike "$name" >"$work/sas.$name"
	if [ "$state" = none ]; then
		! grep -q "^$name: #" "$work/sas.$name"
	else
		grep -q "^$name: #.*$state" "$work/sas.$name" && ! grep -q " lan: #" "$work/sas.$name"
	fi || { cat "$work/sas.$name"; return 1; }
	[ -z "$(module_spis gwa)" ] && [ -z "$(module_spis gwb)" ] || { echo "the module has SAs"; return 1; }
}

# ends CONN: gwa closes CONN (a failed phase 2 leaves the IKE SA up);
# the failure stays shown.
ends() {
	swc gwa --terminate --ike "$1" --timeout 10 >/dev/null 2>&1
	wait_for 10 sh -c "! STRONGSWAN_CONF=$work/gwa/strongswan.conf swanctl --list-sas --uri unix://$(vici_of gwa) 2>/dev/null | grep -q '^$1: #'"
}

t_psk() {
	local r
	misconfigured psk AUTHENTICATION_FAILED "MAC mismatched" none \
		psk="not the same key" || return 1
	r="psk: peer sent AUTHENTICATION_FAILED (key or identity mismatch)"
	expect_status gwa "phase 1 failed ($r)" "phase1-failed|$r" &&
		expect_status gwb "phase 1 failed (psk: pre-shared key mismatch)" \
			"phase1-failed|psk: pre-shared key mismatch" &&
		ends psk && status_is gwa "phase 1 failed ($r)" "phase1-failed|$r"
}
run_test "c. PSK mismatch: phase 1 failed, AUTHENTICATION_FAILED (gwa), key mismatch (gwb)" t_psk

t_ike_proposal() {
	local r="ikeprop: no acceptable proposal (IKE)"
	misconfigured ikeprop NO_PROPOSAL_CHOSEN "received proposals unacceptable" none \
		proposals=aes128-sha256-modp3072 || return 1
	expect_status gwa "phase 1 failed ($r)" "phase1-failed|$r" || return 1
	# gwb refused in IKE_SA_INIT, before choosing a connection: charon
	# names none there, and s2sd blames no link for it
	ike_line gwb
	! ike_line gwb | grep -q ikeprop
}
run_test "c. IKE proposal mismatch: phase 1 failed, no acceptable proposal (IKE)" t_ike_proposal

t_ts() {
	local r="lan: traffic selectors unacceptable"
	misconfigured ts TS_UNACCEPTABLE "traffic selectors .* unacceptable" ESTABLISHED \
		remote_ts=10.9.0.0/24 || return 1
	expect_status gwa "phase 2 failed ($r)" "phase2-failed|$r" &&
		expect_status gwb "phase 2 failed (ts: traffic selectors unacceptable)" \
			"phase2-failed|ts: traffic selectors unacceptable" &&
		ends ts && status_is gwa "phase 2 failed ($r)" "phase2-failed|$r"
}
run_test "c. TS mismatch: IKE up, phase 2 failed, traffic selectors unacceptable" t_ts

t_esp_proposal() {
	local r="lan: no acceptable proposal (ESP)"
	misconfigured espprop NO_PROPOSAL_CHOSEN "no acceptable proposal found" ESTABLISHED \
		esp_proposals=aes128gcm16-modp3072 || return 1
	expect_status gwa "phase 2 failed ($r)" "phase2-failed|$r" &&
		expect_status gwb "phase 2 failed (espprop: no acceptable proposal (ESP))" \
			"phase2-failed|espprop: no acceptable proposal (ESP)" &&
		ends espprop
}
run_test "c. ESP proposal mismatch: IKE up, phase 2 failed, no acceptable proposal (ESP)" t_esp_proposal

# Nobody at the peer's address: charon retransmits (2 s, 3 tries; lib.sh)
# and gives up. The failure of the previous case stays shown while the
# new attempt retransmits; s2sd's log has every step.
t_no_answer() {
	local log=$work/gwa/s2sd.log
	ike_conn gwa dead "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" \
		remote_addrs=192.0.2.9 || return 1
	# a tunnel that is down first, so that connecting shows
	conn good && swc gwa --initiate --ike good --child lan --timeout 60 >/dev/null &&
		swc gwa --terminate --ike good --timeout 30 >/dev/null &&
		expect_status gwa "down (good: child lan closed)" "down|good: child lan closed" ||
		return 1
	ike_load gwa dead >/dev/null || return 1
	swc gwa --initiate --ike dead --child lan --timeout 60 >"$work/init.dead" 2>&1 &
	local pid=$!
	expect_status gwa "connecting (dead: no answer from the peer (retransmit 1))" \
		"connecting|dead: no answer from the peer (retransmit 1)" || { wait $pid; return 1; }
	wait $pid
	grep -q "peer not responding" "$work/init.dead" || { tail -n 5 "$work/init.dead"; return 1; }
	expect_status gwa "phase 1 failed (dead: peer not responding)" \
		"phase1-failed|dead: peer not responding" &&
		grep -q "ike: s2s0: connecting (dead: no answer from the peer (retransmit 3))" "$log"
}
run_test "c. peer not answering: connecting while retransmitting, then phase 1 failed" t_no_answer

# ----------------------------------------------------------------- d --
t_fixed() {
	conn good || return 1
	swc gwa --initiate --ike good --child lan --timeout 60 >"$work/init.fixed" 2>&1 ||
		{ tail -n 15 "$work/init.fixed"; return 1; }
	expect_status gwa "connected (good, child lan)" "connected|good, child lan" &&
		expect_status gwb "connected (good, child lan)" "connected|good, child lan" || return 1
	read -r SPI_IN SPI_OUT < <(ike_child_spis gwa) || return 1
	wait_for 15 in_module gwa in "$SPI_IN" && wait_for 15 in_module gwa out "$SPI_OUT"
}
run_test "d. configuration fixed: connected again on both, SAs in the module" t_fixed

t_fixed_after_ts() {
	# (while good's IKE SA is up, charon would reuse it for ts: an equal
	# peer config; gwb then takes the child under good's old config)
	swc gwa --terminate --ike good --timeout 30 >/dev/null &&
		expect_status gwa "down (good: child lan closed)" "down|good: child lan closed" ||
		return 1
	# from phase 2 failed straight to connected
	conn ts remote_ts=10.9.0.0/24 &&
		! swc gwa --initiate --ike ts --child lan --timeout 30 >/dev/null 2>&1 &&
		expect_status gwa "phase 2 failed (lan: traffic selectors unacceptable)" \
			"phase2-failed|lan: traffic selectors unacceptable" || return 1
	ends ts
	conn ts && swc gwa --initiate --ike ts --child lan --timeout 60 >/dev/null 2>&1 &&
		expect_status gwa "connected (ts, child lan)" "connected|ts, child lan" &&
		expect_status gwb "connected (ts, child lan)" "connected|ts, child lan"
}
run_test "d. TS fixed: phase 2 failed, then connected" t_fixed_after_ts

# ----------------------------------------------------------------- e --
t_s2sd_stops() {
	s2sd_stop gwa || return 1
	expect_status gwa "unknown (s2sd is not reporting)" "unknown|null" &&
		status_is gwb "connected (ts, child lan)" "connected|ts, child lan"
}
run_test "e. s2sd stopped: unknown, not reported (the peer's still connected)" t_s2sd_stops

t_s2sd_back() {
	s2sd_start gwa --vici "$(vici_of gwa)" || return 1
	expect_status gwa "connected (ts, child lan)" "connected|ts, child lan"
}
run_test "e. s2sd started again: connected, from charon's list of SAs" t_s2sd_back

# SIGKILL: s2sd cannot say anything, the module withdraws the report
# when s2sd's netlink socket is released.
t_s2sd_killed() {
	local pid
	pid=$(cat "$IKE_DIR/gwa/s2sd.pid") || return 1
	rm -f "$IKE_DIR/gwa/s2sd.pid"
	kmsg_mark "ike_status: killing s2sd on gwa"
	kill -KILL "$pid" || return 1
	wait "$pid" 2>/dev/null
	expect_status gwa "unknown (s2sd is not reporting)" "unknown|null" &&
		status_is gwb "connected (ts, child lan)" "connected|ts, child lan" &&
		kmsg_since "ike_status: killing s2sd on gwa" |
		grep 's2s0: IKE status back to unknown'
}
run_test "e. s2sd killed: unknown, the module withdrew its last report" t_s2sd_killed
run_test "e. s2sd started after the kill: connected again" t_s2sd_back

t_charon_gone() {
	charon_stop gwa || return 1
	expect_status gwa "unknown (s2sd: charon not reachable)" \
		"unknown|s2sd: charon not reachable"
}
run_test "e. charon stopped: unknown, charon not reachable" t_charon_gone

ktap_finished
