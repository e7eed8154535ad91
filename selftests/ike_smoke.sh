#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IKE smoke test: strongSwan charon in gwa and gwb negotiates an IKEv2
# Child SA (PSK, tunnel mode, 10.1.0.0/24 <-> 10.2.0.0/24) that charon
# installs into the kernel's own XFRM, plain policy-based. Then LAN A pings
# LAN B through it. This is the baseline the s2s data plane is compared
# against, and it proves the test bed (charon, swanctl, crypto module
# autoload, namespaces) works.
#
# Asserts what a user would see: both swanctl report the Child SA
# INSTALLED, both kernels hold the same two ESP SAs, the pings arrive, the
# WAN carries exactly one ESP packet per ping and direction with our SPIs
# and no clear ICMP, and the XFRM SA counters equal what was sent.
#
# Two charons on one machine: the classic daemon refuses to start when
# /run/charon.pid names a live process, and both would default to the
# vici socket /run/charon.vici. Each instance therefore runs inside its own
# mount namespace ("ip netns exec NS unshare -m", then a private tmpfs on
# /run) so pid files cannot collide, and gets its own strongswan.conf via
# STRONGSWAN_CONF that moves the vici socket and the log file into the
# instance's directory. swanctl talks to an instance with --uri and reads
# its connections with --file; it needs no network namespace because vici
# is a filesystem socket. charon-systemd would avoid the pid file but
# expects systemd/journald around it.

# Test steps run through run_test, which shellcheck cannot follow.
# shellcheck disable=SC2317

source "$(dirname "$0")/lib.sh"

CHARON=${CHARON:-/usr/lib/ipsec/charon}
PINGS=5
PING_LEN=84	# IPv4 echo request/reply with the default 56 data bytes

require_root
require_cmd ip swanctl ping tcpdump awk "$CHARON"

ktap_plan 12

topo_create --lan-routes || ktap_skip_all "cannot build the namespace topology"

work=$(mktemp -d /tmp/ike_smoke.XXXXXX)
defer "rm -rf '$work'"

# charon_conf NS LOCAL REMOTE LTS RTS: strongswan.conf + swanctl.conf
charon_conf() {
	local ns=$1 dir=$work/$1
	mkdir -p "$dir"
	# Explicit plugin list: fast start, and independent of which plugin
	# packages the host happens to have (missing ones only log an error).
	cat >"$dir/strongswan.conf" <<-EOF
	charon {
		load_modular = no
		load = random nonce openssl aes sha1 sha2 hmac kdf gmp curve25519 pem pkcs1 pubkey x509 revocation constraints kernel-netlink socket-default vici
		install_routes = no
		install_virtual_ip = no
		retransmit_timeout = 8
		plugins {
			vici {
				socket = unix://$dir/charon.vici
			}
		}
		filelog {
			charon {
				path = $dir/charon.log
				time_format = %H:%M:%S
				default = 1
				ike = 2
				cfg = 2
				knl = 2
				flush_line = yes
			}
		}
		syslog {
			daemon {
				default = -1
			}
		}
	}
	EOF
	cat >"$dir/swanctl.conf" <<-EOF
	connections {
		s2s {
			version = 2
			local_addrs = $2
			remote_addrs = $3
			proposals = aes128-sha256-modp2048
			local {
				auth = psk
				id = $ns
			}
			remote {
				auth = psk
			}
			children {
				lan {
					mode = tunnel
					local_ts = $4
					remote_ts = $5
					esp_proposals = aes128gcm16
					start_action = none
				}
			}
		}
	}
	secrets {
		ike-s2s {
			id-a = gwa
			id-b = gwb
			secret = "s2s selftest pre-shared key, not secret"
		}
	}
	EOF
}

swc() {
	local ns=$1
	shift
	STRONGSWAN_CONF=$work/$ns/strongswan.conf \
		swanctl "$@" --uri "unix://$work/$ns/charon.vici"
}

charon_start() {
	local ns=$1 dir=$work/$1
	# shellcheck disable=SC2016 # $0 is for the inner sh
	STRONGSWAN_CONF=$dir/strongswan.conf \
		ip netns exec "$ns" unshare -m --propagation private \
		sh -c 'mount -t tmpfs tmpfs /run && exec "$0"' "$CHARON" \
		>"$dir/charon.out" 2>&1 </dev/null &
	echo $! >"$dir/pid"
	# Under TCG charon needs a few seconds to load its plugins.
	if ! wait_for 90 swc "$ns" --stats; then
		echo "charon in $ns did not open its vici socket"
		tail -n 30 "$dir/charon.out" "$dir/charon.log" 2>/dev/null
		return 1
	fi
}

charon_stop() {
	local pid
	pid=$(cat "$work/$1/pid" 2>/dev/null) || return 0
	stop_pid "$pid" 20
}

logs_on_failure() {
	local ns
	for ns in gwa gwb; do
		echo "--- $ns charon.log (tail)"
		tail -n 25 "$work/$ns/charon.log" 2>/dev/null
	done
}

# sa_spis NS: SPIs of the ESP SAs in NS, sorted, one a line.
sa_spis() {
	nsx "$1" ip xfrm state list proto esp |
		awk '$1 == "proto" && $2 == "esp" { print $4 }' | sort
}

# sa_counters NS SRC DST: "BYTES PACKETS" of the ESP SA SRC -> DST.
sa_counters() {
	nsx "$1" ip -s xfrm state list src "$2" dst "$3" proto esp |
		awk '/lifetime current:/ { getline; gsub(/\(bytes\),|\(packets\)/, "");
			print $1, $2; exit }'
}

check_topology() {
	nsx gwa ping -c 1 -W 10 "$GWB_WAN4" &&
		nsx gwa ping -c 1 -W 10 "$GWB_WAN6" &&
		nsx lana ping -c 1 -W 10 "$LANA_GW4" &&
		nsx lana ping -c 1 -W 10 "$LANA_GW6" &&
		nsx lanb ping -c 1 -W 10 "$LANB_GW4" &&
		nsx lanb ping -c 1 -W 10 "$LANB_GW6"
}

load_conf() {
	swc gwa --load-all --file "$work/gwa/swanctl.conf" &&
		swc gwb --load-all --file "$work/gwb/swanctl.conf"
}

initiate() {
	if ! swc gwa --initiate --ike s2s --child lan --timeout 120; then
		logs_on_failure
		return 1
	fi
}

child_installed() {
	local out
	out=$(swc "$1" --list-sas) || return 1
	echo "$out"
	echo "$out" | grep -Eq '^ +lan: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL, ESP:AES_GCM_16-128'
}

same_sas() {
	local a b
	a=$(sa_spis gwa)
	b=$(sa_spis gwb)
	echo "gwa: ${a//$'\n'/ }"
	echo "gwb: ${b//$'\n'/ }"
	[ "$(echo "$a" | wc -w)" -eq 2 ] && [ "$a" = "$b" ] || return 1
	nsx gwa ip xfrm state list src "$GWA_WAN4" dst "$GWB_WAN4" proto esp | grep -q 'mode tunnel' &&
		nsx gwa ip xfrm state list src "$GWB_WAN4" dst "$GWA_WAN4" proto esp | grep -q 'mode tunnel'
}

cap_start() {
	# Not through nsx: $! must be tcpdump itself, not a subshell.
	ip netns exec wan tcpdump -n -l -i gwa 'esp or icmp' \
		>"$work/cap.txt" 2>"$work/cap.err" &
	cap_pid=$!
	defer "stop_pid $cap_pid"
	wait_for 60 grep -q 'listening on' "$work/cap.err"
}

ping_lans() {
	nsx lana ping -c "$PINGS" -i 0.3 -W 10 "$LANB_HOST4"
}

# One ESP packet per ping and direction, carrying one of our SPIs, and no
# ICMP in clear.
wire_esp_only() {
	local spis esp icmp bad
	wait_for 30 sh -c "[ \$(grep -c ESP '$work/cap.txt') -ge $((2 * PINGS)) ]"
	sleep 1
	stop_pid "$cap_pid"
	cat "$work/cap.txt"
	spis=$(sa_spis gwa | tr '\n' ' ')
	esp=$(grep -c 'ESP(spi=' "$work/cap.txt")
	icmp=$(grep -c 'ICMP' "$work/cap.txt")
	bad=$(grep -o 'ESP(spi=0x[0-9a-f]*' "$work/cap.txt" | cut -d= -f2 |
		while read -r s; do
			case " $spis " in *" $s "*) ;; *) echo "$s" ;; esac
		done | wc -l)
	echo "esp=$esp icmp=$icmp foreign-spi=$bad (SAs: $spis)"
	[ "$esp" -eq $((2 * PINGS)) ] && [ "$icmp" -eq 0 ] && [ "$bad" -eq 0 ]
}

# XFRM counts the inner packet: PINGS packets of PING_LEN bytes in each of
# the four SAs (out and in, on both gateways).
counters_exact() {
	local ns src dst c ok=0 want="$((PINGS * PING_LEN)) $PINGS"
	for ns in gwa gwb; do
		for src in "$GWA_WAN4" "$GWB_WAN4"; do
			if [ "$src" = "$GWA_WAN4" ]; then dst=$GWB_WAN4; else dst=$GWA_WAN4; fi
			c=$(sa_counters "$ns" "$src" "$dst")
			echo "$ns $src -> $dst: bytes packets = $c (want $want)"
			[ "$c" = "$want" ] || ok=1
		done
	done
	return "$ok"
}

# charon's own per-socket bypass policies also show up in "ip xfrm
# policy" (as "socket in/out"); only SPD entries ("dir ...") count here.
no_ipsec_left() {
	local ns
	for ns in gwa gwb; do
		[ -z "$(nsx "$ns" ip xfrm state)" ] || return 1
		! nsx "$ns" ip xfrm policy | grep -q '^[[:space:]]*dir ' || return 1
	done
}

terminate() {
	swc gwa --terminate --ike s2s --timeout 60 || return 1
	wait_for 60 no_ipsec_left || {
		nsx gwa ip xfrm state
		nsx gwa ip xfrm policy
		nsx gwb ip xfrm state
		nsx gwb ip xfrm policy
		return 1
	}
}

charon_conf gwa "$GWA_WAN4" "$GWB_WAN4" "$LANA_NET4" "$LANB_NET4"
charon_conf gwb "$GWB_WAN4" "$GWA_WAN4" "$LANB_NET4" "$LANA_NET4"
defer charon_stop gwa
defer charon_stop gwb

run_test "topology: gateways and hosts reach each other" check_topology
run_test "charon starts in gwa" charon_start gwa
run_test "charon starts in gwb" charon_start gwb
run_test "swanctl loads both configurations" load_conf
run_test "gwa initiates IKE_SA and CHILD_SA" initiate
run_test "swanctl on gwa lists the CHILD_SA INSTALLED" child_installed gwa
run_test "swanctl on gwb lists the CHILD_SA INSTALLED" child_installed gwb
run_test "both kernels hold the same two ESP tunnel SAs" same_sas
cap_start || ktap_diag "tcpdump did not start: $(cat "$work/cap.err")"
run_test "LAN A pings LAN B through the tunnel" ping_lans
run_test "WAN carries only ESP with our SPIs, one per ping and direction" wire_esp_only
run_test "XFRM SA counters equal the pings sent" counters_exact
run_test "terminate removes SAs and policies from both kernels" terminate

ktap_finished
