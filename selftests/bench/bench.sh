#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - s2s against plain forwarding, XFRM + xfrm interface and
# WireGuard, measured side by side in one boot (guest side of `make bench`;
# Documentation/benchmarks.rst explains every metric).
#
#   lana --- gwa [tunnel] ===== wan (bridge, MTU 1600) ===== gwb [tunnel] --- lanb
#   iperf3 / bench-rr / ping clients      servers: iperf3 -s, bench-rr server
#
# Configurations: plain (forwarding only, the ceiling), xfrm (tunnel mode
# ESP through an xfrm interface, AES-256-GCM), xfrm-cbc (the same with
# AES-256-CBC+HMAC-SHA-256, s2s-cbc's control), xfrm-natt (as xfrm, ESP in
# UDP port 4500 as behind NAT), wg (WireGuard), and s2s with AES-256-GCM,
# AES-128-GCM, ChaCha20-Poly1305, AES-256-CBC+HMAC-SHA-256, and AES-256-GCM
# in UDP (s2s-natt, xfrm-natt's counterpart).
# Each round sets every configuration up in a fresh shuffled order, measures
# it and takes it down again; round 0 is the warm-up.
#
# Everything measured is printed as JSON records, one per line, prefixed
# with "# bench: " (scripts/bench-report.py collects them). Nothing here
# judges speed: a test case fails only when the harness is broken, i.e. a
# configuration could not be set up or carried no traffic.
#
# Parameters (environment; `make bench` passes them on the kernel command
# line, which the kernel hands to init's environment):
#   BENCH_ROUNDS    measured rounds after the warm-up (default 7)
#   BENCH_WARMUP    warm-up rounds (default 1)
#   BENCH_SECONDS   seconds per throughput metric, integer (default 5)
#   BENCH_CONFIGS   configurations to run (default: all)
#   BENCH_REKEY     configurations measured for loss per rekey
#                   (default "xfrm s2s-aes256gcm")
#   BENCH_REKEY_RATE  UDP load during a rekey, iperf3 -b (default 20M)
#   BENCH_SCALE_LINKS links for the scale measurement, 2 SAs each (1000);
#                   0 skips it
#   BENCH_METRICS   metrics to measure (default: all of tcp1 tcp2 udp64
#                   udp1400 ping rr gw_tcp1 rekey crypto)
#   BENCH_SEED      shuffle seed (default: random, recorded)
#   BENCH_RPS       1: every veth steers each flow to one CPU (RPS), as a
#                   NIC's receive-side scaling would; 0 (default): each
#                   packet is processed on the CPU that sent it

source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh"

ROUNDS=${BENCH_ROUNDS:-7}
WARMUP=${BENCH_WARMUP:-1}
SECS=${BENCH_SECONDS:-5}
# Lists may come comma-separated (the kernel command line has no quoting).
CONFIGS=${BENCH_CONFIGS:-"plain xfrm xfrm-cbc xfrm-natt wg s2s-aes256gcm s2s-par s2s-aes128gcm s2s-chacha s2s-cbc s2s-natt"}
# s2s's choice of when to hand crypto to other CPUs (module/parallel.c).
PAR_MODE=/sys/kernel/debug/s2s/parallel
# Packets each CPU's s2s worker took (module/parallel.c).
WORKERS=/sys/kernel/debug/s2s/workers
CONFIGS=${CONFIGS//,/ }
REKEY=${BENCH_REKEY-"xfrm s2s-aes256gcm"}
REKEY=${REKEY//,/ }
REKEY_RATE=${BENCH_REKEY_RATE:-20M}
# both sides of the TCP goal and of the ChaCha20 one
PROFILE=${BENCH_PROFILE-"xfrm s2s-aes256gcm wg s2s-chacha"}
PROFILE=${PROFILE//,/ }
# the runs profiled for each: TCP for the throughput goals, 64-byte UDP
# for the packet-rate one (its cost is per packet, not per byte)
PROFILE_METRICS=${BENCH_PROFILE_METRICS-"tcp1 udp64"}
PROFILE_METRICS=${PROFILE_METRICS//,/ }
# 1: record call chains too and print who calls the hottest symbols into
# the guest log (for finding out why, not part of the results).
CALLERS=${BENCH_CALLERS:-0}
METRICS=${BENCH_METRICS:-"tcp1 tcp2 udp64 udp1400 ping rr gw_tcp1 rekey crypto"}
METRICS=" ${METRICS//,/ } "
SCALE_LINKS=${BENCH_SCALE_LINKS:-1000}
SEED=${BENCH_SEED:-$((RANDOM * 32768 + RANDOM))}
RPS=${BENCH_RPS:-0}
RANDOM=$SEED
WAN_MTU=1600
IF_ID=0x42
# The same anti-replay window as an s2s link's default: with asynchronous
# crypto packets can be reordered, and a narrower window would turn that
# into drops that are a configuration difference, not a data-path one.
XFRM_REPLAY=4096
# ESP in UDP (RFC 3948) for the -natt configurations: the port charon
# floats to behind NAT, on both sides.
NATT_PORT=4500
RR_PORT=7207
# AEADs measured crypto-only, by s2s name.
CRYPTO_ALGS="aes-gcm-256 aes-gcm-128 chacha20-poly1305 aes-cbc-256-sha256"
# The in-kernel crypto measurement (kmod/measure.c; scripts/bench.sh
# builds it and puts it here).
KAEAD=/s2s/bench/bench_aead_kernel.ko

require_cmd ip iperf3 ping jq ethtool bench-rr bench-aead bench-scale encap-listen
require_root

nconfigs=$(wc -w <<<"$CONFIGS")
ktap_plan $((nconfigs + 3))

# ------------------------------------------------------------ output ----

# emit JSON: one record for the report generator.
emit() {
	echo "# bench: $1" >&3
}
exec 3>&1

# jstr TEXT: TEXT as a JSON string.
jstr() {
	jq -Rn --arg s "$1" '$s'
}

# sample ROUND CONFIG METRIC VALUE UNIT [EXTRA-JSON-MEMBERS]
sample() {
	emit "{\"type\":\"sample\",\"round\":$1,\"config\":\"$2\",\"metric\":\"$3\",\"value\":$4,\"unit\":\"$5\"${6:+,$6}}"
}

# skipped ROUND CONFIG METRIC WHY: a metric that produced no number.
skipped() {
	emit "{\"type\":\"skipped\",\"round\":$1,\"config\":\"$2\",\"metric\":\"$3\",\"why\":$(jstr "$4")}"
	ktap_diag "round $1 $2 $3: no result ($4)"
	# A harness failure for this configuration unless the round is the
	# warm-up of a tool that is simply absent.
	cfg_bad[$2]=1
}

declare -A cfg_bad cfg_samples

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
	xfrm | xfrm-natt | s2s-aes256gcm | s2s-par | s2s-natt) echo aes-gcm-256 ;;
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
		# worker, to measure the hand-off against s2s-aes256gcm (auto).
		[ "$cfg" != s2s-par ] || echo 2 >"$PAR_MODE" || return 1
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

# The tunnel is up when LAN A reaches LAN B (the first packets may take an
# ARP or a WireGuard handshake).
cfg_ready() {
	local udp0
	udp0=$(net_counter gwb snmp Udp: InDatagrams)
	wait_for 30 nsx lana ping -c 1 -W 1 "$LANB_HOST4" || return 1
	# A -natt configuration whose ping crossed as plain ESP would measure
	# the wrong encapsulation: its gateway B must have taken UDP datagrams.
	if [ ${#S2S_ENCAP[@]} -gt 0 ] &&
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

# ------------------------------------------------------- environment ----

record_env() {
	local mem ncpu model clocksource
	mem=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)
	ncpu=$(nproc)
	model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
	emit "{\"type\":\"env\",\"clocksource\":$(jstr "$clocksource"),\"cmdline\":$(jstr "$(cat /proc/cmdline)"),\"kernel\":$(jstr "$(uname -r)"),\"version\":$(jstr "$(cat /proc/version)"),\"cpus\":$ncpu,\"cpu_model\":$(jstr "$model"),\"mem_kib\":$mem,\"rounds\":$ROUNDS,\"warmup\":$WARMUP,\"seconds\":$SECS,\"seed\":$SEED,\"wan_mtu\":$WAN_MTU,\"rps\":$RPS,\"configs\":$(jstr "$CONFIGS"),\"rekey_configs\":$(jstr "$REKEY"),\"rekey_rate\":$(jstr "$REKEY_RATE"),\"metrics\":$(jstr "$METRICS"),\"cpu_flags\":$(jstr "$(awk -F': ' '/^flags/ { print $2; exit }' /proc/cpuinfo)")}"
}

# Which driver the kernel picked for each algorithm that was used: the
# highest-priority instance of that name in /proc/crypto.
record_crypto_drivers() {
	local n
	for n in 'rfc4106(gcm(aes))' 'gcm(aes)' 'rfc7539esp(chacha20,poly1305)' \
		'authenc(hmac(sha256),cbc(aes))' 'cbc(aes)' 'hmac(sha256)' \
		'chacha20' 'poly1305' 'ghash' 'aes' 'sha256'; do
		awk -v want="$n" '
			/^name/ { name = $3 } /^driver/ { drv = $3 }
			/^priority/ { prio = $3 }
			/^$/ { if (name == want && prio + 0 >= best) { best = prio + 0; pick = drv } }
			END { if (pick != "") printf "%s %s %d\n", want, pick, best }' /proc/crypto
	done | while read -r n d p; do
		emit "{\"type\":\"crypto_driver\",\"name\":$(jstr "$n"),\"driver\":$(jstr "$d"),\"priority\":$p}"
	done
}

# ethtool -k and MTU of every device: the gateways' once per configuration,
# the other namespaces' once. Features reported "off [fixed]" are left out.
# One shell and one awk per namespace: every exec is expensive under TCG.
record_ethtool() {
	local cfg=$1 nss=$2 ns
	for ns in $nss; do
		# shellcheck disable=SC2016 # expanded by the inner shell
		nsx "$ns" sh -c 'for d in /sys/class/net/*; do
				echo "@dev ${d##*/} $(cat "$d/mtu")"
				ethtool -k "${d##*/}" 2>/dev/null
			done' |
			awk -v cfg="$cfg" -v ns="$ns" '
			function flush() {
				if (dev != "")
					printf "# bench: {\"type\":\"ethtool\",\"config\":\"%s\",\"ns\":\"%s\",\"dev\":\"%s\",\"mtu\":%s,\"features\":{%s}}\n", cfg, ns, dev, mtu, feats
			}
			$1 == "@dev" { flush(); dev = $2; mtu = $3; feats = ""; sep = ""; next }
			/^Features for/ { next }
			{
				n = index($0, ": ")
				if (!n) next
				k = substr($0, 1, n - 1); v = substr($0, n + 2)
				gsub(/^[ \t]+/, "", k)
				if (v == "off [fixed]") next
				feats = feats sep "\"" k "\":\"" v "\""; sep = ","
			}
			END { flush() }' >&3
	done
}

# ------------------------------------------------------------- scale ----

meminfo_kib() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

mem_snapshot() {
	echo "$(meminfo_kib Slab) $(meminfo_kib Percpu) $(meminfo_kib MemFree)"
}

# Slab bytes per cache (num_objs * objsize) into FILE.
slab_snapshot() {
	awk 'NR > 2 { print $1, $3 * $4 }' /proc/slabinfo | sort >"$1"
}

t_scale() {
	local n=$SCALE_LINKS out_l out_s m0 m1 m2 d s0 s1 s2 top rc=0
	[ "$n" -gt 0 ] || { echo "BENCH_SCALE_LINKS=0"; return 4; }
	modprobe s2s || return 1
	ns_create scale || return 1
	nsx scale ip link add dummy0 type dummy &&
		nsx scale ip addr add "$GWA_WAN4/24" dev dummy0 &&
		nsx scale ip link set dummy0 up || return 1
	s0=$(mktemp) s1=$(mktemp) s2=$(mktemp)
	sync
	echo 2 >/proc/sys/vm/drop_caches
	slab_snapshot "$s0"; m0=$(mem_snapshot)
	out_l=$(nsx scale bench-scale links "$n" sc 2>&1) || { echo "$out_l"; return 1; }
	slab_snapshot "$s1"; m1=$(mem_snapshot)
	out_s=$(nsx scale bench-scale sas "$n" sc 2 "$GWA_WAN4" "$GWB_WAN4" 2>&1) || { echo "$out_s"; return 1; }
	slab_snapshot "$s2"; m2=$(mem_snapshot)
	echo "$out_l"
	echo "$out_s"
	# The caches that grew most while the SAs were added.
	top=$(awk 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]; if (d > 0) print d, $1 }' "$s1" "$s2" |
		sort -rn | head -n 8 | awk '{ printf "%s\"%s\":%d", sep, $2, $1; sep = "," }')
	read -r -a a0 <<<"$m0"
	read -r -a a1 <<<"$m1"
	read -r -a a2 <<<"$m2"
	emit "{\"type\":\"scale\",\"links\":$out_l,\"sas\":$out_s,\"kib\":{\"before\":{\"slab\":${a0[0]},\"percpu\":${a0[1]:-0},\"free\":${a0[2]}},\"links\":{\"slab\":${a1[0]},\"percpu\":${a1[1]:-0},\"free\":${a1[2]}},\"sas\":{\"slab\":${a2[0]},\"percpu\":${a2[1]:-0},\"free\":${a2[2]}}},\"sa_slab_growth_bytes\":{$top}}"
	d=$(((a2[0] - a1[0]) * 1024 / (2 * n)))
	echo "slab per SA: $d bytes"
	rm -f "$s0" "$s1" "$s2"
	ns_destroy scale
	return $rc
}

# -------------------------------------------------------------- main ----

# shuffled WORDS...: the words in random order (Fisher-Yates).
# profile_cfg CONFIG METRIC: where the whole guest's CPU time goes during
# one tcp1 or udp64 run (perf, sampling cpu-clock: TCG emulates no PMU).
# After the rounds, not part of any: recording costs time of its own.
profile_cfg() {
	local cfg=$1 metric=$2 data=/tmp/perf.$1.data rec graph='' out rate e0 e1
	command -v perf >/dev/null || return 1
	[[ $metric == tcp1 || $metric == udp64 ]] || return 1
	if ! cfg_up "$cfg" >/tmp/bench-setup.log 2>&1 || ! cfg_ready; then
		cfg_down
		return 1
	fi
	[ "$CALLERS" != 1 ] || graph=-g
	e0=$(cpu_each)
	perf record -q -a -e cpu-clock -F 499 $graph -o "$data" -- sleep "$SECS" \
		>/dev/null 2>&1 &
	rec=$!
	out=$(metric_load "$metric")
	wait "$rec"
	e1=$(cpu_each)
	cfg_down
	# The run's own rate: two configurations' shares compare per byte (per
	# packet) only once divided by it. And each CPU's busy share from
	# /proc/stat over the same time, a check on how perf's sampling saw
	# idle time.
	if [ "$metric" = tcp1 ]; then
		rate=$(jq -r '.end.sum_received.bits_per_second // empty | . / 1e6' <<<"$out" 2>/dev/null)
		[ -z "$rate" ] || rate="\"mbit_s\":$rate"
	else
		rate=$(udp_pps <<<"$out")
		[ -z "$rate" ] || rate="\"pkt_s\":$rate"
	fi
	[ -z "$rate" ] ||
		emit "{\"type\":\"profile_run\",\"config\":\"$cfg\",\"metric\":\"$metric\",$rate$(cpu_each_json "$e0" "$e1")}"
	perf report -i "$data" --stdio --no-children --sort dso,sym \
		--percent-limit 0.8 -q 2>/dev/null |
		awk 'NF >= 4 && $1 ~ /%$/ { pct = $1; sub(/%/, "", pct); dso = $2
			sym = $0; sub(/.*\[[k.]\] /, "", sym); print pct "\t" dso "\t" sym }' |
		head -n 20 | while IFS=$'\t' read -r pct dso sym; do
			emit "{\"type\":\"profile\",\"config\":\"$cfg\",\"metric\":\"$metric\",\"share\":$pct,\"dso\":$(jstr "$dso"),\"symbol\":$(jstr "$sym")}"
		done
	[ "$CALLERS" != 1 ] ||
		perf report -i "$data" --stdio --no-children --sort sym \
			--percent-limit 1 -g graph,0.5,callee \
			2>/dev/null | grep -v '^$' | head -n 600 | sed "s/^/# callers $cfg $metric: /"
	rm -f "$data"
}

shuffled() {
	local a=("$@") i j t
	for ((i = ${#a[@]} - 1; i > 0; i--)); do
		j=$((RANDOM % (i + 1)))
		t=${a[i]} a[i]=${a[j]} a[j]=$t
	done
	echo "${a[@]}"
}

# A real system's udev loads the CPU's accelerated crypto drivers from the
# CPU modalias at boot; the test bed has no udev, and the crypto API would
# otherwise settle for the built-in generic C code. Load what this CPU can
# run (a module the CPU cannot use refuses to load), before any transform
# is allocated, so that XFRM, s2s and WireGuard all get what a real
# gateway would use.
accel_loaded=
for m in aesni_intel ghash_clmulni_intel sha256_ssse3 sha512_ssse3 chacha_x86_64 \
	poly1305_x86_64; do
	! modprobe -q "$m" 2>/dev/null || accel_loaded+="$m "
done
# Socket buffers up to 8 MiB (iperf3 -w in the rekey test).
sysctl -qw net.core.rmem_max=8388608 net.core.wmem_max=8388608
record_env
emit "{\"type\":\"crypto_modules\",\"loaded\":$(jstr "${accel_loaded% }")}"
if ! bench_topo; then
	ktap_skip_all "cannot build the topology"
fi
nsx lanb iperf3 -s -D >/dev/null 2>&1
nsx lanb bench-rr server "$RR_PORT" &
defer "kill $! 2>/dev/null"
wait_for 10 sh -c "ip netns exec lanb ss -Hltn 'sport = :5201' | grep -q ." ||
	ktap_skip_all "iperf3 server did not start"

t_all=$(date +%s)
declare -A ethtool_done
for ((round = 1 - WARMUP; round <= ROUNDS; round++)); do
	# shellcheck disable=SC2086 # a list of names
	order=$(shuffled $CONFIGS)
	emit "{\"type\":\"round\",\"round\":$round,\"order\":$(jstr "$order")}"
	for cfg in $order; do
		t_cfg=$(date +%s)
		# Not in a subshell: cfg_up sets the SPIs and keys rekey() uses.
		if ! cfg_up "$cfg" >/tmp/bench-setup.log 2>&1 || ! cfg_ready; then
			skipped "$round" "$cfg" setup "$(tail -n 3 /tmp/bench-setup.log | tr '\n' ' ')(no ping across)"
			cfg_down
			continue
		fi
		ktap_diag "round $round $cfg: up in $(($(date +%s) - t_cfg)) s"
		if [ -z "${ethtool_done[$cfg]:-}" ]; then
			if [ -z "${ethtool_done[any]:-}" ]; then
				record_ethtool "$cfg" "$TOPO_NS"
			else
				record_ethtool "$cfg" "gwa gwb"
			fi
			ethtool_done[$cfg]=1 ethtool_done[any]=1
		fi
		measure "$round" "$cfg"
		cfg_samples[$cfg]=1
		cfg_down
	done
	! want crypto || m_crypto "$round"
done
record_crypto_drivers
ktap_diag "all rounds: $(($(date +%s) - t_all)) s"
for metric in $PROFILE_METRICS; do
	for cfg in $PROFILE; do
		[[ " $CONFIGS " == *" $cfg "* ]] || continue
		profile_cfg "$cfg" "$metric" || ktap_diag "profile $cfg $metric: not taken"
	done
done

for cfg in $CONFIGS; do
	if [ -n "${cfg_samples[$cfg]:-}" ] && [ -z "${cfg_bad[$cfg]:-}" ]; then
		ktap_ok "$cfg: set up and carried traffic in every metric of every round"
	else
		ktap_fail "$cfg: set up and carried traffic in every metric of every round"
	fi
done
crypto_ok=1
for alg in $CRYPTO_ALGS; do
	[ -z "${cfg_bad[crypto-$alg]:-}" ] || crypto_ok=
done
if ! want crypto; then
	ktap_skip "crypto-only throughput measured for every AEAD" "not in BENCH_METRICS"
elif [ -n "$crypto_ok" ]; then
	ktap_ok "crypto-only throughput measured for every AEAD"
else
	ktap_fail "crypto-only throughput measured for every AEAD"
fi
run_test "scale: $SCALE_LINKS links and $((2 * SCALE_LINKS)) SAs through netlink" t_scale
ktap_ok "environment recorded"
emit '{"type":"done"}'
ktap_finished
