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
# in UDP (s2s-natt, xfrm-natt's counterpart); s2s-par and s2s-inline take
# away s2s's choice of handing crypto to the other CPU (always, never).
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
# Not in the default list, measured only when BENCH_CONFIGS names it:
# s2s-inline.
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
# s2s configurations whose hand-off decisions are traced, window by window,
# in one run of each of TRACE_METRICS after the rounds (trace_cfg)
TRACE=${BENCH_TRACE-}
TRACE=${TRACE//,/ }
TRACE_METRICS=${BENCH_TRACE_METRICS-"udp64 udp1400 tcp1"}
TRACE_METRICS=${TRACE_METRICS//,/ }
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
# What scripts/bench.sh puts into the guest beside this suite: the files
# it sources (below) and the in-kernel crypto measurement (kmod/measure.c,
# built there).
BENCH_DIR=/s2s/bench
KAEAD=$BENCH_DIR/bench_aead_kernel.ko

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

# The topology and configurations, and the metrics.
# shellcheck source-path=SCRIPTDIR source=configs.sh
source "$BENCH_DIR/configs.sh" || exit 1
# shellcheck source-path=SCRIPTDIR source=metrics.sh
source "$BENCH_DIR/metrics.sh" || exit 1

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

# profile_cfg CONFIG METRIC: where the whole guest's CPU time goes during
# one tcp1 or udp64 run (perf, sampling cpu-clock: TCG emulates no PMU).
# After the rounds, not part of any: recording costs time of its own.
profile_cfg() {
	local cfg=$1 metric=$2 data=/tmp/perf.$1.data rec graph='' out rate e0 e1
	command -v perf >/dev/null || return 1
	[[ $metric == tcp1 || $metric == udp64 ]] || return 1
	if ! cfg_up "$cfg" >/tmp/bench-setup.log 2>&1 || ! cfg_ready "$cfg"; then
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
	rate=$(run_rate "$metric" <<<"$out")
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
	# What each function's callees add to it: the share of the guest's
	# time spent inside it, its callees included.
	[ "$CALLERS" != 1 ] ||
		perf report -i "$data" --stdio --children --sort sym \
			--percent-limit 1.5 -g none 2>/dev/null |
		grep -v '^$' | head -n 150 | sed "s/^/# children $cfg $metric: /"
	rm -f "$data"
}

# trace_cfg CONFIG METRIC: every load window of every CPU during one run
# of METRIC (trace event s2s:s2s_par_window, module/s2s_trace.h): whether
# the CPU counted as saturated, which way it ran, what it carried. One
# "par_windows" record per CPU sums it up (par_windows_summary); the
# events themselves go into the guest log as "# trace CONFIG METRIC: ...".
# After the rounds, not part of any: for finding out why the automatic
# hand-off chose as it did. Opt-in (BENCH_TRACE), like the profiles:
# switching a trace event on patches kernel text, which under TCG once
# hung a vCPU (selftests/esp_parallel.sh).
trace_cfg() {
	local cfg=$1 metric=$2 t=/sys/kernel/tracing ev out rate e0 e1 b0 r0 workers
	[[ $cfg == s2s* ]] || return 1
	ev=$t/events/s2s/s2s_par_window/enable
	mountpoint -q "$t" || mount -t tracefs nodev "$t" || return 1
	if ! cfg_up "$cfg" >/tmp/bench-setup.log 2>&1 || ! cfg_ready "$cfg"; then
		cfg_down
		return 1
	fi
	[ -w "$ev" ] || { cfg_down; return 1; }
	echo 16384 >"$t/buffer_size_kb"
	: >"$t/trace"
	b0=$(backlog_drops) r0=$(udp_rcvbuf_errors) e0=$(cat "$WORKERS")
	echo 1 >"$ev"
	out=$(metric_load "$metric")
	echo 0 >"$ev"
	e1=$(cat "$WORKERS")
	cfg_down
	rate=$(run_rate "$metric" <<<"$out")
	[[ $metric != udp* ]] || [ -z "$rate" ] ||
		rate+=",\"sent\":$(jq '.end.sum.packets' <<<"$out"),\"lost\":$(jq '.end.sum.lost_packets' <<<"$out")"
	# Where what was sent and not delivered was lost (the CPUs' input
	# backlogs, or the receiving socket), and what each worker took.
	workers=$(paste -d' ' <(echo "$e0") <(echo "$e1") |
		awk '{ printf "%s%d", (NR > 1 ? "," : ""), $7 - $2 }')
	emit "{\"type\":\"par_trace_run\",\"config\":\"$cfg\",\"metric\":\"$metric\",${rate:+$rate,}\"backlog_drops\":$(($(backlog_drops) - b0)),\"receiver_rcvbuf_errors\":$(($(udp_rcvbuf_errors) - r0)),\"worker_packets\":[$workers]}"
	grep -v '^#' "$t/trace" | par_windows_summary "$cfg" "$metric"
	grep -v '^#' "$t/trace" | sed "s/^/# trace $cfg $metric: /"
	: >"$t/trace"
}

# par_windows_summary CONFIG METRIC < TRACE: per CPU, its load windows,
# those it counted as saturated and those after which it handed off; and
# per way a saturated window ran (inline, handed off), the windows it
# learned from and their packets per second (mean, standard deviation):
# packets that entered s2s on that CPU, both directions of both gateways,
# over the time since the CPU's previous window ended.
par_windows_summary() {
	# shellcheck disable=SC2016 # awk's own $
	awk -v cfg="$1" -v metric="$2" '
	/ s2s_par_window: / {
		cpu = $0; sub(/^[^[]*\[/, "", cpu); sub(/\].*/, "", cpu); cpu += 0
		ts = $0; sub(/: s2s_par_window: .*/, "", ts); sub(/.* /, "", ts)
		ts += 0
		for (i = 1; i <= NF; i++)
			if (split($i, kv, "=") == 2)
				f[kv[1]] = kv[2]
		seen[cpu] = 1
		windows[cpu]++
		sat[cpu] += f["saturated"]
		ho[cpu] += f["handoff"]
		if (f["learned"] && (cpu in last) && ts > last[cpu]) {
			w = f["ran_handoff"]
			r = f["packets"] / (ts - last[cpu])
			n[cpu, w]++; s1[cpu, w] += r; s2[cpu, w] += r * r
		}
		last[cpu] = ts
	}
	END {
		for (cpu in seen) {
			line = sprintf("{\"type\":\"par_windows\",\"config\":\"%s\",\"metric\":\"%s\",\"cpu\":%d,\"windows\":%d,\"saturated\":%d,\"handoff_next\":%d", cfg, metric, cpu, windows[cpu], sat[cpu], ho[cpu])
			for (w = 0; w < 2; w++) {
				k = n[cpu, w] + 0
				m = k ? s1[cpu, w] / k : 0
				v = k > 1 ? (s2[cpu, w] - k * m * m) / (k - 1) : 0
				line = line sprintf(",\"%s\":{\"learned\":%d,\"pkt_s\":%.0f,\"pkt_s_sd\":%.0f}", w ? "handed_off" : "inline", k, m, v > 0 ? sqrt(v) : 0)
			}
			print line "}"
		}
	}' | while read -r line; do emit "$line"; done
}

# after_rounds KIND CONFIGS METRICS: KIND_cfg (profile, trace) for each
# of the run's configurations among CONFIGS and each of METRICS.
after_rounds() {
	local kind=$1 metric cfg
	for metric in $3; do
		for cfg in $2; do
			[[ " $CONFIGS " == *" $cfg "* ]] || continue
			"${kind}_cfg" "$cfg" "$metric" || ktap_diag "$kind $cfg $metric: not taken"
		done
	done
}

# shuffled WORDS...: the words in random order (Fisher-Yates).
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
		if ! cfg_up "$cfg" >/tmp/bench-setup.log 2>&1 || ! cfg_ready "$cfg"; then
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
after_rounds profile "$PROFILE" "$PROFILE_METRICS"
after_rounds trace "$TRACE" "$TRACE_METRICS"

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

