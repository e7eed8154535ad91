/* SPDX-License-Identifier: GPL-2.0 */
/* The SA object (attribute set "sa" of the spec) as the kernel reports
 * it in sa-get replies and sa-ntf notifications: parsing, text, JSON,
 * and a list of SAs.
 *
 * struct s2s_sa has no room for keys and the parse table no row for
 * S2S_A_SA_ENC_KEY or S2S_A_SA_INTEG_KEY: the kernel never sends them,
 * and should one ever arrive it is skipped, never copied or printed.
 */
#ifndef S2S_HELPER_SA_H
#define S2S_HELPER_SA_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "addr.h"
#include "stats.h"

/* Selectors kept per side; the module allows fewer (32). */
#define S2S_SA_SELECTORS_MAX	64
/* Room for the text of any SA (s2s_sa_format()). */
#define S2S_SA_TEXT_MAX		8192

struct json_object;

/**
 * struct s2s_lifetime - a "lifetime" nest: limits, 0 = none
 * @present: bit (1 << S2S_A_LIFETIME_*) per limit received or given
 * @bytes: S2S_A_LIFETIME_BYTES
 * @packets: S2S_A_LIFETIME_PACKETS
 * @seconds: S2S_A_LIFETIME_SECONDS
 */
struct s2s_lifetime {
	uint64_t present;
	uint64_t bytes;
	uint64_t packets;
	uint64_t seconds;
};

/**
 * struct s2s_sa - one SA as the kernel reported it (never its keys)
 * @present: bit (1 << S2S_A_SA_*) per attribute received; output shows
 *	only what the kernel sent
 * @ifindex: S2S_A_SA_IFINDEX, the link
 * @dir: S2S_A_SA_DIR, enum s2s_dir
 * @spi: S2S_A_SA_SPI, host order
 * @enc: S2S_A_SA_ENC, enum s2s_enc
 * @integ: S2S_A_SA_INTEG, enum s2s_integ
 * @replay_window: S2S_A_SA_REPLAY_WINDOW (inbound)
 * @event: S2S_A_SA_EVENT, enum s2s_event (notifications)
 * @state: S2S_A_SA_STATE, enum s2s_sa_state
 * @esn: S2S_A_SA_ESN
 * @legacy: S2S_A_SA_LEGACY, the kernel's verdict on the algorithms
 * @encap_sport: S2S_A_SA_ENCAP_SPORT, 0 for raw ESP
 * @encap_dport: S2S_A_SA_ENCAP_DPORT
 * @seq: S2S_A_SA_SEQ
 * @age: S2S_A_SA_AGE, seconds
 * @local: S2S_A_SA_LOCAL, outer address on this gateway
 * @remote: S2S_A_SA_REMOTE, the peer's outer address
 * @n_ts_local: entries in @ts_local (0: any)
 * @n_ts_remote: entries in @ts_remote (0: any)
 * @ts_local: S2S_A_SA_TS_LOCAL, repeated
 * @ts_remote: S2S_A_SA_TS_REMOTE, repeated
 * @soft: S2S_A_SA_SOFT
 * @hard: S2S_A_SA_HARD
 * @stats: S2S_A_SA_STATS
 */
struct s2s_sa {
	uint64_t present;
	uint32_t ifindex;
	uint32_t dir;
	uint32_t spi;
	uint32_t enc;
	uint32_t integ;
	uint32_t replay_window;
	uint32_t event;
	uint32_t state;
	uint8_t esn;
	uint8_t legacy;
	uint16_t encap_sport;
	uint16_t encap_dport;
	uint64_t seq;
	uint64_t age;
	struct s2s_addr local;
	struct s2s_addr remote;
	unsigned int n_ts_local;
	unsigned int n_ts_remote;
	struct s2s_prefix ts_local[S2S_SA_SELECTORS_MAX];
	struct s2s_prefix ts_remote[S2S_SA_SELECTORS_MAX];
	struct s2s_lifetime soft;
	struct s2s_lifetime hard;
	struct s2s_stats stats;
};

/**
 * struct s2s_sa_list - a growable array of SAs
 * @sas: the SAs
 * @n: how many
 * @cap: room allocated
 */
struct s2s_sa_list {
	struct s2s_sa *sas;
	size_t n;
	size_t cap;
};

const char *s2s_dir_name(uint32_t dir);
const char *s2s_event_name(uint32_t event, char *buf, size_t size);
const char *s2s_sa_state_name(uint32_t state, char *buf, size_t size);
int s2s_sa_parse(const struct nlmsghdr *nlh, struct s2s_sa *sa);
size_t s2s_sa_format(const struct s2s_sa *sa, const char *ifname,
		     const char *indent, char *buf, size_t size);
size_t s2s_sa_format_event(const struct s2s_sa *sa, const char *ifname,
			   char *buf, size_t size);
struct json_object *s2s_sa_to_json(const struct s2s_sa *sa,
				   const char *ifname);

int s2s_sa_list_add(struct s2s_sa_list *list, const struct s2s_sa *sa);
void s2s_sa_list_clear(struct s2s_sa_list *list);

#endif /* S2S_HELPER_SA_H */
