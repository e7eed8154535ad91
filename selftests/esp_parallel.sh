#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Crypto spread over CPUs (module/parallel.c): a quiet link encrypts
# inline, a busy one, or one whose CPU is saturated, hands crypto to the
# other CPU by itself; packets
# handed to the workers on the other CPU (forced through debugfs) are still
# sent in sequence order and delivered in arrival order; a link deleted
# while its packets wait for the workers goes away cleanly.
# The kernel's XFRM is the peer: its replay window and sequence error
# counter judge the order.
#
#   lana --- gwa [s2s0, AES-GCM-256] ===== wan ===== gwb [XFRM] --- lanb

source "$(dirname "$0")/lib.sh"

require_cmd ip s2sctl ping iperf3 tcpdump taskset

PAR_MODE=/sys/kernel/debug/s2s/parallel
WORKERS=/sys/kernel/debug/s2s/workers

ktap_plan 9
modprobe s2s || ktap_skip_all "s2s module not available"
[ "$(nproc)" -ge 2 ] || ktap_skip_all "one CPU: nothing to spread the work over"
[ -w "$PAR_MODE" ] && [ -r "$WORKERS" ] ||
	ktap_skip_all "no debugfs: cannot choose when s2s hands off, nor see where crypto ran"
defer "echo 0 >$PAR_MODE"
# The automatic choice, whatever an earlier run left (modprobe of a loaded
# module does not reset it).
echo 0 >"$PAR_MODE"
topo_create --lan-routes || ktap_skip_all "cannot build the topology"

esp_alg_keys aes-gcm-256
esp_outer 4
XFRM_FLAGS=

# Where the crypto ran: debugfs s2s/workers holds "CPU PACKETS
# INLINE_ASYNC SATURATED_WINDOWS SATURATED_HANDOFF_WINDOWS", the packets
# each CPU's worker has taken since the module was loaded (and the inline
# crypto calls the driver completed asynchronously, the load windows in
# which the CPU counted as saturated, and how many of those it handed
# off). (Not
# the workqueue tracepoint: switching a tracepoint on or off patches kernel
# text, and under TCG that once left a vCPU stuck in the int3 of the
# patch with the other waiting for it for good.)
WORKERS_AT_START=

workers_mark() { WORKERS_AT_START=$(cat "$WORKERS"); }

# crypt_works: "CPU COUNT" for each CPU whose s2s worker took packets
# since workers_mark.
crypt_works() {
	awk 'NR == FNR { n[$1] = $2; next }
	     $2 > n[$1] { print $1, $2 - n[$1] }' \
		<(echo "$WORKERS_AT_START") "$WORKERS"
}

# esp_seqs PCAP SPI: the sequence numbers of the SPI's ESP packets, in the
# order they crossed the WAN, in decimal.
esp_seqs() {
	tcpdump -r "$1" -n esp 2>/dev/null |
		sed -n "s/.*ESP(spi=$2,seq=\\(0x[0-9a-f]*\\)).*/\\1/p" |
		xargs -r printf '%d\n'
}

# inversions: how many numbers on stdin are not larger than the one before.
inversions() {
	awk 'NR > 1 && $1 <= p { n++ } { p = $1 } END { print n + 0 }'
}

seq_errors() {
	nsx gwb awk '$1 == "XfrmInStateSeqError" { print $2 }' /proc/net/xfrm_stat
}

drops() { s2s_sa_stat gwa s2s0 in "$SPI_BA" "$1"; }

tx_drops() {
	nsx gwa s2sctl show s2s0 --json | tr -d ' \n' |
		grep -o '"tx_error":[0-9]*' | head -n1 | cut -d: -f2
}

setup() {
	s2s_gw gwa "$SPI_BA" "$SPI_AB" "$OUT_A" "$OUT_B" \
		ts-local "$LANA_NET4" ts-remote "$LANB_NET4" &&
		s2s_routes gwa &&
		nsx gwa ip route replace "$LANB_NET4" dev s2s0 src "$LANA_GW4" &&
		xfrm_gw gwb "$SPI_AB" "$SPI_BA" "$OUT_B" "$OUT_A" \
			"$LANB_NET4" "$LANA_NET4" replay-window 32 &&
		nsx lana ping -c 3 -i 0.2 -W 2 "$LANB_HOST4" >/dev/null
}
run_test "baseline: pings across s2s <-> XFRM" setup

# iperf3_server: one test's iperf3 server on LAN B's host, pinned to CPU 0,
# listening.
iperf3_server() {
	nsx lanb taskset -c 0 iperf3 -s -1 -D >/dev/null 2>&1
	wait_for 10 sh -c "ip netns exec lanb ss -Htln 'sport = :5201' | grep -q ."
}

# udp_flood SECONDS LENGTH [iperf3 options]: UDP datagrams of LENGTH bytes
# between the LAN hosts as fast as iperf3 manages, both ends pinned to CPU
# 0 (so that every gateway's path starts there); prints iperf3's JSON.
udp_flood() {
	local t=$1 len=$2
	shift 2
	iperf3_server || return 1
	nsx lana taskset -c 0 iperf3 -c "$LANB_HOST4" -u -b 0 -l "$len" -t "$t" -J "$@"
}

# other_cpu_works: packets the workers of CPUs other than 0 took, since
# workers_mark.
other_cpu_works() {
	crypt_works | awk '$1 != 0 { s += $2 } END { print s + 0 }'
}

# One packet every 100 ms is far below the rate that needs more than one
# CPU: every packet is encrypted where it was sent.
t_quiet_inline() {
	local works
	workers_mark
	nsx lana ping -c 20 -i 0.1 -W 2 "$LANB_HOST4" >/dev/null || return 1
	works=$(crypt_works)
	[ -z "$works" ] || { echo "encryption workers ran for a ping: $works"; return 1; }
}
run_test "a quiet link encrypts inline (no worker ran for 20 pings)" t_quiet_inline

# TCP from gwa itself, everything pinned to CPU 0: encrypting takes more
# than the quarter of a CPU past which a direction hands its crypto off
# (under TCG's emulated AES-NI by a wide margin), and CPU 0, carrying both
# ends and both gateways, is saturated, so without being told to
# (debugfs: 0) s2s has the other CPU's worker take part of it. On the
# debug kernel, where KASAN and lockdep slow down everything but the
# AES-NI assembly, the crypto's share alone sat at the bar (of two runs
# before the saturation rule, one handed off, one did not); the saturated
# CPU decides there.
t_busy_auto() {
	iperf3_server || return 1
	workers_mark
	nsx gwa taskset -c 0 timeout 120 iperf3 -c "$LANB_HOST4" \
		-B "$LANA_GW4" -t 3 >/dev/null || { echo "iperf3 failed"; return 1; }
	echo "packets the crypto workers took (CPU packets): $(crypt_works | tr '\n' ' ')"
	[ "$(other_cpu_works)" -gt 0 ] || { echo "no worker on a CPU other than the sender's"; cat "$WORKERS"; return 1; }
}
run_test "a busy link hands crypto to the other CPU by itself" t_busy_auto

# workers_since CPU COLUMN: a column of debugfs workers for CPU, less
# what it held at workers_mark.
workers_since() {
	awk -v cpu="$1" -v c="$2" 'NR == FNR { n[$1] = $c; next }
				   $1 == cpu { print $c - n[$1] }' \
		<(echo "$WORKERS_AT_START") "$WORKERS"
}

# 64-byte datagrams as fast as one process on CPU 0 sends them: their
# crypto is a small part of what each costs, far under a quarter of the
# CPU, but the sender with the gateways' paths under it leaves CPU 0 no
# idle time. A saturated CPU hands its crypto off first, and goes on
# handing it off in at least every S2S_PAR_PROBE-th saturated load window
# even where doing it inline carries more (parallel.c): in 3 s of flood
# some of CPU 0's windows hand off, whichever way this machine favours.
t_saturated_small() {
	local sat handoff
	workers_mark
	udp_flood 3 64 >/dev/null || { echo "iperf3 failed"; return 1; }
	sat=$(workers_since 0 4) handoff=$(workers_since 0 5)
	echo "CPU 0 counted as saturated in ${sat:-?} load windows and handed off in ${handoff:-?} of them; the crypto workers took (CPU packets): $(crypt_works | tr '\n' ' ')"
	[ "${sat:-0}" -gt 0 ] || { echo "CPU 0 never counted as saturated"; cat "$WORKERS"; return 1; }
	[ "${handoff:-0}" -gt 0 ] || { echo "CPU 0 never handed off while saturated"; cat "$WORKERS"; return 1; }
	[ "$(other_cpu_works)" -gt 0 ] || { echo "no worker on a CPU other than the sender's"; return 1; }
}
run_test "a saturated CPU hands off the crypto of small packets, at least to measure it" t_saturated_small

# The trace event that gives each load window's decision (one per CPU per
# window, module/s2s_trace.h) is there under the name the documentation
# and make bench's BENCH_TRACE use, with the fields they read. Only its
# format is read: switching it on patches kernel text (see above).
t_window_event() {
	local events=/sys/kernel/debug/tracing/events f fmt
	[ -d "$events" ] || { echo "kernel without event tracing"; return "$KSFT_SKIP"; }
	fmt=$events/s2s/s2s_par_window/format
	[ -r "$fmt" ] || { echo "no $fmt"; return 1; }
	for f in elapsed_jiffies packets idle_us learned ran_handoff saturated \
		handoff rate_inline rate_handoff; do
		grep -q "field:[^;]* $f;" "$fmt" && grep -q "^print fmt: .*[\" ]$f=" "$fmt" ||
			{ echo "no field $f, or not printed as $f=:"; cat "$fmt"; return 1; }
	done
}
run_test "trace event s2s:s2s_par_window is registered with every field it documents, printed" t_window_event

# From here on every packet is handed off (debugfs: 2), whatever the load:
# whether a hand-off pays depends on the machine, its order and its
# teardown must hold on any.
echo 2 >"$PAR_MODE"

# TCP from gwa itself, pinned to CPU 0, in GSO super-packets: the other
# CPU's worker encrypts, and the ESP still
# leaves in sequence order (gwb's XFRM, with a window of 32, counts no
# sequence error; the WAN capture shows no sequence number out of order).
t_tx_busy_ordered() {
	local cap out seqs n inv err0 err1 drop0 drop1
	cap=$(mktemp /tmp/wan.XXXXXX.pcap)
	err0=$(seq_errors) drop0=$(tx_drops)
	iperf3_server || return 1
	wan_capture_start "$cap" || return 1
	workers_mark
	out=$(nsx gwa taskset -c 0 timeout 120 iperf3 -c "$LANB_HOST4" \
		-B "$LANA_GW4" -t 3 -J) || { wan_capture_stop; echo "iperf3 failed"; return 1; }
	wan_capture_stop
	err1=$(seq_errors) drop1=$(tx_drops)
	echo "packets the crypto workers took (CPU packets): $(crypt_works | tr '\n' ' ')"
	seqs=$(esp_seqs "$cap" "$SPI_AB")
	n=$(grep -c . <<<"$seqs")
	inv=$(inversions <<<"$seqs")
	echo "$n ESP packets captured, $inv out of order; gwb sequence errors $err0 -> $err1"
	[ "$(other_cpu_works)" -gt 0 ] || { echo "no worker on a CPU other than the sender's"; return 1; }
	[ "$n" -gt 100 ] || { echo "too few packets captured"; return 1; }
	[ "$inv" = 0 ] || return 1
	[ "$err1" = "$err0" ] || return 1
	[ "$drop1" = "$drop0" ] || { echo "tx-error drops on gwa: $drop0 -> $drop1"; return 1; }
}
run_test "busy TCP from the gateway is encrypted on the other CPU and leaves in sequence order" t_tx_busy_ordered

# The same from LAN B: gwb's XFRM encrypts, gwa's s2s0 decrypts on the other
# CPU and delivers in the order the ESP arrived; LAN A's iperf3 counts the
# datagrams that came out of order.
t_rx_flood_ordered() {
	local out ooo pkts replay0 replay1
	replay0=$(drops replay)
	workers_mark
	out=$(udp_flood 3 1200 -R) || { echo "iperf3 failed"; return 1; }
	replay1=$(drops replay)
	echo "packets the crypto workers took (CPU packets): $(crypt_works | tr '\n' ' ')"
	[ "$(other_cpu_works)" -gt 0 ] || { echo "no worker on a CPU other than the receiver's"; cat "$WORKERS"; return 1; }
	out=$(tr -d ' \n\t' <<<"$out" | grep -o '"udp":{[^}]*"out_of_order":[0-9]*' | tail -n1)
	pkts=$(grep -o '"packets":[0-9]*' <<<"$out" | cut -d: -f2)
	ooo=$(grep -o '"out_of_order":[0-9]*' <<<"$out" | cut -d: -f2)
	echo "LAN A received ${pkts:-?} datagrams, ${ooo:-?} out of order; gwa replay drops $replay0 -> $replay1"
	[ "${pkts:-0}" -gt 100 ] && [ "$ooo" = 0 ] && [ "$replay1" = "$replay0" ]
}
run_test "a received flood is decrypted on the other CPU and delivered in order" t_rx_flood_ordered

# TCP through the same link, both ends on CPU 0: every byte is sent and the
# ESP stays in order, whatever mix of inline and worker crypto (both ways:
# data encrypted, acknowledgements decrypted) the rate changes bring. Ends
# on different CPUs would have the stack hand s2s0 packets on both CPUs at
# once; what one CPU sends inline can then pass what the other sent, in
# the per-CPU queues after any tunnel.
t_tcp_complete() {
	local out sent recv err0
	err0=$(seq_errors)
	iperf3_server || return 1
	workers_mark
	out=$(nsx lana taskset -c 0 timeout 120 iperf3 -c "$LANB_HOST4" -n 16M -J) || { echo "iperf3 failed"; return 1; }
	echo "packets the crypto workers took (CPU packets): $(crypt_works | tr '\n' ' ')"
	sent=$(tr -d ' \n\t' <<<"$out" | grep -o '"sum_sent":{[^}]*' | grep -o '"bytes":[0-9]*' | cut -d: -f2)
	recv=$(tr -d ' \n\t' <<<"$out" | grep -o '"sum_received":{[^}]*' | grep -o '"bytes":[0-9]*' | cut -d: -f2)
	echo "sent $sent, received $recv bytes; gwb sequence errors $err0 -> $(seq_errors)"
	[ "${sent:-0}" -ge $((16 * 1024 * 1024)) ] && [ "$(seq_errors)" = "$err0" ]
}
run_test "TCP across a busy link: all sent, no sequence error at the peer" t_tcp_complete

# Deleting the link in the middle of a flood both ways: packets queued for
# the workers finish or are dropped before the link's memory goes (KASAN and
# kmemleak judge on the debug kernel); the module then unloads.
t_delete_busy() {
	iperf3_server || return 1
	# iperf3's control connection dies with the link: the client is
	# stopped, not waited for.
	nsx lana taskset -c 0 iperf3 -c "$LANB_HOST4" -u -b 0 -l 1200 -t 30 \
		--bidir >/dev/null 2>&1 &
	local flood=$!
	sleep 3
	nsx gwa ip link del s2s0 || { stop_pid "$flood"; return 1; }
	stop_pid "$flood"
	pkill -f 'iperf3 -s' 2>/dev/null
	ns_destroy $TOPO_NS 2>/dev/null
	timeout 60 modprobe -r s2s || { echo "s2s did not unload"; return 1; }
	modprobe s2s && [ "$(cat "$PAR_MODE")" = 0 ]
}
run_test "a link deleted during a two-way flood goes away; the module unloads" t_delete_busy

ktap_finished
