/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit: generated from Documentation/netlink/specs/s2s.yaml
 * by scripts/ynl-gen.py; `make check` fails when the two drift.
 */

#ifndef _UAPI_LINUX_S2S_H
#define _UAPI_LINUX_S2S_H

#define S2S_FAMILY_NAME	"s2s"
#define S2S_FAMILY_VERSION	1

/* Most ts-local, and most ts-remote, prefixes one SA takes; more are
 * refused (E2BIG).
 */
#define S2S_SELECTORS_MAX	32

/* Direction of an SA. */
enum s2s_dir {
	S2S_DIR_IN = 0,
	S2S_DIR_OUT = 1,

	/* private: */
	__S2S_DIR_COUNT
};

/* Encryption transform. AEADs take their 4-byte salt after the key, as
 * IKEv2 derives it (RFC 4106, RFC 7634).
 */
enum s2s_enc {
	/* AES-GCM with a 16-byte ICV (RFC 4106); key 16 or 32 bytes + salt. */
	S2S_ENC_AES_GCM = 0,
	/* ChaCha20-Poly1305 (RFC 7634); key 32 bytes + salt. */
	S2S_ENC_CHACHA20_POLY1305 = 1,
	/* AES-CBC (RFC 3602); key 16, 24 or 32 bytes; needs an integ. */
	S2S_ENC_AES_CBC = 2,
	/* 3DES-CBC (RFC 2451), legacy peers only; key 24 bytes; needs an integ. */
	S2S_ENC_DES3_CBC = 3,

	/* private: */
	__S2S_ENC_COUNT
};

/* Integrity transform for non-AEAD encryption. */
enum s2s_integ {
	/* Only with an AEAD. */
	S2S_INTEG_NONE = 0,
	/* HMAC-SHA1-96 (RFC 2404), legacy peers only; key 20 bytes. */
	S2S_INTEG_HMAC_SHA1_96 = 1,
	/* HMAC-SHA-256-128 (RFC 4868); key 32 bytes. */
	S2S_INTEG_HMAC_SHA256_128 = 2,
	/* HMAC-SHA-384-192 (RFC 4868); key 48 bytes. */
	S2S_INTEG_HMAC_SHA384_192 = 3,
	/* HMAC-SHA-512-256 (RFC 4868); key 64 bytes. */
	S2S_INTEG_HMAC_SHA512_256 = 4,

	/* private: */
	__S2S_INTEG_COUNT
};

/* Why a packet was dropped; counted per SA and per link. */
enum s2s_drop {
	/* transmit: the link has no usable outbound SA */
	S2S_DROP_NO_SA = 0,
	/* transmit: outbound sequence numbers used up */
	S2S_DROP_SEQ_EXHAUSTED = 1,
	/* transmit: inner packet exceeds the path MTU */
	S2S_DROP_TOO_BIG = 2,
	/* transmit: no route to the peer in the underlay */
	S2S_DROP_NO_ROUTE = 3,
	/* transmit: encryption or buffer failure */
	S2S_DROP_TX_ERROR = 4,
	/* receive: truncated or malformed ESP */
	S2S_DROP_MALFORMED = 5,
	/* receive: sequence number seen or left of the window */
	S2S_DROP_REPLAY = 6,
	/* receive: integrity check failed */
	S2S_DROP_AUTH = 7,
	/* receive: bad padding or next header after decryption */
	S2S_DROP_PADDING = 8,
	/* receive: inner addresses outside the SA's selectors */
	S2S_DROP_SELECTOR = 9,
	/* either: the SA passed its hard lifetime */
	S2S_DROP_EXPIRED = 10,
	/* receive: the link is down */
	S2S_DROP_LINK_DOWN = 11,
	/* receive: buffer or crypto failure */
	S2S_DROP_RX_ERROR = 12,

	/* private: */
	__S2S_DROP_COUNT
};

/* What an SA can still do; the worst condition wins. */
enum s2s_sa_state {
	/* carries traffic */
	S2S_SA_STATE_ACTIVE = 0,
	/* a soft lifetime passed: still carries traffic, a rekey is due */
	S2S_SA_STATE_SOFT_EXPIRED = 1,
	/* outbound sequence numbers used up: carries nothing more */
	S2S_SA_STATE_SEQ_EXHAUSTED = 2,
	/* a hard lifetime passed: carries nothing more */
	S2S_SA_STATE_HARD_EXPIRED = 3,

	/* private: */
	__S2S_SA_STATE_COUNT
};

/* What an SA notification on the events group reports. */
enum s2s_event {
	/* a soft lifetime passed: time to rekey */
	S2S_EVENT_SOFT_EXPIRE = 0,
	/* a hard lifetime passed: the SA carries nothing more */
	S2S_EVENT_HARD_EXPIRE = 1,
	/* outbound sequence numbers used up: the SA stopped */
	S2S_EVENT_SEQ_EXHAUSTED = 2,
	/* replayed packets were dropped in the last second */
	S2S_EVENT_REPLAY_BURST = 3,
	/* packets failing authentication were dropped in the last second */
	S2S_EVENT_AUTH_BURST = 4,

	/* private: */
	__S2S_EVENT_COUNT
};

/* State of the key exchange behind a link, as the IKE daemon's bridge
 * (s2sd) last reported it. The module only stores and reports it.
 * "Phase 1" is the IKE SA (IKE_SA_INIT, IKE_AUTH), "phase 2" the Child
 * SA whose keys the link uses.
 */
enum s2s_ike_status {
	/* nothing reported: s2sd is not running, or not connected to charon yet */
	S2S_IKE_STATUS_UNKNOWN = 0,
	/* negotiating, or waiting for the peer to answer */
	S2S_IKE_STATUS_CONNECTING = 1,
	/* a Child SA of the link is installed */
	S2S_IKE_STATUS_CONNECTED = 2,
	/* the IKE SA failed: authentication, IKE proposal, or no answer from the peer */
	S2S_IKE_STATUS_PHASE1_FAILED = 3,
	/* the IKE SA is up but the Child SA was refused: traffic selectors or ESP proposal */
	S2S_IKE_STATUS_PHASE2_FAILED = 4,
	/* no Child SA and no attempt under way: closed, or never started */
	S2S_IKE_STATUS_DOWN = 5,

	/* private: */
	__S2S_IKE_STATUS_COUNT
};

/* An s2s network interface. */
enum {
	/* Interface index in the request's network namespace. */
	S2S_A_LINK_IFINDEX = 1,
	/* Interface name. */
	S2S_A_LINK_IFNAME = 2,
	/* XFRM interface id this link answers to; 0 while unset. s2sd forwards
	 * the XFRM SAs carrying this if_id into the link.
	 */
	S2S_A_LINK_IF_ID = 3,
	/* Current interface MTU. */
	S2S_A_LINK_MTU = 4,
	/* 1 when the interface is administratively up and has carrier. */
	S2S_A_LINK_OPER_UP = 5,
	/* Default anti-replay window (packets) for inbound SAs of this link, 1 to 1048576. */
	S2S_A_LINK_REPLAY_WINDOW = 6,
	/* 1 to copy the inner DSCP to the outer header (ECN follows RFC 6040 always). */
	S2S_A_LINK_DSCP_COPY = 7,
	/* Bytes the current outbound SA adds to each inner packet (worst case). */
	S2S_A_LINK_OVERHEAD = 8,
	/* Counters of the link, all SAs together. */
	S2S_A_LINK_STATS = 9,
	/* Key exchange state reported by s2sd (unknown until someone sets it).
	 * Setting it replaces the reason with ike-reason, or clears it.
	 */
	S2S_A_LINK_IKE_STATUS = 10,
	/* Why the status is what it is, in a few words naming the IKE or
	 * Child SA, e.g. "lan: traffic selectors unacceptable"; at most 95
	 * bytes. Absent from replies when there is none.
	 */
	S2S_A_LINK_IKE_REASON = 11,
	/* Request only. The report this link-set makes holds only while
	 * the netlink socket that sent it is open: shortly after that
	 * socket is closed (its last descriptor, e.g. at exit or kill)
	 * the link's ike-status returns to unknown, without a reason, as
	 * if nothing had been reported. Alone, it binds the current status
	 * and reason to the sender's socket. A report without it (from
	 * anyone, ike-reason alone included) is never withdrawn. s2sd
	 * sets it on every report but its last.
	 */
	S2S_A_LINK_IKE_UNTIL_CLOSE = 12,

	/* private: */
	__S2S_A_LINK_MAX,
	S2S_A_LINK_MAX = (__S2S_A_LINK_MAX - 1)
};

/* Packet, byte and drop counters (64-bit, never reset). */
enum {
	S2S_A_STATS_PAD = 1,
	S2S_A_STATS_TX_PACKETS = 2,
	S2S_A_STATS_TX_BYTES = 3,
	S2S_A_STATS_RX_PACKETS = 4,
	S2S_A_STATS_RX_BYTES = 5,
	S2S_A_STATS_DROP_NO_SA = 6,
	S2S_A_STATS_DROP_SEQ_EXHAUSTED = 7,
	S2S_A_STATS_DROP_TOO_BIG = 8,
	S2S_A_STATS_DROP_NO_ROUTE = 9,
	S2S_A_STATS_DROP_TX_ERROR = 10,
	S2S_A_STATS_DROP_MALFORMED = 11,
	S2S_A_STATS_DROP_REPLAY = 12,
	S2S_A_STATS_DROP_AUTH = 13,
	S2S_A_STATS_DROP_PADDING = 14,
	S2S_A_STATS_DROP_SELECTOR = 15,
	S2S_A_STATS_DROP_EXPIRED = 16,
	S2S_A_STATS_DROP_LINK_DOWN = 17,
	S2S_A_STATS_DROP_RX_ERROR = 18,

	/* private: */
	__S2S_A_STATS_MAX,
	S2S_A_STATS_MAX = (__S2S_A_STATS_MAX - 1)
};

/* An inner address prefix (traffic selector). */
enum {
	/* IPv4 (4 bytes) or IPv6 (16 bytes) network address. */
	S2S_A_SELECTOR_ADDR = 1,
	S2S_A_SELECTOR_PREFIX_LEN = 2,

	/* private: */
	__S2S_A_SELECTOR_MAX,
	S2S_A_SELECTOR_MAX = (__S2S_A_SELECTOR_MAX - 1)
};

/* Limits after which an SA expires; 0 means no limit. */
enum {
	S2S_A_LIFETIME_PAD = 1,
	S2S_A_LIFETIME_BYTES = 2,
	S2S_A_LIFETIME_PACKETS = 3,
	S2S_A_LIFETIME_SECONDS = 4,

	/* private: */
	__S2S_A_LIFETIME_MAX,
	S2S_A_LIFETIME_MAX = (__S2S_A_LIFETIME_MAX - 1)
};

/* A security association of a link. Keys go in, never out. */
enum {
	S2S_A_SA_PAD = 1,
	/* The link the SA belongs to. */
	S2S_A_SA_IFINDEX = 2,
	S2S_A_SA_DIR = 3,
	/* Security Parameters Index (host byte order); 1-255 are reserved. */
	S2S_A_SA_SPI = 4,
	S2S_A_SA_ENC = 5,
	/* Encryption key (AEAD key followed by its 4-byte salt). Write-only. */
	S2S_A_SA_ENC_KEY = 6,
	S2S_A_SA_INTEG = 7,
	/* Integrity key. Write-only. */
	S2S_A_SA_INTEG_KEY = 8,
	/* 1 for extended (64-bit) sequence numbers. */
	S2S_A_SA_ESN = 9,
	/* Outer source (out) or destination (in) address, 4 or 16 bytes. */
	S2S_A_SA_LOCAL = 10,
	/* Outer destination (out) or source (in) address, 4 or 16 bytes. */
	S2S_A_SA_REMOTE = 11,
	/* UDP source port for ESP-in-UDP (RFC 3948); 0 or absent for raw ESP. */
	S2S_A_SA_ENCAP_SPORT = 12,
	/* UDP destination port for ESP-in-UDP. */
	S2S_A_SA_ENCAP_DPORT = 13,
	/* Inbound anti-replay window in packets, up to 1048576; 0 takes the link's default. */
	S2S_A_SA_REPLAY_WINDOW = 14,
	/* Outbound: the last sequence number sent (new SAs start at 0).
	 * Inbound: the highest sequence number accepted.
	 */
	S2S_A_SA_SEQ = 15,
	/* Inner prefixes on this side, at most selectors-max; none means any. */
	S2S_A_SA_TS_LOCAL = 16,
	/* Inner prefixes on the peer's side, at most selectors-max; none means any. */
	S2S_A_SA_TS_REMOTE = 17,
	S2S_A_SA_SOFT = 18,
	S2S_A_SA_HARD = 19,
	/* Seconds since the SA was added. */
	S2S_A_SA_AGE = 20,
	/* 1 when the algorithms are kept for legacy peers only. */
	S2S_A_SA_LEGACY = 21,
	/* In notifications, what happened. */
	S2S_A_SA_EVENT = 22,
	S2S_A_SA_STATS = 23,
	/* What the SA can still do (replies and notifications). */
	S2S_A_SA_STATE = 24,

	/* private: */
	__S2S_A_SA_MAX,
	S2S_A_SA_MAX = (__S2S_A_SA_MAX - 1)
};

enum {
	/* Get one s2s link, or dump all s2s links of the namespace. */
	S2S_CMD_LINK_GET = 1,
	/* Change settings of an s2s link. */
	S2S_CMD_LINK_SET = 2,
	/* Add an SA to a link. An outbound SA replaces the current one atomically. */
	S2S_CMD_SA_NEW = 3,
	/* Change the outer addresses, UDP ports, lifetimes or selectors of an
	 * SA, keeping its keys, sequence number and replay state (MOBIKE, NAT
	 * changes, traffic selectors learnt from IKE after the SA was added).
	 * ts-local and ts-remote, when either is given, replace both sides: a
	 * side not given becomes any.
	 */
	S2S_CMD_SA_SET = 4,
	/* Delete one SA. */
	S2S_CMD_SA_DEL = 5,
	/* Get one SA, or dump the SAs of the namespace (of one link with ifindex). */
	S2S_CMD_SA_GET = 6,
	/* Delete every SA of a link. */
	S2S_CMD_SA_FLUSH = 7,
	/* Notification on the events group (expiry, exhaustion, drop bursts). */
	S2S_CMD_SA_NTF = 8,

	/* private: */
	__S2S_CMD_MAX,
	S2S_CMD_MAX = (__S2S_CMD_MAX - 1)
};

#define S2S_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_S2S_H */
