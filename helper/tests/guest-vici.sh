#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# s2sd's routes from charon's vici events, in the QEMU test bed:
#   selftests/qemu/run.sh --kernel BUNDLE --module s2s.ko \
#       --bin helper/s2sctl --bin helper/s2sd helper/tests/guest-vici.sh
#
#   vga [s2s0 if-id 42, s2sd, charon] --veth 192.0.2.1/.2-- vgb [charon]
#
# The child "lan" (if_id_in/out 42) has remote selectors 10.2.0.0/24,
# the range 10.3.0.1-10.3.0.6 and fd00:2::/64. s2sd must route exactly
# those prefixes (the range as .1/32 .2/31 .4/31 .6/32) via s2s0 with
# protocol 83 when the child comes up, keep them over a rekey, remove
# them on terminate, and reconcile after its own restart (a missing
# route comes back, a stale one of ours goes, others' routes stay).

source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh"

CHARON=${CHARON:-/usr/lib/ipsec/charon}
require_root
require_cmd ip swanctl s2sd "$CHARON"
[ -d /sys/module/s2s ] || require_module s2s
ktap_header
ktap_plan 8

work=$(mktemp -d /tmp/guest_vici.XXXXXX)
defer "rm -rf $work"
A=vga B=vgb
WANT="10.2.0.0/24 10.3.0.1 10.3.0.2/31 10.3.0.4/31 10.3.0.6 fd00:2::/64"

conf() {
	local dir=$work/$1
	mkdir -p "$dir"
	cat >"$dir/strongswan.conf" <<-EOF
	charon {
		load_modular = no
		load = random nonce openssl aes sha1 sha2 hmac kdf gmp curve25519 kernel-netlink socket-default vici
		install_routes = no
		plugins { vici { socket = unix://$dir/charon.vici } }
		filelog { charon { path = $dir/charon.log
			default = 1 } }
		syslog { daemon { default = -1 } }
	}
	EOF
	cat >"$dir/swanctl.conf" <<-EOF
	connections {
		site {
			version = 2
			local_addrs = $2
			remote_addrs = $3
			proposals = aes128-sha256-x25519
			local { auth = psk
				id = $1 }
			remote { auth = psk }
			children {
				lan {
					local_ts = $4
					remote_ts = $5
					esp_proposals = aes128gcm16
					if_id_in = 42
					if_id_out = 42
					$6
				}
			}
		}
	}
	secrets { ike-1 { secret = "guest-vici test key, not secret" } }
	EOF
}

swc() {
	local ns=$1
	shift
	STRONGSWAN_CONF=$work/$ns/strongswan.conf \
		swanctl "$@" --uri "unix://$work/$ns/charon.vici"
}

# our_routes: "PREFIX DEV" of protocol 83, sorted
our_routes() {
	{ nsx $A ip -4 route show proto 83; nsx $A ip -6 route show proto 83; } |
		awk '{ for (i = 1; i < NF; i++) if ($i == "dev") print $1, $(i + 1) }' | sort
}

want_routes() {
	local p
	for p in $WANT; do echo "$p s2s0"; done | sort
}

routes_are_wanted() {
	[ "$(our_routes)" = "$(want_routes)" ]
}

s2sd_start() {
	nsx $A s2sd -f --vici "$work/$A/charon.vici" >>"$work/s2sd.log" 2>&1 &
	s2sd_pid=$!
	defer "stop_pid $s2sd_pid"
}

t_setup() {
	local ns
	ns_create $A $B || return 1
	ip link add vv0 netns $A type veth peer name vv0 netns $B || return 1
	nsx $A ip addr add 192.0.2.1/24 dev vv0 &&
		nsx $B ip addr add 192.0.2.2/24 dev vv0 &&
		nsx $A ip link set vv0 up && nsx $B ip link set vv0 up || return 1
	nsx $A ip link add s2s0 type s2s || return 1
	nsx $A s2sctl link set s2s0 if-id 42 || return 1
	nsx $A ip link set s2s0 up || return 1
	# On A only, a volume limit that only A's module sees (B's XFRM counts
	# what it receives, and would have B rekey on its own otherwise).
	conf $A 192.0.2.1 192.0.2.2 10.1.0.0/24,fd00:1::/64 \
		10.2.0.0/24,10.3.0.1-10.3.0.6,fd00:2::/64 \
		"rekey_packets = 4
					life_packets = 40
					rand_packets = 0"
	conf $B 192.0.2.2 192.0.2.1 10.2.0.0/24,10.3.0.1-10.3.0.6,fd00:2::/64 \
		10.1.0.0/24,fd00:1::/64
	for ns in $A $B; do
		# shellcheck disable=SC2016 # $0 is for the inner sh
		STRONGSWAN_CONF=$work/$ns/strongswan.conf \
			ip netns exec $ns unshare -m --propagation private \
			sh -c 'mount -t tmpfs tmpfs /run && exec "$0"' "$CHARON" \
			>"$work/$ns/out" 2>&1 </dev/null &
		defer "stop_pid $! 20"
	done
	for ns in $A $B; do
		wait_for 90 swc $ns --stats || return 1
		swc $ns --load-all --file "$work/$ns/swanctl.conf" || return 1
	done
	s2sd_start
	wait_for 30 grep -q "vici: connected" "$work/s2sd.log" || return 1
	cat "$work/s2sd.log"
	# nothing up yet: no routes of ours
	[ -z "$(our_routes)" ]
}
run_test "two charons, s2s0 with if-id 42, s2sd connected to vici" t_setup ||
	ktap_skip_all "setup failed"

t_up() {
	swc $A --initiate --ike site --child lan --timeout 120 || return 1
	wait_for 30 routes_are_wanted
	our_routes
	routes_are_wanted
}
run_test "child up: routes to every remote prefix via s2s0, proto 83" t_up

t_rekey() {
	swc $A --rekey --child lan || return 1
	wait_for 30 grep -q "child lan #2 of site #1 up" "$work/s2sd.log" || return 1
	wait_for 30 grep -q "child lan #1 of site #1 down" "$work/s2sd.log" || return 1
	sleep 1
	our_routes
	routes_are_wanted
}
run_test "rekey: the new child keeps the routes" t_rekey

t_down() {
	swc $A --terminate --child lan --timeout 60 || return 1
	wait_for 30 sh -c "[ -z \"\$(ip -n $A route show proto 83)\$(ip -n $A -6 route show proto 83)\" ]" || return 1
	[ -z "$(our_routes)" ]
}
run_test "terminate: the routes are gone" t_down

t_restart() {
	stop_pid $s2sd_pid
	swc $A --initiate --ike site --child lan --timeout 120 || return 1
	# while s2sd is away: a stale route of ours, another's route
	nsx $A ip route add 10.9.0.0/24 dev s2s0 proto 83 || return 1
	nsx $A ip route add 10.8.0.0/24 dev s2s0 proto static || return 1
	s2sd_start
	wait_for 30 routes_are_wanted
	our_routes
	routes_are_wanted && nsx $A ip route show 10.8.0.0/24 | grep -q s2s0
}
run_test "s2sd restart: list-sas resync adds missing, removes stale, keeps others'" t_restart

t_charon_restart() {
	local n
	n=$(grep -c "vici: connected" "$work/s2sd.log")
	swc $A --terminate --ike site --timeout 60 || return 1
	wait_for 30 sh -c "[ -z \"\$(ip -n $A route show proto 83)\" ]" || return 1
	# the connection survives; a new child brings the routes back
	swc $A --initiate --ike site --child lan --timeout 120 || return 1
	wait_for 30 routes_are_wanted
	[ "$(grep -c "vici: connected" "$work/s2sd.log")" -eq "$n" ]
}
run_test "IKE SA down and up again: routes follow" t_charon_restart

# The module counts the packets; its soft-expire event makes s2sd ask
# charon for a new child, as charon would have itself had it seen them.
t_volume() {
	local ups
	ups=$(grep -c "child lan #[0-9]* of site #[0-9]* up" "$work/s2sd.log")
	nsx $A ip link add d0 type dummy && nsx $A ip link set d0 up &&
		nsx $A ip addr add 10.1.0.1/24 dev d0 || return 1
	# nobody answers (gwb has no interface for if-id 42): only the
	# outbound SA's count matters
	nsx $A ping -c 6 -i 0.2 -W 1 -I 10.1.0.1 10.2.0.1 >/dev/null
	wait_for 30 grep -q "soft-expire on spi 0x[0-9a-f]*: asked charon to rekey child lan" \
		"$work/s2sd.log" || { tail -n 20 "$work/s2sd.log"; return 1; }
	wait_for 30 sh -c "[ \$(grep -c 'child lan #[0-9]* of site #[0-9]* up' $work/s2sd.log) -gt $ups ]" ||
		{ echo "no new child after the rekey request"; return 1; }
	wait_for 30 routes_are_wanted
}
run_test "module volume limit: s2sd asks charon to rekey the child" t_volume

t_log() {
	cat "$work/s2sd.log"
	grep -q "routes: 10.2.0.0/24 via ifindex [0-9]* added" "$work/s2sd.log" &&
		! grep -qi "error" "$work/s2sd.log"
}
run_test "s2sd log: routes named, no errors" t_log

ktap_finished
