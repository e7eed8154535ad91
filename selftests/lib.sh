#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2034 # variables are for the suites
#
# Shared helpers for the s2s selftest suites: KTAP output, skips, cleanup,
# polling, and the standard five-namespace topology.
#
#   lana               gwa                   wan                  gwb               lanb
#  +--------+   +---------------+   +-------------------+   +---------------+   +--------+
#  |  eth0 -+---+- lan0   wan0 -+---+- gwa   br0   gwb -+---+- wan0   lan0 -+---+- eth0  |
#  +--------+   +---------------+   +-------------------+   +---------------+   +--------+
#  10.1.0.2/24   10.1.0.1/24  192.0.2.1/24       (bridge)    192.0.2.2/24  10.2.0.1/24  10.2.0.2/24
#  2001:db8:1::2 2001:db8:1::1 2001:db8::1                    2001:db8::2  2001:db8:2::1 2001:db8:2::2
#
#  LAN A = 10.1.0.0/24, 2001:db8:1::/64      WAN = 192.0.2.0/24, 2001:db8::/64
#  LAN B = 10.2.0.0/24, 2001:db8:2::/64      (all IPv6 prefixes /64, no DAD)
#
# Every link is a veth pair; "wan" is a plain L2 bridge, the place to run
# tcpdump (-i gwa / -i gwb / -i br0) to see what the gateways put on the wire.
# The LAN hosts route everything via their gateway. The gateways forward, and
# with topo_create --lan-routes also route the remote LAN via the peer's WAN
# address (traffic then goes in clear unless an IPsec policy or an s2s route
# catches it first). Address variables are below (GWA_WAN4, LANB_HOST6, ...).
#
# Writing a suite:
#
#   #!/bin/bash
#   source "$(dirname "$0")/lib.sh"
#   require_cmd ip ping            # exit 4 (skip) if a tool is missing
#   ktap_plan 2
#   topo_create                    # torn down automatically on exit
#   run_test "gwa reaches gwb" nsx gwa ping -c1 -W5 "$GWB_WAN4"
#   if something; then ktap_ok "name"; else ktap_fail "name"; fi
#   ktap_finished                  # prints totals, exits 0/1/4
#
# Finding lib.sh: suites source "$(dirname "$0")/lib.sh". In the QEMU guest
# run.sh copies every suite, wherever it lives on the host, into one
# directory next to lib.sh and also exports S2S_SELFTESTS=<that directory>;
# a suite kept outside selftests/ that is run some other way can use
# source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh".
#
# Exit codes (kselftest): 0 pass, 1 fail, 4 skip.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

S2S_SELFTESTS=${S2S_SELFTESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}

# Topology addresses (used by the suites).
LANA_NET4=10.1.0.0/24    LANA_NET6=2001:db8:1::/64
LANB_NET4=10.2.0.0/24    LANB_NET6=2001:db8:2::/64
WAN_NET4=192.0.2.0/24    WAN_NET6=2001:db8::/64
LANA_HOST4=10.1.0.2      LANA_HOST6=2001:db8:1::2
LANA_GW4=10.1.0.1        LANA_GW6=2001:db8:1::1
LANB_HOST4=10.2.0.2      LANB_HOST6=2001:db8:2::2
LANB_GW4=10.2.0.1        LANB_GW6=2001:db8:2::1
GWA_WAN4=192.0.2.1       GWA_WAN6=2001:db8::1
GWB_WAN4=192.0.2.2       GWB_WAN6=2001:db8::2
TOPO_NS="lana gwa wan gwb lanb"

# ---------------------------------------------------------------- KTAP ----

_ktap_planned=
_ktap_n=0
_ktap_pass=0
_ktap_fail=0
_ktap_skip=0

ktap_header() {
	[ -n "${_ktap_header_done:-}" ] && return
	_ktap_header_done=1
	echo "TAP version 13"
}

# ktap_plan N: announce N test cases.
ktap_plan() {
	ktap_header
	_ktap_planned=$1
	echo "1..$1"
}

# ktap_diag TEXT...: diagnostic lines ("# ..."), one per input line.
ktap_diag() {
	local line
	printf '%s\n' "$*" | while IFS= read -r line; do
		echo "# $line"
	done
}

# Diagnostics from a file or stdin, e.g. a log tail on failure.
ktap_diag_file() {
	local line
	while IFS= read -r line; do
		echo "#   $line"
	done <"${1:-/dev/stdin}"
}

ktap_ok() {
	_ktap_n=$((_ktap_n + 1))
	_ktap_pass=$((_ktap_pass + 1))
	echo "ok $_ktap_n $*"
}

ktap_fail() {
	_ktap_n=$((_ktap_n + 1))
	_ktap_fail=$((_ktap_fail + 1))
	echo "not ok $_ktap_n $*"
}

# ktap_skip NAME WHY
ktap_skip() {
	_ktap_n=$((_ktap_n + 1))
	_ktap_skip=$((_ktap_skip + 1))
	echo "ok $_ktap_n $1 # SKIP ${2:-}"
}

# ktap_result NAME RC: ok / not ok / skip from an exit status.
ktap_result() {
	case $2 in
	0) ktap_ok "$1" ;;
	"$KSFT_SKIP") ktap_skip "$1" "${3:-}" ;;
	*) ktap_fail "$1" ;;
	esac
}

# ktap_skip_all WHY: the whole suite cannot run. Marks whatever was planned
# and not yet reported as skipped, then exits 4.
ktap_skip_all() {
	ktap_header
	if [ -z "$_ktap_planned" ]; then
		echo "1..0 # SKIP $*"
	else
		while [ "$_ktap_n" -lt "$_ktap_planned" ]; do
			ktap_skip "not run" "$*"
		done
	fi
	exit "$KSFT_SKIP"
}

# ktap_finished: totals line, then exit 1 if anything failed or fewer
# tests ran than planned, 4 if everything was skipped, else 0.
ktap_finished() {
	echo "# Totals: pass:$_ktap_pass fail:$_ktap_fail xfail:0 xpass:0 skip:$_ktap_skip error:0"
	if [ -n "$_ktap_planned" ] && [ "$_ktap_n" -ne "$_ktap_planned" ]; then
		echo "# planned $_ktap_planned tests but ran $_ktap_n"
		exit "$KSFT_FAIL"
	fi
	[ "$_ktap_fail" -eq 0 ] || exit "$KSFT_FAIL"
	if [ "$_ktap_pass" -eq 0 ] && [ "$_ktap_skip" -gt 0 ]; then
		exit "$KSFT_SKIP"
	fi
	exit "$KSFT_PASS"
}

# run_test NAME CMD...: run CMD in this shell (so it may be a function that
# sets variables) with its output captured. Exit 0 -> ok, 4 -> skip (the
# last output line is the reason), anything else -> not ok with the output
# shown as diagnostics. CMD must not call exit.
run_test() {
	local name=$1 out rc
	shift
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	case $rc in
	0)
		ktap_ok "$name"
		[ -z "${S2S_VERBOSE:-}" ] || ktap_diag_file "$out"
		;;
	"$KSFT_SKIP")
		ktap_skip "$name" "$(tail -n1 "$out")"
		;;
	*)
		ktap_fail "$name"
		echo "# command failed (exit $rc): $*"
		tail -n 60 "$out" | ktap_diag_file
		;;
	esac
	rm -f "$out"
	return $rc
}

# ------------------------------------------------------ requirements ----

# require_cmd TOOL...: skip the suite (exit 4) unless every TOOL is in PATH
# or is an executable path.
require_cmd() {
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then
			ktap_skip_all "$c not available"
		fi
	done
}

require_root() {
	[ "$(id -u)" -eq 0 ] || ktap_skip_all "must run as root"
}

# require_module MOD...: skip unless modprobe can load each module.
require_module() {
	local m
	for m in "$@"; do
		modprobe -q "$m" 2>/dev/null || ktap_skip_all "module $m not available"
	done
}

# ----------------------------------------------------------- cleanup ----

_cleanup_cmds=()

# defer CMD...: run CMD (a string, eval'd) at exit, last registered first.
defer() {
	_cleanup_cmds+=("$*")
}

_lib_exit() {
	local rc=$? i
	trap - EXIT
	for ((i = ${#_cleanup_cmds[@]} - 1; i >= 0; i--)); do
		eval "${_cleanup_cmds[i]}" >/dev/null 2>&1 || true
	done
	exit $rc
}
trap _lib_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------- kernel log ----

# kmsg_mark TEXT: a line in the kernel log that kmsg_since reads from.
# TEXT must be unique in the log (a suite name and what follows) and free
# of sed's regex characters.
kmsg_mark() {
	echo "s2s-selftest: $1" >/dev/kmsg
}

# kmsg_since TEXT: the kernel log from kmsg_mark TEXT on, without times.
kmsg_since() {
	dmesg -t | sed -n "/^s2s-selftest: $1\$/,\$p"
}

# ----------------------------------------------------------- polling ----

# wait_for SECONDS CMD...: poll CMD (every 0.2 s) until it succeeds.
# Returns 1 on timeout. TCG guests are slow: be generous with SECONDS.
wait_for() {
	local timeout=$1 deadline
	shift
	deadline=$(($(date +%s) + timeout))
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# stop_pid PID [SECONDS]: SIGTERM, wait up to SECONDS (default 10) for the
# process to go, then SIGKILL. Start what you will stop with a plain
# "ip netns exec NS prog &" so that $! is the program, not a subshell that
# would ignore the signal.
stop_pid() {
	local pid=$1
	kill "$pid" 2>/dev/null || return 0
	wait_for "${2:-10}" sh -c "! kill -0 $pid 2>/dev/null" ||
		kill -9 "$pid" 2>/dev/null
	return 0
}

# ---------------------------------------------------------- namespaces --

# nsx NS CMD...: run CMD in network namespace NS.
nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_create NS...: fresh namespaces with loopback up.
ns_create() {
	local ns
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
		ip netns add "$ns" || return 1
		defer ns_destroy "$ns"
		nsx "$ns" ip link set lo up || return 1
	done
}

# ns_destroy NS...: kill what runs in NS, then delete it.
ns_destroy() {
	local ns pids
	for ns in "$@"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		if [ -n "$pids" ]; then
			# shellcheck disable=SC2086 # a list of pids
			kill $pids 2>/dev/null
			sleep 0.2
			# shellcheck disable=SC2086
			kill -9 $pids 2>/dev/null
		fi
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

# veth_link NS1 IF1 NS2 IF2: a veth pair between two namespaces, both up.
veth_link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" || return 1
	nsx "$1" ip link set "$2" up && nsx "$3" ip link set "$4" up
}

# topo_create [--lan-routes]: build the diagram at the top of this file.
topo_create() {
	local lan_routes=
	[ "${1:-}" = --lan-routes ] && lan_routes=1

	# shellcheck disable=SC2086 # a list of names
	ns_create $TOPO_NS || return 1
	{
		nsx wan ip link add br0 type bridge &&
		nsx wan ip link set br0 up &&
		veth_link lana eth0 gwa lan0 &&
		veth_link gwa wan0 wan gwa &&
		veth_link gwb wan0 wan gwb &&
		veth_link gwb lan0 lanb eth0 &&
		nsx wan ip link set gwa master br0 &&
		nsx wan ip link set gwb master br0 &&

		nsx lana ip addr add "$LANA_HOST4/24" dev eth0 &&
		nsx lana ip addr add "$LANA_HOST6/64" dev eth0 nodad &&
		nsx gwa ip addr add "$LANA_GW4/24" dev lan0 &&
		nsx gwa ip addr add "$LANA_GW6/64" dev lan0 nodad &&
		nsx gwa ip addr add "$GWA_WAN4/24" dev wan0 &&
		nsx gwa ip addr add "$GWA_WAN6/64" dev wan0 nodad &&
		nsx gwb ip addr add "$GWB_WAN4/24" dev wan0 &&
		nsx gwb ip addr add "$GWB_WAN6/64" dev wan0 nodad &&
		nsx gwb ip addr add "$LANB_GW4/24" dev lan0 &&
		nsx gwb ip addr add "$LANB_GW6/64" dev lan0 nodad &&
		nsx lanb ip addr add "$LANB_HOST4/24" dev eth0 &&
		nsx lanb ip addr add "$LANB_HOST6/64" dev eth0 nodad &&

		nsx lana ip route add default via "$LANA_GW4" &&
		nsx lana ip -6 route add default via "$LANA_GW6" &&
		nsx lanb ip route add default via "$LANB_GW4" &&
		nsx lanb ip -6 route add default via "$LANB_GW6" &&

		nsx gwa sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 &&
		nsx gwb sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	} || return 1

	if [ -n "$lan_routes" ]; then
		nsx gwa ip route add "$LANB_NET4" via "$GWB_WAN4" &&
		nsx gwa ip -6 route add "$LANB_NET6" via "$GWB_WAN6" &&
		nsx gwb ip route add "$LANA_NET4" via "$GWA_WAN4" &&
		nsx gwb ip -6 route add "$LANA_NET6" via "$GWA_WAN6" || return 1
	fi
}

# ----------------------------------------------------------------- ESP ----
#
# SA pairs between gwa (always s2s, link s2s0) and gwb (s2s, or the kernel's
# own XFRM as the reference peer). Directions: A->B carries SPI_AB, B->A
# carries SPI_BA. Keys are fixed test keys, one per algorithm.

SPI_AB=0x1000a001
SPI_BA=0x1000b001
ESP_ALGS="aes-gcm-128 aes-gcm-256 chacha20-poly1305 aes-cbc-128-sha256 aes-cbc-256-sha256 aes-cbc-256-sha384 aes-cbc-256-sha512 aes-cbc-128-sha1 3des-sha1"

# esp_alg_keys ALG SALTSEED: sets ESP_ENC ESP_EKEY ESP_INTEG ESP_IKEY (s2sctl
# names) and XFRM_ALGS (the `ip xfrm state` algorithm arguments).
esp_alg_keys() {
	local k16=0x000102030405060708090a0b0c0d0e0f
	local k32=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
	local k24=0x000102030405060708090a0b0c0d0e0f1011121314151617
	local salt=${2:-c0ffee01}
	local a20=0x2122232425262728292a2b2c2d2e2f3031323334
	local a32=0x404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f
	local a48=${a32}606162636465666768696a6b6c6d6e6f
	local a64=${a48}707172737475767778797a7b7c7d7e7f
	ESP_INTEG=
	ESP_IKEY=
	case $1 in
	aes-gcm-128)
		ESP_ENC=aes-gcm ESP_EKEY=$k16$salt
		XFRM_ALGS="aead rfc4106(gcm(aes)) $ESP_EKEY 128" ;;
	aes-gcm-256)
		ESP_ENC=aes-gcm ESP_EKEY=$k32$salt
		XFRM_ALGS="aead rfc4106(gcm(aes)) $ESP_EKEY 128" ;;
	chacha20-poly1305)
		ESP_ENC=chacha20-poly1305 ESP_EKEY=$k32$salt
		XFRM_ALGS="aead rfc7539esp(chacha20,poly1305) $ESP_EKEY 128" ;;
	aes-cbc-128-sha256)
		ESP_ENC=aes-cbc ESP_EKEY=$k16 ESP_INTEG=hmac-sha256-128 ESP_IKEY=$a32
		XFRM_ALGS="enc cbc(aes) $ESP_EKEY auth-trunc hmac(sha256) $ESP_IKEY 128" ;;
	aes-cbc-256-sha256)
		ESP_ENC=aes-cbc ESP_EKEY=$k32 ESP_INTEG=hmac-sha256-128 ESP_IKEY=$a32
		XFRM_ALGS="enc cbc(aes) $ESP_EKEY auth-trunc hmac(sha256) $ESP_IKEY 128" ;;
	aes-cbc-256-sha384)
		ESP_ENC=aes-cbc ESP_EKEY=$k32 ESP_INTEG=hmac-sha384-192 ESP_IKEY=$a48
		XFRM_ALGS="enc cbc(aes) $ESP_EKEY auth-trunc hmac(sha384) $ESP_IKEY 192" ;;
	aes-cbc-256-sha512)
		ESP_ENC=aes-cbc ESP_EKEY=$k32 ESP_INTEG=hmac-sha512-256 ESP_IKEY=$a64
		XFRM_ALGS="enc cbc(aes) $ESP_EKEY auth-trunc hmac(sha512) $ESP_IKEY 256" ;;
	aes-cbc-128-sha1)
		ESP_ENC=aes-cbc ESP_EKEY=$k16 ESP_INTEG=hmac-sha1-96 ESP_IKEY=$a20
		XFRM_ALGS="enc cbc(aes) $ESP_EKEY auth-trunc hmac(sha1) $ESP_IKEY 96" ;;
	3des-sha1)
		ESP_ENC=3des-cbc ESP_EKEY=$k24 ESP_INTEG=hmac-sha1-96 ESP_IKEY=$a20
		XFRM_ALGS="enc cbc(des3_ede) $ESP_EKEY auth-trunc hmac(sha1) $ESP_IKEY 96" ;;
	*) echo "unknown algorithm $1" >&2; return 1 ;;
	esac
}

# esp_outer FAMILY: sets OUT_A OUT_B, the gateways' WAN addresses.
esp_outer() {
	if [ "$1" = 6 ]; then OUT_A=$GWA_WAN6 OUT_B=$GWB_WAN6; else OUT_A=$GWA_WAN4 OUT_B=$GWB_WAN4; fi
}

# s2s_sa NS DEV DIR SPI LOCAL REMOTE [extra s2sctl args]: add one SA with
# the algorithm chosen by esp_alg_keys.
s2s_sa() {
	local ns=$1 dev=$2 dir=$3 spi=$4 local=$5 remote=$6
	shift 6
	nsx "$ns" s2sctl sa add "$dev" dir "$dir" spi "$spi" enc "$ESP_ENC" \
		key "$ESP_EKEY" ${ESP_INTEG:+integ $ESP_INTEG ikey $ESP_IKEY} \
		local "$local" remote "$remote" "$@" 2>&1 | grep -v 'legacy'
	return "${PIPESTATUS[0]}"
}

# s2s_gw NS PEER_SPI_IN SPI_OUT LOCAL REMOTE [extra]: an s2s link s2s0 in NS
# with one inbound and one outbound SA, up, routes to the far LAN.
s2s_gw() {
	local ns=$1 spi_in=$2 spi_out=$3 local=$4 remote=$5
	shift 5
	nsx "$ns" ip link add s2s0 type s2s &&
		s2s_sa "$ns" s2s0 in "$spi_in" "$local" "$remote" "$@" &&
		s2s_sa "$ns" s2s0 out "$spi_out" "$local" "$remote" "$@" &&
		nsx "$ns" ip link set s2s0 up
}

# xfrm_gw NS SPI_IN SPI_OUT LOCAL REMOTE LOCALNETS REMOTENETS [state extras]:
# the kernel's policy-based tunnel mode as the peer: two states (both inner
# families: af-unspec) and in/out/fwd policies for each network pair.
xfrm_gw() {
	local ns=$1 spi_in=$2 spi_out=$3 local=$4 remote=$5 lnets=$6 rnets=$7
	shift 7
	local l r
	# shellcheck disable=SC2086 # XFRM_ALGS is an argument list
	nsx "$ns" ip xfrm state add src "$remote" dst "$local" proto esp \
		spi "$spi_in" mode tunnel flag af-unspec ${XFRM_FLAGS:-} $XFRM_ALGS "$@" &&
	nsx "$ns" ip xfrm state add src "$local" dst "$remote" proto esp \
		spi "$spi_out" mode tunnel flag af-unspec ${XFRM_FLAGS:-} $XFRM_ALGS "$@" || return 1
	for l in $lnets; do
		for r in $rnets; do
			[ "${l#*:}" = "$l" ] && [ "${r#*:}" != "$r" ] && continue
			[ "${l#*:}" != "$l" ] && [ "${r#*:}" = "$r" ] && continue
			nsx "$ns" ip xfrm policy add src "$l" dst "$r" dir out \
				tmpl src "$local" dst "$remote" proto esp mode tunnel &&
			nsx "$ns" ip xfrm policy add src "$r" dst "$l" dir in \
				tmpl src "$remote" dst "$local" proto esp mode tunnel &&
			nsx "$ns" ip xfrm policy add src "$r" dst "$l" dir fwd \
				tmpl src "$remote" dst "$local" proto esp mode tunnel ||
				return 1
		done
	done
}

xfrm_flush() {
	nsx "$1" ip xfrm policy flush
	nsx "$1" ip xfrm state flush
}

# s2s_routes NS: send both far LANs into s2s0.
s2s_routes() {
	local far4 far6
	if [ "$1" = gwa ]; then far4=$LANB_NET4 far6=$LANB_NET6; else far4=$LANA_NET4 far6=$LANA_NET6; fi
	nsx "$1" ip route replace "$far4" dev s2s0 &&
		nsx "$1" ip -6 route replace "$far6" dev s2s0
}

# s2s_sa_stat NS DEV DIR SPI FIELD: one counter of an SA from the JSON dump,
# FIELD being tx_packets, rx_bytes, replay, auth, ... (drops by name).
s2s_sa_stat() {
	nsx "$1" s2sctl sa get "$2" dir "$3" spi "$4" --json |
		tr -d ' \n' | grep -o "\"$5\":[0-9]*" | head -n1 | cut -d: -f2
}

# xfrm_counts NS SPI: "BYTES PACKETS" counted by an XFRM state.
xfrm_counts() {
	nsx "$1" ip -s xfrm state list spi "$2" |
		awk '/lifetime current:/ { getline; gsub(/\(bytes\),|\(packets\)/, "");
			print $1, $2; exit }'
}

# wan_capture_start FILE / wan_capture_stop: everything on the WAN bridge.
wan_capture_start() {
	ip netns exec wan tcpdump -i br0 --immediate-mode -U -n -s 0 -w "$1" 2>"$1.log" &
	WAN_CAPTURE_PID=$!
	# Capturing once tcpdump says so (the file stays empty until a packet);
	# immediate mode, or packets wait in a kernel ring block and may be
	# lost when tcpdump is stopped.
	wait_for 10 grep -q 'listening on' "$1.log"
}

wan_capture_stop() {
	sleep 0.2
	stop_pid "$WAN_CAPTURE_PID"
}

# wan_only_esp FILE SPI...: the capture holds packets, every one of them ESP
# (raw or in UDP) with one of the SPIs, and no inner address or the ping
# payload pattern in clear.
wan_only_esp() {
	local file=$1 dump all spis n bad
	shift
	dump=$(tcpdump -r "$file" -n -x 2>/dev/null)
	all=$(grep -v -e '^[[:space:]]' -e ARP -e 'ICMP6, neighbor' -e 'router s' <<<"$dump")
	n=$(grep -c . <<<"$all")
	[ "$n" -gt 0 ] || { echo "nothing captured on the WAN"; return 1; }
	spis=$(printf '|spi=%s' "$@")
	bad=$(grep -vE "ESP\\((${spis#|})," <<<"$all")
	[ -z "$bad" ] || { echo "non-ESP or unexpected SPI on the WAN:"; echo "$bad" | head; return 1; }
	if grep '^[[:space:]]' <<<"$dump" | cut -d: -f2 | tr -d ' \n' | grep -q 'a5c3a5c3a5c3a5c3'; then
		echo "ping payload pattern visible in clear on the WAN"; return 1
	fi
	if grep -qE '10\.[12]\.0\.|2001:db8:[12]::' <<<"$all"; then
		echo "inner address visible on the WAN"; return 1
	fi
}

# ------------------------------------------------------- strongSwan ----
#
# Two charons (gwa, gwb) for the ike_*.sh suites and the demo. Each runs in
# its gateway's netns and in a private mount namespace with its own /run
# (the pid file /run/charon.pid would collide), with a strongswan.conf
# (STRONGSWAN_CONF) that moves the vici socket and the log into
# $IKE_DIR/GW/. swanctl reaches an instance with swc GW ... (--uri).
#
# s2s gateways follow Documentation/design.rst: each child has
# if_id_in/if_id_out = the s2s link's if-id, a unique mark_in with
# mark_in_sa = yes, and hw_offload = no; s2sd forwards the SAs.

CHARON=${CHARON:-/usr/lib/ipsec/charon}
IKE_IF_ID=42
IKE_PSK="s2s selftest pre-shared key, not secret"
# The recommended profile (../shared/REQUIREMENTS.md): IKEv2, AES-256-GCM
# (IKE: also AES-256-CBC + SHA-384), ECP-384 (DH 20) with PFS.
IKE_RECOMMENDED_IKE=aes256gcm16-prfsha384-ecp384,aes256-sha384-ecp384
IKE_RECOMMENDED_ESP=aes256gcm16-ecp384

# ike_status NS DEV: DEV's tunnel status as `s2sctl show` prints it in
# NS, without the "ike:" label.
ike_status() {
	ip netns exec "$1" s2sctl show "$2" | sed -n 's/^  ike: //p'
}

# ike_status_is NS DEV TEXT: whether DEV's tunnel status reads TEXT.
ike_status_is() {
	[ "$(ike_status "$1" "$2")" = "$3" ]
}

# ike_init DIR: where the instances keep their files.
ike_init() {
	IKE_DIR=$1
	mkdir -p "$IKE_DIR/gwa" "$IKE_DIR/gwb"
	local gw
	for gw in gwa gwb; do
		cat >"$IKE_DIR/$gw/strongswan.conf" <<-EOC
		charon {
			load_modular = no
			load = random nonce openssl aes sha1 sha2 hmac kdf gmp curve25519 pem pkcs1 pubkey x509 revocation constraints kernel-netlink socket-default vici
			install_routes = no
			install_virtual_ip = no
			make_before_break = yes
			retransmit_timeout = 2
			retransmit_tries = 3
			plugins {
				vici {
					socket = unix://$IKE_DIR/$gw/charon.vici
				}
			}
			filelog {
				charon {
					path = $IKE_DIR/$gw/charon.log
					time_format = %H:%M:%S
					default = 1
					ike = 2
					cfg = 2
					knl = 1
					flush_line = yes
				}
			}
			syslog {
				daemon {
					default = -1
				}
			}
		}
		EOC
	done
}

# swc GW ARGS...: swanctl against GW's charon.
swc() {
	local gw=$1
	shift
	STRONGSWAN_CONF=$IKE_DIR/$gw/strongswan.conf \
		swanctl "$@" --uri "unix://$IKE_DIR/$gw/charon.vici"
}

# charon_start GW: start charon in GW, wait for its vici socket.
charon_start() {
	local gw=$1 dir=$IKE_DIR/$1
	# shellcheck disable=SC2016 # $0 is for the inner sh
	STRONGSWAN_CONF=$dir/strongswan.conf \
		ip netns exec "$gw" unshare -m --propagation private \
		sh -c 'mount -t tmpfs tmpfs /run && exec "$0"' "$CHARON" \
		>>"$dir/charon.out" 2>&1 </dev/null &
	echo $! >"$dir/charon.pid"
	defer charon_stop "$gw"
	if ! wait_for 90 swc "$gw" --stats; then
		echo "charon in $gw did not open its vici socket"
		tail -n 30 "$dir/charon.out" "$dir/charon.log" 2>/dev/null
		return 1
	fi
}

# charon_stop GW [SIGNAL]: stop GW's charon (SIGTERM, or SIGNAL at once).
charon_stop() {
	local pid
	pid=$(cat "$IKE_DIR/$1/charon.pid" 2>/dev/null) || return 0
	rm -f "$IKE_DIR/$1/charon.pid"
	if [ -n "${2:-}" ]; then
		kill "-$2" "$pid" 2>/dev/null
		wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
	else
		stop_pid "$pid" 20
	fi
}

# s2sd_start GW [ARGS]: s2sd -f in GW, counters mirrored every second,
# log appended to $IKE_DIR/GW/s2sd.log.
s2sd_start() {
	local gw=$1 before
	shift
	before=$(grep -c 'watching XFRM SAs' "$IKE_DIR/$gw/s2sd.log" 2>/dev/null)
	# not through nsx: $! must be s2sd itself
	ip netns exec "$gw" s2sd -f -i 1 "$@" >>"$IKE_DIR/$gw/s2sd.log" 2>&1 &
	echo $! >"$IKE_DIR/$gw/s2sd.pid"
	defer "kill $! 2>/dev/null"
	wait_for 20 s2sd_ready "$gw" "$before"
}

# s2sd_ready GW N: s2sd said "watching" more than N times.
s2sd_ready() {
	[ "$(grep -c 'watching XFRM SAs' "$IKE_DIR/$1/s2sd.log")" -gt "${2:-0}" ]
}

s2sd_stop() {
	local pid
	pid=$(cat "$IKE_DIR/$1/s2sd.pid" 2>/dev/null) || return 0
	rm -f "$IKE_DIR/$1/s2sd.pid"
	kill -TERM "$pid" && wait "$pid"
}

# s2s_link GW: s2s0 with the if-id charon's children carry, up.
s2s_link() {
	nsx "$1" ip link add s2s0 type s2s &&
		nsx "$1" s2sctl link set s2s0 if-id "$IKE_IF_ID" &&
		nsx "$1" ip link set s2s0 up
}

# routes_by_hand GW [DEV]: the routes to the far LAN (both families) via
# DEV (default s2s0). By hand for now: s2sd installs them from charon's
# child-updown events (remote traffic selectors) once its vici part lands.
routes_by_hand() {
	local far4 far6
	if [ "$1" = gwa ]; then far4=$LANB_NET4 far6=$LANB_NET6; else far4=$LANA_NET4 far6=$LANA_NET6; fi
	nsx "$1" ip route replace "$far4" dev "${2:-s2s0}" &&
		nsx "$1" ip -6 route replace "$far6" dev "${2:-s2s0}"
}

# ike_conn GW CONN IKE_PROPOSALS ESP_PROPOSALS [KEY=VALUE...]: write
# $IKE_DIR/GW/CONN.conf, one connection CONN with child "lan" joining the
# gateway's LAN to the far one (both families) and the PSK secret. KEYs:
#   if_id=N      if_id_in/out (default IKE_IF_ID; 0 = none)
#   mark=N       mark_in + mark_in_sa = yes (default 0x2a for gwa, 0x2b
#                for gwb; 0 = none, for an xfrm interface peer)
#   psk=S, local_ts=, remote_ts=, local_addrs=, remote_addrs=, encap=yes,
#   dpd=SECONDS (default 10), proposals=, esp_proposals= (override the
#   arguments), ike=LINES, child=LINES  (extra swanctl lines at connection/child level)
ike_conn() {
	local gw=$1 conn=$2 ikep=$3 espp=$4 kv
	local if_id=$IKE_IF_ID mark psk=$IKE_PSK lts rts laddr raddr id rid
	local ike_extra='' child_extra='' encap=no dpd=10
	shift 4
	if [ "$gw" = gwa ]; then
		mark=0x2a lts=$LANA_NET4,$LANA_NET6 rts=$LANB_NET4,$LANB_NET6
		laddr=$GWA_WAN4 raddr=$GWB_WAN4 id=gwa rid=gwb
	else
		mark=0x2b lts=$LANB_NET4,$LANB_NET6 rts=$LANA_NET4,$LANA_NET6
		laddr=$GWB_WAN4 raddr=$GWA_WAN4 id=gwb rid=gwa
	fi
	for kv in "$@"; do
		case $kv in
		if_id=*) if_id=${kv#*=} ;;
		mark=*) mark=${kv#*=} ;;
		psk=*) psk=${kv#*=} ;;
		local_ts=*) lts=${kv#*=} ;;
		remote_ts=*) rts=${kv#*=} ;;
		local_addrs=*) laddr=${kv#*=} ;;
		remote_addrs=*) raddr=${kv#*=} ;;
		encap=*) encap=${kv#*=} ;;
		dpd=*) dpd=${kv#*=} ;;
		proposals=*) ikep=${kv#*=} ;;
		esp_proposals=*) espp=${kv#*=} ;;
		ike=*) ike_extra=${kv#*=} ;;
		child=*) child_extra=${kv#*=} ;;
		*) echo "ike_conn: unknown $kv" >&2; return 1 ;;
		esac
	done
	{
		echo "connections {"
		echo " $conn {"
		echo "  version = 2"
		echo "  local_addrs = $laddr"
		echo "  remote_addrs = $raddr"
		echo "  proposals = $ikep"
		echo "  encap = $encap"
		echo "  rekey_time = 28800s"
		echo "  dpd_delay = ${dpd}s"
		echo "  dpd_timeout = 30s"
		[ -z "$ike_extra" ] || echo "$ike_extra"
		printf '  local {\n   auth = psk\n   id = %s\n  }\n' "$id"
		printf '  remote {\n   auth = psk\n   id = %s\n  }\n' "$rid"
		echo "  children {"
		echo "   lan {"
		echo "    mode = tunnel"
		echo "    local_ts = $lts"
		echo "    remote_ts = $rts"
		echo "    esp_proposals = $espp"
		echo "    rekey_time = 3600s"
		echo "    dpd_action = restart"
		echo "    start_action = none"
		echo "    hw_offload = no"
		if [ "$if_id" != 0 ]; then
			echo "    if_id_in = $if_id"
			echo "    if_id_out = $if_id"
		fi
		if [ "$mark" != 0 ]; then
			echo "    mark_in = $mark"
			echo "    mark_in_sa = yes"
		fi
		[ -z "$child_extra" ] || echo "$child_extra"
		echo "   }"
		echo "  }"
		echo " }"
		echo "}"
		echo "secrets {"
		echo " ike-$conn {"
		echo "  id-a = gwa"
		echo "  id-b = gwb"
		echo "  secret = \"$psk\""
		echo " }"
		echo "}"
	} >"$IKE_DIR/$gw/$conn.conf"
}

# ike_load GW CONN: load CONN (and its secret) into GW's charon, replacing
# whatever connections were loaded before.
ike_load() {
	swc "$1" --load-all --clear --file "$IKE_DIR/$1/$2.conf" 2>&1 |
		grep -v "^opening directory"
	return "${PIPESTATUS[0]}"
}

# ike_child_spis GW [CHILD]: "IN OUT" SPIs (0x...) of GW's INSTALLED child
# (default lan) as swanctl lists them; the newest one when there are
# several.
ike_child_spis() {
	swc "$1" --list-sas 2>/dev/null | awk -v child="${2:-lan}" '
		$1 == child ":" && /INSTALLED/ { on = 1; next }
		on && $1 == "in" { i = $2 }
		on && $1 == "out" { o = $2; on = 0 }
		END { if (i != "" && o != "") printf "0x%s 0x%s\n", i, o; else exit 1 }'
}

# ike_child_counts GW in|out [CHILD]: "BYTES PACKETS" swanctl shows for
# the direction of GW's INSTALLED child.
ike_child_counts() {
	swc "$1" --list-sas 2>/dev/null | awk -v child="${3:-lan}" -v dir="$2" '
		$1 == child ":" && /INSTALLED/ { on = 1; next }
		on && $1 == dir {
			for (f = 2; f < NF; f++) {
				if ($(f + 1) ~ /^bytes/) b = $f
				if ($(f + 1) ~ /^packets/) p = $f
			}
			print b, p; found = 1; exit
		}
		END { if (!found) exit 1 }'
}

# ike_logs_tail: the last lines of every charon and s2sd log (diagnostics).
ike_logs_tail() {
	local f
	for f in "$IKE_DIR"/gw?/charon.log "$IKE_DIR"/gw?/s2sd.log; do
		[ -f "$f" ] || continue
		echo "--- $f (tail)"
		tail -n "${1:-20}" "$f"
	done
}

# ike_capture_start FILE: tcpdump on the WAN bridge, IKE (UDP 500, UDP 4500
# with the non-ESP marker) and NAT keepalives left out: what remains must
# be ESP (wan_only_esp).
ike_capture_start() {
	ip netns exec wan tcpdump -i br0 --immediate-mode -U -n -s 0 -w "$1" \
		'not arp and not (icmp6 and ip6[40] >= 133 and ip6[40] <= 137) and not udp port 500 and not (udp port 4500 and (udp[8:4] = 0 or udp[4:2] = 9))' \
		2>"$1.log" &
	WAN_CAPTURE_PID=$!
	wait_for 10 grep -q 'listening on' "$1.log"
}

# hex N: an SPI as s2sctl and swanctl spell it (0x + 8 digits).
hex() { printf '0x%08x' "$1"; }

# in_module GW DIR SPI: the module holds the SA.
in_module() {
	nsx "$1" s2sctl sa get s2s0 dir "$2" spi "$3" >/dev/null 2>&1
}

# sa_selectors GW DIR SPI: "local L1,L2 remote R1,R2" of one module SA.
sa_selectors() {
	nsx "$1" s2sctl sa get s2s0 dir "$2" spi "$3" --json |
		jq -r '.. | objects | select(has("ts_local")) |
			"local \(.ts_local | join(",")) remote \(.ts_remote | join(","))"'
}

# selectors_are GW DIR SPI WANT: as sa_selectors says, or fail saying why.
selectors_are() {
	local got
	got=$(sa_selectors "$1" "$2" "$3")
	[ "$got" = "$4" ] && return 0
	echo "$1 $2 $(hex "$3"): $got (want $4)"
	return 1
}

# module_spis GW: "dir spi" lines of s2s0's SAs, sorted.
module_spis() {
	nsx "$1" s2sctl sa show s2s0 --json | tr -d ' \n' |
		grep -o '"dir":"[a-z]*","spi":[0-9]*' |
		sed 's/"dir":"\([a-z]*\)","spi":\([0-9]*\)/\1 \2/' |
		while read -r d s; do echo "$d $(hex "$s")"; done | sort
}

module_empty() {
	[ -z "$(module_spis gwa)" ] && [ -z "$(module_spis gwb)" ]
}

# ike_down CONN: gwa terminates CONN; XFRM and both modules end up empty.
ike_down() {
	swc gwa --terminate --ike "$1" --timeout 30 >/dev/null || return 1
	wait_for 15 module_empty || { module_spis gwa; module_spis gwb; return 1; }
	[ -z "$(nsx gwa ip xfrm state)" ] && [ -z "$(nsx gwb ip xfrm state)" ] &&
		grep -q "deleted outbound SA spi $(printf 0x%x "${SPI_A_OUT:-0}")" "$IKE_DIR/gwa/s2sd.log"
}

