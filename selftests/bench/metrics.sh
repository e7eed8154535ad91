#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# metrics.sh - what make bench measures in a configuration that is up:
# TCP and UDP rates, latency, loss per rekey, crypto-only rates, and the
# counters read beside them. Sourced by bench.sh (the guest side of
# `make bench`), whose parameters and output functions it uses;
# Documentation/benchmarks.rst explains every metric.

# ------------------------------------------------------------ metrics ----

# net_counter NS FILE TABLE NAME: counter NAME of table TABLE ("Udp:",
# "TcpExt:") in /proc/net/FILE of namespace NS; nothing if this kernel
# has no such counter. Each table is a line of names, then one of values.
net_counter() {
	# shellcheck disable=SC2016 # awk's own $
	nsx "$1" awk -v table="$3" -v name="$4" '$1 != table { next }
		!c { for (i = 2; i <= NF; i++) if ($i == name) c = i; if (!c) exit; next }
		{ print $c; exit }' "/proc/net/$2"
}

# iperf3 NS ARGS...: run a client against LAN B; JSON on stdout.
iperf() {
	local ns=$1
	shift
	nsx "$ns" timeout $((SECS + 30)) iperf3 -c "$LANB_HOST4" -J \
		--connect-timeout 5000 -t "$SECS" "$@"
}

# metric_load METRIC: the iperf3 run behind a throughput metric, its JSON
# on stdout; the measured runs and the profiled ones share it.
metric_load() {
	case $1 in
	tcp1) iperf lana -Z -P 1 ;;
	tcp2) iperf lana -Z -P 2 ;;
	gw_tcp1) iperf gwa -Z -P 1 ;;
	udp64) iperf lana -u -b 0 -l 64 ;;
	udp1400) iperf lana -u -b 0 -l 1400 ;;
	*) return 1 ;;
	esac
}

# udp_pps < IPERF3_JSON: datagrams delivered per second, to 0.1; nothing
# when iperf3 reported none delivered.
udp_pps() {
	jq -r '.end.sum | select(.packets != null and .lost_packets != null and
		.seconds > 0 and .packets > .lost_packets) |
		(.packets - .lost_packets) / .seconds * 10 | round / 10' 2>/dev/null
}

# run_rate METRIC < IPERF3_JSON: a load run's own rate as JSON members,
# "mbit_s":X for TCP, "pkt_s":X (delivered) for UDP; nothing when the run
# has no result.
run_rate() {
	local rate
	if [[ $1 == udp* ]]; then
		rate=$(udp_pps)
		[ -z "$rate" ] || echo "\"pkt_s\":$rate"
	else
		rate=$(jq -r '.end.sum_received.bits_per_second // empty | . / 1e6' 2>/dev/null)
		[ -z "$rate" ] || echo "\"mbit_s\":$rate"
	fi
}

# Per CPU, "BUSY SOFTIRQ TOTAL" clock ticks from /proc/stat, one CPU per
# line: where a run's work landed (without RPS a veth delivers on the CPU
# that sends, so one CPU can be the limit while the other idles).
cpu_each() {
	awk '/^cpu[0-9]/ { print $2 + $3 + $4 + $7 + $8 + $9, $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}

# cpu_each_json BEFORE AFTER: per CPU, the shares of the run's ticks it was
# busy and in softirqs, as ",\"cpu_busy\":[...],\"cpu_softirq\":[...]".
cpu_each_json() {
	paste -d' ' <(echo "$1") <(echo "$2") | awk '
		{ t = $6 - $3; if (t <= 0) t = 1
		  b = b sep sprintf("%.3f", ($4 - $1) / t)
		  s = s sep sprintf("%.3f", ($5 - $2) / t); sep = "," }
		END { printf ",\"cpu_busy\":[%s],\"cpu_softirq\":[%s]", b, s }'
}

# Packets the CPUs' input backlogs dropped, all namespaces: column 2 of
# /proc/net/softnet_stat (hex), one line per CPU. A veth delivers into the
# backlog of the CPU that sends, so this is where the test bed loses what
# a burst overfills (net.core.netdev_max_backlog).
backlog_drops() {
	local sum=0 d
	while read -r _ d _; do
		sum=$((sum + 16#$d))
	done </proc/net/softnet_stat
	echo "$sum"
}

# tcp_sender_counters NS: the sender's TcpExt counters m_tcp records, as
# "NAME=VALUE" words.
tcp_sender_counters() {
	local name v
	for name in TCPDSACKRecvSegs TCPTimeouts TCPLossProbes; do
		v=$(net_counter "$1" netstat TcpExt: "$name")
		[ -z "$v" ] || echo "$name=$v"
	done
}

# counter_delta BEFORE AFTER NAME KEY: ",\"KEY\":AFTER-BEFORE" for counter
# NAME of two tcp_sender_counters outputs, or nothing without both.
counter_delta() {
	local a b
	a=$(sed -n "s/^$3=//p" <<<"$1")
	b=$(sed -n "s/^$3=//p" <<<"$2")
	[ -z "$a" ] || [ -z "$b" ] || echo ",\"$4\":$((b - a))"
}

m_tcp() {
	local r=$1 cfg=$2 metric=$3 ns=$4 out bps bytes retr cpu
	local k0 k1 q0 q1 e0 e1 extra rtt cwnd
	k0=$(tcp_sender_counters "$ns")
	q0=$(backlog_drops)
	e0=$(cpu_each)
	out=$(metric_load "$metric")
	e1=$(cpu_each)
	q1=$(backlog_drops)
	k1=$(tcp_sender_counters "$ns")
	# Segments the receiver reported back as duplicates (D-SACK): their
	# retransmission was spurious, the original had only been overtaken.
	# Retransmission timeouts and tail loss probes: a sender with nothing
	# acknowledged waits for a timer, and every CPU may idle meanwhile.
	extra=$(counter_delta "$k0" "$k1" TCPDSACKRecvSegs dsack_segs)
	extra+=$(counter_delta "$k0" "$k1" TCPTimeouts rto)
	extra+=$(counter_delta "$k0" "$k1" TCPLossProbes loss_probes)
	extra+=",\"backlog_drops\":$((q1 - q0))$(cpu_each_json "$e0" "$e1")"
	# The sender's view of the path (iperf3's tcp_info per stream): mean
	# smoothed RTT in microseconds and largest congestion window in bytes.
	rtt=$(jq -r '[.end.streams[].sender.mean_rtt // empty] | if length > 0 then add / length | floor else empty end' <<<"$out" 2>/dev/null)
	cwnd=$(jq -r '[.end.streams[].sender.max_snd_cwnd // empty] | max // empty' <<<"$out" 2>/dev/null)
	[ -z "$rtt" ] || extra+=",\"mean_rtt_us\":$rtt"
	[ -z "$cwnd" ] || extra+=",\"max_cwnd\":$cwnd"
	bps=$(jq -r '.end.sum_received.bits_per_second // empty' <<<"$out" 2>/dev/null)
	bytes=$(jq -r '.end.sum_received.bytes // empty' <<<"$out" 2>/dev/null)
	retr=$(jq -r '.end.sum_sent.retransmits // 0' <<<"$out" 2>/dev/null)
	if [ -z "$bps" ] || [ "${bytes:-0}" = 0 ]; then
		skipped "$r" "$cfg" "$metric" "iperf3 TCP: $(jq -r '.error // "no result"' <<<"$out" 2>/dev/null | head -c 200)"
		return
	fi
	# CPU time of the whole guest, in clock ticks (USER_HZ = 100).
	cpu=$(paste -d' ' <(echo "$e0") <(echo "$e1") | awk '{ s += $4 - $1 } END { print s }')
	sample "$r" "$cfg" "$metric" "$(awk -v b="$bps" 'BEGIN { printf "%.3f", b / 1e6 }')" Mbit/s \
		"\"bytes\":$bytes,\"retransmits\":$retr$extra,\"cpu_ticks\":$cpu"
	# CPU-seconds per gigabyte delivered, the whole guest (senders,
	# gateways, receivers) included.
	[ "$metric" = tcp1 ] && sample "$r" "$cfg" cpu_per_gb \
		"$(awk -v c="$cpu" -v b="$bytes" 'BEGIN { printf "%.3f", (c / 100) / (b / 1e9) }')" s/GB
}

m_udp() {
	local r=$1 cfg=$2 metric=$3 len=$4 out pk lost pps
	out=$(metric_load "$metric")
	pps=$(udp_pps <<<"$out")
	if [ -z "$pps" ]; then
		skipped "$r" "$cfg" "$metric" "iperf3 UDP: $(jq -r '.error // "nothing delivered"' <<<"$out" 2>/dev/null | head -c 200)"
		return
	fi
	pk=$(jq -r .end.sum.packets <<<"$out")
	lost=$(jq -r .end.sum.lost_packets <<<"$out")
	sample "$r" "$cfg" "$metric" "$pps" pkt/s "\"sent\":$pk,\"lost\":$lost,\"payload\":$len"
}

m_ping() {
	local r=$1 cfg=$2 n=$((SECS * 10)) out med
	out=$(nsx lana ping -n -c "$n" -i 0.05 -W 2 "$LANB_HOST4" 2>&1)
	med=$(sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' <<<"$out" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	if [ -z "$med" ]; then
		skipped "$r" "$cfg" ping_ms "no echo reply"
		return
	fi
	sample "$r" "$cfg" ping_ms "$med" ms \
		"\"replies\":$(grep -c ' time=' <<<"$out"),\"sent\":$n"
}

m_rr() {
	local r=$1 cfg=$2 out med
	out=$(nsx lana timeout $((SECS + 10)) bench-rr client "$LANB_HOST4" "$SECS" "$RR_PORT" 64 2>&1)
	med=$(jq -r '.median_us // empty' <<<"$out" 2>/dev/null)
	if [ -z "$med" ]; then
		skipped "$r" "$cfg" rr_us "bench-rr: $(head -c 200 <<<"$out")"
		return
	fi
	sample "$r" "$cfg" rr_us "$med" us "\"detail\":$out"
	sample "$r" "$cfg" rr_tps "$(jq -r .per_second <<<"$out")" 1/s
	sample "$r" "$cfg" rr_p90_us "$(jq -r .p90_us <<<"$out")" us
}

# m_rekey ROUND CONFIG WITH: UDP at REKEY_RATE for SECS+2 s; with WITH=1 a
# rekey of both directions in the middle. Lost = iperf3's sequence gaps.
m_rekey() {
	local r=$1 cfg=$2 with=$3 metric out pid tmp pk lost ooo e0 e1
	metric=$([ "$with" = 1 ] && echo rekey_lost || echo norekey_lost)
	tmp=$(mktemp)
	e0=$(udp_rcvbuf_errors)
	# A 4 MiB receive buffer, so that a receiver briefly starved of CPU
	# does not turn into loss that has nothing to do with the tunnel.
	nsx lana timeout $((SECS + 40)) iperf3 -c "$LANB_HOST4" -J --connect-timeout 5000 \
		-u -b "$REKEY_RATE" -l 1000 -w 4M -t $((SECS + 2)) >"$tmp" 2>&1 &
	pid=$!
	if [ "$with" = 1 ]; then
		sleep $(((SECS + 2) / 2))
		if ! rekey "$cfg" >"$tmp.rekey" 2>&1; then
			wait "$pid"
			skipped "$r" "$cfg" "$metric" "rekey failed: $(head -c 200 "$tmp.rekey")"
			rm -f "$tmp" "$tmp.rekey"
			return
		fi
	fi
	wait "$pid"
	e1=$(udp_rcvbuf_errors)
	out=$(cat "$tmp")
	rm -f "$tmp" "$tmp.rekey"
	pk=$(jq -r '.end.sum.packets // empty' <<<"$out" 2>/dev/null)
	lost=$(jq -r '.end.sum.lost_packets // empty' <<<"$out" 2>/dev/null)
	ooo=$(jq -r '.end.sum.out_of_order // 0' <<<"$out" 2>/dev/null)
	if [ -z "$pk" ] || [ -z "$lost" ] || [ "$pk" = 0 ]; then
		skipped "$r" "$cfg" "$metric" "iperf3 UDP: $(jq -r '.error // "no result"' <<<"$out" 2>/dev/null | head -c 200)"
		return
	fi
	sample "$r" "$cfg" "$metric" "$lost" packets "\"sent\":$pk,\"out_of_order\":$ooo,\"rate\":\"$REKEY_RATE\",\"receiver_rcvbuf_errors\":$((e1 - e0))"
	# What was lost on the way: the gaps minus what the receiving socket
	# itself dropped.
	sample "$r" "$cfg" "${metric/lost/path_lost}" "$((lost > e1 - e0 ? lost - (e1 - e0) : 0))" packets
}

# UDP datagrams LAN B's sockets dropped for a full receive buffer: loss
# that happened after the tunnel, at a receiver starved of CPU.
udp_rcvbuf_errors() {
	net_counter lanb snmp Udp: RcvbufErrors
}

# m_crypto_kernel ROUND ALG METRIC [PARAM=VALUE]: crypto-only throughput
# of a packet-size request measured in the kernel (kmod/measure.c): the
# algorithm as s2s's data path runs it (the transform ESP allocates, IV
# generator included; ChaCha20-Poly1305 on the library routines), with
# nothing of AF_ALG's system calls and copies. PARAM: roundtrip=1 decrypts
# each request again, as gateway B does (METRIC crypto_kernel_rt_1420).
m_crypto_kernel() {
	local r=$1 alg=$2 metric=$3 extra=${4:-} p=/sys/module/bench_aead_kernel/parameters
	local params kalg size err ops ns async drv mark deps
	if ! params=$(bench-aead --params "$alg" 1420 2>&1); then
		skipped "$r" "crypto-$alg" "$metric" "bench-aead --params: $params"
		return
	fi
	kalg=${params%% *} size=${params##*size=}
	# The module's own words on a failure are the kernel's lines after
	# this mark: insmod names only the errno.
	mark="bench-crypto-kernel $r $alg $(date +%s%N)"
	echo "$mark" >/dev/kmsg
	# insmod resolves no dependencies (the library routines' modules).
	deps=$(modinfo -F depends "$KAEAD" 2>/dev/null)
	# shellcheck disable=SC2086 # one word per module
	[ -z "$deps" ] || modprobe -a ${deps//,/ } 2>/dev/null
	# shellcheck disable=SC2086 # name=value words for insmod
	if ! err=$(insmod "$KAEAD" $params $extra msecs=$((SECS * 500)) 2>&1); then
		skipped "$r" "crypto-$alg" "$metric" "$(head -c 200 <<<"$err"): $(
			dmesg | sed -n "/$mark/,\$p" | grep -o 'bench_aead_kernel: .*' | tail -n 1)"
		return
	fi
	ops=$(cat "$p/ops") ns=$(cat "$p/nsecs") async=$(cat "$p/async") drv=$(cat "$p/driver")
	if ! err=$(rmmod bench_aead_kernel 2>&1); then
		# Every later load would fail: say why once, here.
		skipped "$r" "crypto-$alg" "$metric" "rmmod bench_aead_kernel: $err"
		return
	fi
	sample "$r" "crypto-$alg" "$metric" \
		"$(awk -v o="$ops" -v s="$size" -v n="$ns" 'BEGIN { printf "%.3f", o * s * 8e3 / n }')" \
		Mbit/s "\"detail\":{\"alg\":$(jstr "$alg"),\"kernel_alg\":$(jstr "${kalg#alg=}"),\"driver\":$(jstr "$drv"),\"size\":$size,\"ops\":$ops,\"async\":$async,\"nsecs\":$ns}"
}

# Crypto-only throughput at three request sizes through AF_ALG: a
# packet's; 3968 B, the largest that Linux 6.1's AES-GCM still runs
# through the code it runs for packets (its AVX2 code starts at 4 KiB, its
# AVX code at 640 B), so that the report can take that code's cost per
# byte from the difference; and 16 KiB, which spreads each operation's
# system calls thinly. And a packet's size in the kernel, encrypted, and
# encrypted and decrypted again.
m_crypto() {
	local r=$1 alg size out bps
	for alg in $CRYPTO_ALGS; do
		m_crypto_kernel "$r" "$alg" crypto_kernel_1420
		m_crypto_kernel "$r" "$alg" crypto_kernel_rt_1420 roundtrip=1
		for size in 1420 3968 16384; do
			out=$(bench-aead "$alg" "$(awk -v s="$SECS" 'BEGIN { print s / 2 }')" "$size" 2>&1)
			bps=$(jq -r '.bytes_per_second // empty' <<<"$out" 2>/dev/null)
			if [ -z "$bps" ]; then
				skipped "$r" "crypto-$alg" "crypto_$size" "bench-aead: $(head -c 200 <<<"$out")"
				continue
			fi
			sample "$r" "crypto-$alg" "crypto_$size" \
				"$(awk -v b="$bps" 'BEGIN { printf "%.3f", b * 8 / 1e6 }')" Mbit/s "\"detail\":$out"
		done
	done
}

want() {
	[[ $METRICS == *" $1 "* ]]
}

# workers_total COLUMN: a column of debugfs s2s/workers summed over the
# CPUs: 2, the packets s2s's crypto workers have taken so far; 3, the
# inline crypto calls the driver completed asynchronously (cryptd); 4, the
# load windows in which a CPU counted as saturated; 5, of those, the ones
# in which it handed its packets off. Nothing when the
# module's file has no such column (or no file): no record then, rather
# than a 0 that was never counted.
workers_total() {
	[ -r "$WORKERS" ] || return 0
	awk -v c="$1" 'NF < c { short = 1 } { s += $c }
		       END { if (!short) print s + 0 }' "$WORKERS"
}

# metric NAME FUNCTION [ARG...]: when NAME was asked for, run FUNCTION
# with measure()'s round and configuration, NAME and the ARGs, and add the
# packets the crypto workers took meanwhile to measure()'s per_metric
# (bash locals are seen by the functions a function calls): whether pings
# and request/response exchanges were handed off, which costs them
# latency, shows only per metric.
metric() {
	local name=$1 fn=$2 w
	shift 2
	want "$name" || return 0
	w=$(workers_total 2)
	"$fn" "$r" "$cfg" "$name" "$@"
	[ -z "$w" ] || per_metric+="${per_metric:+,}\"$name\":$(($(workers_total 2) - w))"
}

measure() {
	local r=$1 cfg=$2 t0 w0 a0 s0 h0 more="" per_metric=""
	t0=$(date +%s)
	w0=$(workers_total 2) a0=$(workers_total 3) s0=$(workers_total 4)
	h0=$(workers_total 5)
	metric tcp1 m_tcp lana
	metric tcp2 m_tcp lana
	metric udp64 m_udp 64
	metric udp1400 m_udp 1400
	metric ping m_ping
	metric rr m_rr
	metric gw_tcp1 m_tcp gwa
	if want rekey && [[ " $REKEY " == *" $cfg "* ]]; then
		m_rekey "$r" "$cfg" 0
		m_rekey "$r" "$cfg" 1
	fi
	record_counters "$r" "$cfg"
	# How much of the crypto moved to other CPUs (in all, and per
	# metric), how much of the inline crypto the driver queued, and how
	# often a CPU counted as saturated, for the report to set against
	# the links' packet counts.
	[ -z "$a0" ] || more+=",\"inline_async\":$(($(workers_total 3) - a0))"
	[ -z "$s0" ] || more+=",\"saturated_windows\":$(($(workers_total 4) - s0))"
	[ -z "$h0" ] || more+=",\"saturated_handoff_windows\":$(($(workers_total 5) - h0))"
	[ -z "$per_metric" ] || more+=",\"per_metric\":{$per_metric}"
	[[ $cfg != s2s-* ]] || [ -z "$w0" ] ||
		emit "{\"type\":\"handoff\",\"round\":$r,\"config\":\"$cfg\",\"packets\":$(($(workers_total 2) - w0))$more}"
	ktap_diag "round $r $cfg: measured in $(($(date +%s) - t0)) s"
}

# What the data paths counted over all metrics of one configuration: s2s's
# links with their drop reasons, XFRM's error counters (non-zero only).
record_counters() {
	local r=$1 cfg=$2 ns out
	for ns in gwa gwb; do
		case $cfg in
		s2s-*)
			out=$(nsx "$ns" s2sctl show --json 2>/dev/null | jq -c . 2>/dev/null)
			[ -z "$out" ] || emit "{\"type\":\"counters\",\"round\":$r,\"config\":\"$cfg\",\"ns\":\"$ns\",\"s2s\":$out}" ;;
		xfrm | xfrm-cbc | xfrm-natt)
			out=$(nsx "$ns" awk '$2 != 0 { printf "%s\"%s\":%s", sep, $1, $2; sep = "," }' /proc/net/xfrm_stat 2>/dev/null)
			emit "{\"type\":\"counters\",\"round\":$r,\"config\":\"$cfg\",\"ns\":\"$ns\",\"xfrm_stat\":{$out}}" ;;
		esac
	done
}
