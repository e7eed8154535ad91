#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Records what charon says over vici when a tunnel cannot come up: the
# "log" event stream (with ike-updown and child-updown) of the initiator
# gwa and the responder gwb, one directory per misconfiguration, plus
# gwa's list-conns answer. A KTAP suite for the QEMU test bed, like
# record.sh:
#
#   make -C helper tests/vici_record
#   selftests/qemu/run.sh --kernel "$K" --bin helper/tests/vici_record \
#       helper/tests/data/vici/record-status.sh
#   helper/tests/data/vici/extract.sh --status LOGDIR/output.log
#
# lib.sh's topology and charon set-up (ike_init, ike_conn: PSK, IKEv2,
# child "lan" with if_id 42). Per case CASE, one connection CASE is
# loaded on both gateways, gwb's side misconfigured, and gwa initiates:
#   psk      gwb has another pre-shared key      (IKE_AUTH fails)
#   ikeprop  gwb proposes only MODP-3072 for IKE (IKE_SA_INIT fails)
#   ts       gwb's remote_ts is 10.9.0.0/24       (IKE up, child refused)
#   espprop  gwb's ESP needs MODP-3072 PFS        (IKE up, child refused)
#   dead     gwa's peer address answers nothing   (retransmits, gives up)
# Every packet is printed as "# vici-frame status/CASE/GW/NAME HEX".

source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh"

require_root
require_cmd ip swanctl vici_record "$CHARON"
ktap_header
ktap_plan 7

work=$(mktemp -d /tmp/vici_status.XXXXXX)
defer "rm -rf $work"
ike_init "$work"

t_setup() {
	topo_create && charon_start gwa && charon_start gwb
}
run_test "setup: two charons" t_setup || ktap_skip_all "no test bed"

# record CASE GWB_ARGS...: load CASE on both sides, record both sockets
# while gwa initiates.
record() {
	local name=$1 gw pids=()
	shift
	ike_conn gwa "$name" "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" \
		$([ "$name" = dead ] && echo remote_addrs=192.0.2.9) &&
		ike_conn gwb "$name" "$IKE_RECOMMENDED_IKE" "$IKE_RECOMMENDED_ESP" "$@" &&
		ike_load gwa "$name" && ike_load gwb "$name" || return 1
	for gw in gwa gwb; do
		mkdir -p "$work/frames/$name/$gw"
		vici_record "$work/$gw/charon.vici" "$work/frames/$name/$gw" 120 \
			log ike-updown child-updown &
		pids+=($!)
	done
	sleep 1
	swc gwa --initiate --ike "$name" --child lan --timeout 60
	sleep 2
	for gw in "${pids[@]}"; do
		stop_pid "$gw"
	done
	swc gwa --terminate --ike "$name" --timeout 10 >/dev/null 2>&1
	swc gwb --terminate --ike "$name" --timeout 10 >/dev/null 2>&1
	ls "$work/frames/$name/gwa" | grep -q EVENT-log
}

run_test "psk mismatch" record psk psk="not the same key"
run_test "IKE proposal mismatch" record ikeprop proposals=aes128-sha256-modp3072
run_test "TS mismatch" record ts remote_ts=10.9.0.0/24
run_test "ESP proposal mismatch" record espprop esp_proposals=aes128gcm16-modp3072

t_conns() {
	mkdir -p "$work/frames/conns"
	ike_load gwa ts &&
		vici_record "$work/gwa/charon.vici" "$work/frames/conns" 3 -c log
}
run_test "list-conns" t_conns
t_dead() {
	# the initiation fails; what matters is what charon said meanwhile
	record dead
	ls "$work/frames/dead/gwa" | grep -q EVENT-log
}
run_test "peer not responding" t_dead

for f in $(cd "$work/frames" && find . -name '*.hex' | sort); do
	echo "# vici-frame status/${f#./} $(tr -d '\n' <"$work/frames/$f")"
done
tail -n 200 "$work/gwa/charon.log" "$work/gwb/charon.log" | ktap_diag_file
ktap_finished
