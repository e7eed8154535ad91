#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The limits site-to-site users expect (../shared/REQUIREMENTS.md): one
# gateway with 20 peers, and one tunnel with 20 remote CIDRs. gwa is the
# s2s gateway under test: one s2s link per peer (s2s1..s2s20, if-ids
# 101..120) plus s2s0 (if-id 100) for the wide tunnel, charon with one
# connection per peer, and s2sd connected to charon's vici socket, so that
# every route to a peer's subnet is s2sd's own (protocol 83). The 20 peers
# are 20 addresses of gwb (192.0.2.101..120), each its own IKE identity
# with its own charon connection, keyed the stock way (policy-based XFRM,
# no if-id): a plain strongSwan peer.
#
#   lana -- gwa [s2s0..s2s20, charon, s2sd --vici] -- wan -- gwb [charon, XFRM policies]
#                                                              peer i: 192.0.2.(100+i), 10.100.i.1
#                                                              wide:   192.0.2.2, 10.200.j.1 (j = 0..19)
#
# Checked: all 21 tunnels INSTALLED; every SA in the right link; exactly
# one route per remote CIDR, each via the right link; a ping to every
# peer's subnet and to every CIDR of the wide tunnel answered, counted on
# the right link's SAs; terminate removes the routes and SAs.

# Test steps run through run_test, which shellcheck cannot follow.
# shellcheck disable=SC2317

source "$(dirname "$0")/lib.sh"

PEERS=20
CIDRS=20
# Cheaper than the recommended profile: 21 handshakes under emulation.
SCALE_IKE=aes256gcm16-prfsha384-x25519
SCALE_ESP=aes256gcm16

require_root
require_cmd ip swanctl ping awk s2sctl s2sd "$CHARON"
[ -d /sys/module/s2s ] || require_module s2s

ktap_plan 6

work=$(mktemp -d /tmp/ike_scale.XXXXXX)
defer "rm -rf '$work'"
ike_init "$work"

peer_addr() { echo "192.0.2.$((100 + $1))"; }

# The 20 peer connections and the wide one, for both charons.
write_confs() {
	local i j cidrs=''
	for j in $(seq 0 $((CIDRS - 1))); do
		cidrs="$cidrs${cidrs:+,}10.200.$j.0/24"
	done
	{
		echo "connections {"
		for i in $(seq 1 "$PEERS"); do
			cat <<-EOC
			 peer$i {
			  version = 2
			  local_addrs = $GWA_WAN4
			  remote_addrs = $(peer_addr "$i")
			  proposals = $SCALE_IKE
			  local {
			   auth = psk
			   id = gwa
			  }
			  remote {
			   auth = psk
			   id = peer$i
			  }
			  children {
			   net$i {
			   local_ts = $LANA_NET4
			   remote_ts = 10.100.$i.0/24
			   esp_proposals = $SCALE_ESP
			   if_id_in = $((100 + i))
			   if_id_out = $((100 + i))
			   mark_in = $((0x1000 + i))
			   mark_in_sa = yes
			   hw_offload = no
			   start_action = none
			   }
			  }
			 }
			EOC
		done
		cat <<-EOC
		 wide {
		  version = 2
		  local_addrs = $GWA_WAN4
		  remote_addrs = $GWB_WAN4
		  proposals = $SCALE_IKE
		  local {
		   auth = psk
		   id = gwa
		  }
		  remote {
		   auth = psk
		   id = gwb
		  }
		  children {
		   wide {
		   local_ts = $LANA_NET4
		   remote_ts = $cidrs
		   esp_proposals = $SCALE_ESP
		   if_id_in = 100
		   if_id_out = 100
		   mark_in = 0x1000
		   mark_in_sa = yes
		   hw_offload = no
		   start_action = none
		   }
		  }
		 }
		}
		secrets {
		 ike-all {
		  secret = "$IKE_PSK"
		 }
		}
		EOC
	} >"$work/gwa/scale.conf"
	{
		echo "connections {"
		for i in $(seq 1 "$PEERS"); do
			cat <<-EOC
			 peer$i {
			  version = 2
			  local_addrs = $(peer_addr "$i")
			  remote_addrs = $GWA_WAN4
			  proposals = $SCALE_IKE
			  local {
			   auth = psk
			   id = peer$i
			  }
			  remote {
			   auth = psk
			   id = gwa
			  }
			  children {
			   net$i {
			   local_ts = 10.100.$i.0/24
			   remote_ts = $LANA_NET4
			   esp_proposals = $SCALE_ESP
			   }
			  }
			 }
			EOC
		done
		cat <<-EOC
		 wide {
		  version = 2
		  local_addrs = $GWB_WAN4
		  remote_addrs = $GWA_WAN4
		  proposals = $SCALE_IKE
		  local {
		   auth = psk
		   id = gwb
		  }
		  remote {
		   auth = psk
		   id = gwa
		  }
		  children {
		   wide {
		   local_ts = $cidrs
		   remote_ts = $LANA_NET4
		   esp_proposals = $SCALE_ESP
		   }
		  }
		 }
		}
		secrets {
		 ike-all {
		  secret = "$IKE_PSK"
		 }
		}
		EOC
	} >"$work/gwb/scale.conf"
}

t_setup() {
	local i j
	topo_create || return 1
	for i in $(seq 0 "$PEERS"); do
		nsx gwa ip link add "s2s$i" type s2s &&
			nsx gwa s2sctl link set "s2s$i" if-id $((100 + i)) &&
			nsx gwa ip link set "s2s$i" up || return 1
	done
	for i in $(seq 1 "$PEERS"); do
		nsx gwb ip addr add "$(peer_addr "$i")/24" dev wan0 &&
			nsx gwb ip addr add "10.100.$i.1/32" dev lo || return 1
	done
	for j in $(seq 0 $((CIDRS - 1))); do
		nsx gwb ip addr add "10.200.$j.1/32" dev lo || return 1
	done
	# gwb's XFRM policies pick up what goes back to LAN A; it needs a route
	nsx gwb ip route replace "$LANA_NET4" via "$GWA_WAN4" || return 1
	write_confs
	charon_start gwa && charon_start gwb || return 1
	s2sd_start gwa --vici "$work/gwa/charon.vici" || { cat "$work/gwa/s2sd.log"; return 1; }
	ike_load gwa scale >/dev/null && ike_load gwb scale >/dev/null &&
		wait_for 30 grep -q "vici: connected" "$work/gwa/s2sd.log"
}
run_test "setup: 21 s2s links (if-ids 100..120) on gwa, 20 peer addresses and 20 CIDRs on gwb, s2sd with vici" t_setup ||
	ktap_skip_all "no test bed"

t_up() {
	local t0 t1 i up
	t0=$(date +%s)
	for i in $(seq 1 "$PEERS"); do
		swc gwa --initiate --ike "peer$i" --child "net$i" --timeout 60 >"$work/init.$i" 2>&1 ||
			{ tail -n 10 "$work/init.$i"; return 1; }
	done
	swc gwa --initiate --ike wide --child wide --timeout 60 >"$work/init.wide" 2>&1 ||
		{ tail -n 10 "$work/init.wide"; return 1; }
	t1=$(date +%s)
	up=$(swc gwa --list-sas | grep -cE "^ +(net[0-9]+|wide): #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL")
	ktap_diag "21 tunnels negotiated in $((t1 - t0)) s (emulated CPU)" >&3
	[ "$up" = $((PEERS + 1)) ] || { echo "$up children INSTALLED, want $((PEERS + 1))"; return 1; }
}
exec 3>&1
run_test "gwa brings up 20 peer tunnels and the wide one: 21 children INSTALLED" t_up

# link_spis DEV: "dir spi" of DEV's SAs, sorted
link_spis() {
	nsx gwa s2sctl sa show "$1" --json | tr -d ' \n' |
		grep -o '"dir":"[a-z]*","spi":[0-9]*' |
		sed 's/"dir":"\([a-z]*\)","spi":\([0-9]*\)/\1 \2/' |
		while read -r d s; do echo "$d $(hex "$s")"; done | sort
}

# child_spis CHILD: "IN OUT" of gwa's child from the last list_sas
child_spis() {
	awk -v child="$1" '
		$1 == child ":" && /INSTALLED/ { on = 1; next }
		on && $1 == "in" { i = $2 }
		on && $1 == "out" { o = $2; on = 0 }
		END { if (i != "" && o != "") printf "0x%s 0x%s\n", i, o; else exit 1 }' "$work/sas"
}

list_sas() {
	swc gwa --list-sas >"$work/sas" 2>/dev/null
}

# every link holds exactly its child's two SAs
sas_in_place() {
	local i want
	list_sas || return 1
	for i in $(seq 0 "$PEERS"); do
		if [ "$i" = 0 ]; then
			read -r SPI_IN SPI_OUT < <(child_spis wide) || return 1
		else
			read -r SPI_IN SPI_OUT < <(child_spis "net$i") || return 1
		fi
		want=$(printf 'in %s\nout %s\n' "$(hex "$SPI_IN")" "$(hex "$SPI_OUT")" | sort)
		[ "$(link_spis "s2s$i")" = "$want" ] || { echo "s2s$i: $(link_spis "s2s$i" | tr '\n' ' ')"; return 1; }
	done
}

t_sas() {
	wait_for 30 sas_in_place >/dev/null 2>&1
	sas_in_place
}
run_test "s2sd put each child's SAs on the link of its if-id (21 links, 42 SAs)" t_sas

# our_routes: "PREFIX DEV" of protocol 83, sorted
our_routes() {
	nsx gwa ip -4 route show proto 83 | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") print $1, $(i + 1) }' | sort
}

want_routes() {
	local i j
	{
		for i in $(seq 1 "$PEERS"); do echo "10.100.$i.0/24 s2s$i"; done
		for j in $(seq 0 $((CIDRS - 1))); do echo "10.200.$j.0/24 s2s0"; done
	} | sort
}

routes_right() {
	[ "$(our_routes)" = "$(want_routes)" ]
}

t_routes() {
	wait_for 30 routes_right
	echo "$(our_routes | wc -l) routes of protocol 83"
	routes_right || { diff <(want_routes) <(our_routes) | head -n 20; return 1; }
}
run_test "exactly one route per remote CIDR (40), each via the right link, installed by s2sd" t_routes

# ping_all: one echo to each peer's subnet and each wide CIDR; the SA
# counters of the link that carries it must see it.
t_traffic() {
	local i j lost=0 rx
	for i in $(seq 1 "$PEERS"); do
		nsx lana ping -c 1 -W 3 "10.100.$i.1" >/dev/null || { echo "peer $i: no answer"; lost=$((lost + 1)); }
	done
	for j in $(seq 0 $((CIDRS - 1))); do
		nsx lana ping -c 1 -W 3 "10.200.$j.1" >/dev/null || { echo "10.200.$j.1: no answer"; lost=$((lost + 1)); }
	done
	[ "$lost" = 0 ] && list_sas || return 1
	for i in $(seq 1 "$PEERS"); do
		read -r SPI_IN SPI_OUT < <(child_spis "net$i") || return 1
		rx=$(s2s_sa_stat gwa "s2s$i" in "$SPI_IN" rx_packets)
		[ "$rx" = 1 ] || { echo "s2s$i received $rx, want 1"; return 1; }
	done
	read -r SPI_IN SPI_OUT < <(child_spis wide) || return 1
	rx=$(s2s_sa_stat gwa s2s0 in "$SPI_IN" rx_packets)
	[ "$rx" = "$CIDRS" ] || { echo "s2s0 received $rx, want $CIDRS"; return 1; }
}
run_test "a ping to each of the 20 peers and each of the 20 CIDRs answered, counted on the right link" t_traffic

no_routes_no_sas() {
	local i
	[ -z "$(our_routes)" ] || return 1
	for i in $(seq 0 "$PEERS"); do
		[ -z "$(link_spis "s2s$i")" ] || return 1
	done
}

t_down() {
	local i
	for i in $(seq 1 "$PEERS"); do
		swc gwa --terminate --ike "peer$i" --timeout 30 >/dev/null 2>&1 || return 1
	done
	swc gwa --terminate --ike wide --timeout 30 >/dev/null 2>&1 || return 1
	wait_for 30 no_routes_no_sas || { our_routes | head; return 1; }
}
run_test "terminating every tunnel removes its routes and SAs" t_down

ktap_finished
