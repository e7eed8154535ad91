#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Records the vici packets of a real charon, as a KTAP suite for the QEMU
# test bed (whose kernel has the ESP algorithms charon installs):
#
#   make -C helper tests/vici_record
#   selftests/qemu/run.sh --kernel "$K" --bin helper/tests/vici_record \
#       helper/tests/data/vici/record.sh
#   helper/tests/data/vici/extract.sh LOGDIR/output.log
#
# Two network namespaces joined by a veth, one charon in each with a
# private /run and vici socket (as selftests/ike_smoke.sh). vici_record
# listens on gwa's socket for child-updown, child-rekey and ike-updown
# while a Child SA with if_id 42 and three remote selectors (an IPv4
# subnet, an IPv4 range, an IPv6 subnet) comes up, is rekeyed, listed
# (list-sas on a second connection), terminated, and its IKE SA too.
# Every packet is printed as "# vici-frame NAME HEX".

source "${S2S_SELFTESTS:-$(dirname "$0")}/lib.sh"

CHARON=${CHARON:-/usr/lib/ipsec/charon}
require_root
require_cmd ip swanctl vici_record "$CHARON"
ktap_header
ktap_plan 1

work=$(mktemp -d /tmp/vici_rec.XXXXXX)
defer "rm -rf $work"
A=vrec-a B=vrec-b

# conf NS LOCAL REMOTE LTS RTS
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
				}
			}
		}
	}
	secrets { ike-1 { secret = "recording only, not a secret" } }
	EOF
}

swc() {
	local ns=$1
	shift
	STRONGSWAN_CONF=$work/$ns/strongswan.conf \
		swanctl "$@" --uri "unix://$work/$ns/charon.vici"
}

setup() {
	local ns
	ns_create $A || return 1
	ns_create $B || return 1
	ip link add vr0 netns $A type veth peer name vr0 netns $B || return 1
	nsx $A ip addr add 192.0.2.1/24 dev vr0
	nsx $B ip addr add 192.0.2.2/24 dev vr0
	nsx $A ip link set vr0 up
	nsx $B ip link set vr0 up
	conf $A 192.0.2.1 192.0.2.2 10.1.0.0/24,fd00:1::/64 \
		10.2.0.0/24,10.3.0.1-10.3.0.6,fd00:2::/64
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
}

t_record() {
	local rec
	setup || return 1
	mkdir -p "$work/frames/list"
	vici_record "$work/$A/charon.vici" "$work/frames" 600 child-updown \
		child-rekey ike-updown &
	rec=$!
	sleep 2
	swc $A --initiate --ike site --child lan --timeout 120 || return 1
	swc $A --rekey --child lan || return 1
	wait_for 60 sh -c "ls $work/frames | grep -q child-rekey" || return 1
	vici_record "$work/$A/charon.vici" "$work/frames/list" 5 -l \
		child-updown || return 1
	swc $A --list-sas
	swc $A --terminate --child lan --timeout 60 || return 1
	swc $A --terminate --ike site --timeout 60 || return 1
	sleep 2
	stop_pid $rec
	ls -R "$work/frames"
	ls "$work"/frames/*child-updown* >/dev/null
}
run_test "record vici packets of a real charon" t_record || {
	tail -n 40 "$work/$A/charon.log" | ktap_diag_file
}

for f in "$work"/frames/*.hex "$work"/frames/list/*.hex; do
	[ -e "$f" ] && echo "# vici-frame ${f#"$work"/frames/} $(tr -d '\n' <"$f")"
done
ktap_finished
