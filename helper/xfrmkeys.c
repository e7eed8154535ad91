// SPDX-License-Identifier: GPL-2.0
/* XFRM SA algorithms and keys into an sa-new request; see xfrmkeys.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/s2s.h>
#include <linux/udp.h>
#include <linux/xfrm.h>

#include "algs.h"
#include "attr.h"
#include "util.h"
#include "xfrmkeys.h"

#define S2S_BIT(attr)		(1ULL << S2S_A_SA_##attr)

/**
 * struct s2s_xfrm_alg - a kernel algorithm name the module can run
 * @name: as XFRM reports it (crypto API template name)
 * @id: S2S_ENC_* or S2S_INTEG_*
 * @bits: AEAD ICV or HMAC truncation the module implements
 * @default_bits: the truncation XFRM applies when an SA was added with
 *	XFRMA_ALG_AUTH (no explicit truncation); 0 for AEADs
 */
struct s2s_xfrm_alg {
	const char *name;
	uint32_t id;
	uint32_t bits;
	uint32_t default_bits;
};

static const struct s2s_xfrm_alg s2s_xfrm_aeads[] = {
	{ "rfc4106(gcm(aes))", S2S_ENC_AES_GCM, 128, 0 },
	{ "rfc7539esp(chacha20,poly1305)", S2S_ENC_CHACHA20_POLY1305, 128, 0 },
};

static const struct s2s_xfrm_alg s2s_xfrm_ciphers[] = {
	{ "cbc(aes)", S2S_ENC_AES_CBC, 0, 0 },
	{ "cbc(des3_ede)", S2S_ENC_DES3_CBC, 0, 0 },
};

/* XFRM's own defaults for plain XFRMA_ALG_AUTH: hmac(sha256) at 96 bits
 * predates RFC 4868 and is not something the module speaks.
 */
static const struct s2s_xfrm_alg s2s_xfrm_auths[] = {
	{ "hmac(sha1)", S2S_INTEG_HMAC_SHA1_96, 96, 96 },
	{ "hmac(sha256)", S2S_INTEG_HMAC_SHA256_128, 128, 96 },
	{ "hmac(sha384)", S2S_INTEG_HMAC_SHA384_192, 192, 192 },
	{ "hmac(sha512)", S2S_INTEG_HMAC_SHA512_256, 256, 256 },
};

/**
 * struct s2s_xfrm_keys - state of one walk over the SA's attributes
 * @req: where the keys go
 * @err: message buffer
 * @size: its size
 * @seen: bit (1 << XFRMA_*) per attribute handled
 * @auth_plain: XFRMA_ALG_AUTH, read only when no XFRMA_ALG_AUTH_TRUNC
 *	comes: the kernel sends both, the plain one first
 * @esn_window: replay window from XFRMA_REPLAY_ESN_VAL
 */
struct s2s_xfrm_keys {
	struct s2s_sa_req *req;
	char *err;
	size_t size;
	uint64_t seen;
	const struct nlattr *auth_plain;
	uint32_t esn_window;
};

static int s2s_xfrm_keys_fail(struct s2s_xfrm_keys *k, int err,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int s2s_xfrm_keys_fail(struct s2s_xfrm_keys *k, int err,
			      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->err, k->size, fmt, ap);
	va_end(ap);
	return err;
}

static const struct s2s_xfrm_alg *s2s_xfrm_alg_find(const struct s2s_xfrm_alg *t,
						    size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

/* The kernel NUL-terminates alg_name; a peer kernel could be buggy. */
static void s2s_xfrm_alg_name(char *dst, const char *src)
{
	memcpy(dst, src, 64);
	dst[63] = '\0';
}

/* Copy @bits of key from the attribute at @off straight into @key: the
 * bytes touch no other memory of ours.
 */
static int s2s_xfrm_keys_copy(struct s2s_xfrm_keys *k, const struct nlattr *attr,
			      size_t off, uint32_t bits, struct s2s_key *key,
			      const char *name)
{
	size_t len = bits / 8;

	if (bits % 8 || len > S2S_KEY_MAX)
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "%s with a %u-bit key is not supported",
					  name, bits);
	if (mnl_attr_get_payload_len(attr) < off + len)
		return s2s_xfrm_keys_fail(k, -EBADMSG,
					  "%s: key attribute shorter than its key", name);
	memcpy(key->bytes, (const char *)mnl_attr_get_payload(attr) + off, len);
	key->len = len;
	return 0;
}

static int s2s_xfrm_keys_enc_len(struct s2s_xfrm_keys *k, const char *name)
{
	const struct s2s_alg *alg = s2s_enc_by_id(k->req->enc);

	if (s2s_alg_key_ok(alg, k->req->key.len))
		return 0;
	return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
				  "%s with a %zu-byte key is not supported (s2s %s takes %s)",
				  name, k->req->key.len, alg->name, alg->keydoc);
}

static int s2s_xfrm_keys_aead(struct s2s_xfrm_keys *k, const struct nlattr *attr)
{
	const struct s2s_xfrm_alg *alg;
	struct xfrm_algo_aead hdr;
	char name[64];
	int err;

	if (mnl_attr_get_payload_len(attr) < sizeof(hdr))
		return s2s_xfrm_keys_fail(k, -EBADMSG, "truncated XFRMA_ALG_AEAD");
	memcpy(&hdr, mnl_attr_get_payload(attr), sizeof(hdr));
	s2s_xfrm_alg_name(name, hdr.alg_name);
	alg = s2s_xfrm_alg_find(s2s_xfrm_aeads, S2S_ARRAY_SIZE(s2s_xfrm_aeads),
				name);
	if (!alg)
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "AEAD %s is not supported (s2s runs rfc4106(gcm(aes)) and rfc7539esp(chacha20,poly1305))",
					  name);
	if (hdr.alg_icv_len != alg->bits)
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "%s with a %u-bit ICV is not supported (only %u)",
					  name, hdr.alg_icv_len, alg->bits);
	k->req->enc = alg->id;
	err = s2s_xfrm_keys_copy(k, attr, sizeof(hdr), hdr.alg_key_len,
				 &k->req->key, name);
	return err ?: s2s_xfrm_keys_enc_len(k, name);
}

static int s2s_xfrm_keys_crypt(struct s2s_xfrm_keys *k, const struct nlattr *attr)
{
	const struct s2s_xfrm_alg *alg;
	struct xfrm_algo hdr;
	char name[64];
	int err;

	if (mnl_attr_get_payload_len(attr) < sizeof(hdr))
		return s2s_xfrm_keys_fail(k, -EBADMSG, "truncated XFRMA_ALG_CRYPT");
	memcpy(&hdr, mnl_attr_get_payload(attr), sizeof(hdr));
	s2s_xfrm_alg_name(name, hdr.alg_name);
	alg = s2s_xfrm_alg_find(s2s_xfrm_ciphers,
				S2S_ARRAY_SIZE(s2s_xfrm_ciphers), name);
	if (!alg)
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "encryption %s is not supported (s2s runs cbc(aes), cbc(des3_ede) and the AEADs)",
					  name);
	k->req->enc = alg->id;
	err = s2s_xfrm_keys_copy(k, attr, sizeof(hdr), hdr.alg_key_len,
				 &k->req->key, name);
	return err ?: s2s_xfrm_keys_enc_len(k, name);
}

/* XFRMA_ALG_AUTH_TRUNC (@trunc) or the older XFRMA_ALG_AUTH. */
static int s2s_xfrm_keys_auth(struct s2s_xfrm_keys *k, const struct nlattr *attr,
			      bool trunc)
{
	size_t hdrlen = trunc ? sizeof(struct xfrm_algo_auth) :
				sizeof(struct xfrm_algo);
	const struct s2s_xfrm_alg *alg;
	struct xfrm_algo_auth hdr;
	uint32_t bits;
	char name[64];
	int err;

	if (mnl_attr_get_payload_len(attr) < hdrlen)
		return s2s_xfrm_keys_fail(k, -EBADMSG, "truncated XFRMA_ALG_AUTH");
	memset(&hdr, 0, sizeof(hdr));
	memcpy(&hdr, mnl_attr_get_payload(attr), hdrlen);
	s2s_xfrm_alg_name(name, hdr.alg_name);
	alg = s2s_xfrm_alg_find(s2s_xfrm_auths, S2S_ARRAY_SIZE(s2s_xfrm_auths),
				name);
	if (!alg)
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "integrity %s is not supported (s2s runs hmac(sha1), hmac(sha256), hmac(sha384), hmac(sha512))",
					  name);
	bits = trunc ? hdr.alg_trunc_len : alg->default_bits;
	if (bits != alg->bits)
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "%s truncated to %u bits is not supported (only %u)",
					  name, bits, alg->bits);
	k->req->integ = alg->id;
	err = s2s_xfrm_keys_copy(k, attr, hdrlen, hdr.alg_key_len,
				 &k->req->ikey, name);
	if (err)
		return err;
	if (!s2s_alg_key_ok(s2s_integ_by_id(alg->id), k->req->ikey.len))
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "%s with a %zu-byte key is not supported",
					  name, k->req->ikey.len);
	return 0;
}

static int s2s_xfrm_keys_esn(struct s2s_xfrm_keys *k, const struct nlattr *attr)
{
	struct xfrm_replay_state_esn esn;

	if (mnl_attr_get_payload_len(attr) < sizeof(esn))
		return s2s_xfrm_keys_fail(k, -EBADMSG, "truncated XFRMA_REPLAY_ESN_VAL");
	memcpy(&esn, mnl_attr_get_payload(attr), sizeof(esn));
	k->esn_window = esn.replay_window;
	return 0;
}

static int s2s_xfrm_keys_attr(const struct nlattr *attr, void *data)
{
	struct s2s_xfrm_keys *k = data;
	uint16_t type = mnl_attr_get_type(attr);
	int err = 0;

	if (type >= 64 || (k->seen & (1ULL << type)))
		return 0;
	switch (type) {
	case XFRMA_ALG_AEAD:
		err = s2s_xfrm_keys_aead(k, attr);
		break;
	case XFRMA_ALG_CRYPT:
		err = s2s_xfrm_keys_crypt(k, attr);
		break;
	case XFRMA_ALG_AUTH_TRUNC:
		err = s2s_xfrm_keys_auth(k, attr, true);
		break;
	case XFRMA_ALG_AUTH:
		k->auth_plain = attr;
		break;
	case XFRMA_ALG_COMP:
		err = s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					 "IP payload compression is not supported");
		break;
	case XFRMA_REPLAY_ESN_VAL:
		err = s2s_xfrm_keys_esn(k, attr);
		break;
	default:
		return 0;
	}
	k->seen |= 1ULL << type;
	return err;
}

/* An AEAD alone, or a cipher with an integrity algorithm. */
static int s2s_xfrm_keys_combo(struct s2s_xfrm_keys *k)
{
	bool aead = k->seen & (1ULL << XFRMA_ALG_AEAD);
	bool crypt = k->seen & (1ULL << XFRMA_ALG_CRYPT);
	bool auth = k->seen & ((1ULL << XFRMA_ALG_AUTH) |
			       (1ULL << XFRMA_ALG_AUTH_TRUNC));
	struct s2s_sa_req *req = k->req;

	if (aead && (crypt || auth))
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "an AEAD combined with another algorithm is not supported");
	if (!aead && !crypt)
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "no encryption (integrity-only or null ESP is not supported)");
	if (crypt && !auth)
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "encryption without integrity is not supported");
	req->given |= S2S_BIT(ENC) | S2S_BIT(ENC_KEY);
	if (auth)
		req->given |= S2S_BIT(INTEG) | S2S_BIT(INTEG_KEY);
	return 0;
}

static void s2s_xfrm_keys_addr(struct s2s_addr *a, uint16_t family,
			       const xfrm_address_t *x)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	memcpy(a->b, x, family == AF_INET ? 4 : 16);
}

/* Outer addresses and UDP ports, as this gateway sees them: local is
 * the source of an outbound SA and the destination of an inbound one;
 * the ports follow the same rule (encap-sport is always ours).
 */
static int s2s_xfrm_keys_endpoint(struct s2s_xfrm_keys *k,
				  const struct s2s_xfrm_sa *sa, uint32_t dir)
{
	struct s2s_sa_req *req = k->req;
	uint16_t src, dst;

	s2s_xfrm_keys_addr(dir == S2S_DIR_OUT ? &req->local : &req->remote,
			   sa->family, &sa->saddr);
	s2s_xfrm_keys_addr(dir == S2S_DIR_OUT ? &req->remote : &req->local,
			   sa->family, &sa->daddr);
	req->given |= S2S_BIT(LOCAL) | S2S_BIT(REMOTE);
	if (!S2S_ATTR_HAS(sa->present, XFRMA_ENCAP))
		return 0;
	if (sa->encap.encap_type != UDP_ENCAP_ESPINUDP)
		return s2s_xfrm_keys_fail(k, -EOPNOTSUPP,
					  "encapsulation type %u is not supported (only ESP in UDP, RFC 3948)",
					  sa->encap.encap_type);
	src = ntohs(sa->encap.encap_sport);
	dst = ntohs(sa->encap.encap_dport);
	req->encap_sport = dir == S2S_DIR_OUT ? src : dst;
	req->encap_dport = dir == S2S_DIR_OUT ? dst : src;
	req->given |= S2S_BIT(ENCAP_SPORT) | S2S_BIT(ENCAP_DPORT);
	return 0;
}

static void s2s_xfrm_keys_limit(struct s2s_lifetime *lt, int attr,
				uint64_t *dst, uint64_t val)
{
	if (!val || val == XFRM_INF)
		return;
	*dst = val;
	lt->present |= 1ULL << attr;
}

/* Volume limits only: XFRM never sees a packet of these SAs, so only the
 * module can count towards them. Time limits stay with XFRM, whose timer
 * runs regardless of traffic and tells charon (soft) and s2sd (hard).
 */
static void s2s_xfrm_keys_lifetimes(struct s2s_sa_req *req,
				    const struct xfrm_lifetime_cfg *lft)
{
	s2s_xfrm_keys_limit(&req->soft, S2S_A_LIFETIME_BYTES, &req->soft.bytes,
			    lft->soft_byte_limit);
	s2s_xfrm_keys_limit(&req->soft, S2S_A_LIFETIME_PACKETS,
			    &req->soft.packets, lft->soft_packet_limit);
	s2s_xfrm_keys_limit(&req->hard, S2S_A_LIFETIME_BYTES, &req->hard.bytes,
			    lft->hard_byte_limit);
	s2s_xfrm_keys_limit(&req->hard, S2S_A_LIFETIME_PACKETS,
			    &req->hard.packets, lft->hard_packet_limit);
	if (req->soft.present)
		req->given |= S2S_BIT(SOFT);
	if (req->hard.present)
		req->given |= S2S_BIT(HARD);
}

static void s2s_xfrm_keys_prefix(struct s2s_prefix *p, unsigned int *n,
				 uint16_t family, const xfrm_address_t *a,
				 uint8_t plen)
{
	s2s_xfrm_keys_addr(&p[*n].addr, family, a);
	p[*n].plen = plen;
	(*n)++;
}

/* charon leaves tunnel-mode SA selectors empty; `ip xfrm state add
 * sel ...` may not. A side with prefix length 0 is "any".
 */
static void s2s_xfrm_keys_selector(struct s2s_sa_req *req,
				   const struct xfrm_selector *sel, uint32_t dir)
{
	bool out = dir == S2S_DIR_OUT;

	if (sel->family != AF_INET && sel->family != AF_INET6)
		return;
	if (sel->prefixlen_s)
		s2s_xfrm_keys_prefix(out ? req->ts_local : req->ts_remote,
				     out ? &req->n_ts_local : &req->n_ts_remote,
				     sel->family, &sel->saddr, sel->prefixlen_s);
	if (sel->prefixlen_d)
		s2s_xfrm_keys_prefix(out ? req->ts_remote : req->ts_local,
				     out ? &req->n_ts_remote : &req->n_ts_local,
				     sel->family, &sel->daddr, sel->prefixlen_d);
}

static void s2s_xfrm_keys_replay(struct s2s_xfrm_keys *k,
				 const struct s2s_xfrm_sa *sa, uint32_t dir)
{
	struct s2s_sa_req *req = k->req;
	uint32_t window;

	if (sa->flags & XFRM_STATE_ESN) {
		req->esn = true;
		req->given |= S2S_BIT(ESN);
	}
	/* the module refuses a window on outbound SAs; 0 takes the link's */
	window = sa->flags & XFRM_STATE_ESN ? k->esn_window : sa->replay_window;
	if (dir == S2S_DIR_IN && window) {
		req->replay_window = window;
		req->given |= S2S_BIT(REPLAY_WINDOW);
	}
}

/**
 * s2s_xfrm_keys_req() - an sa-new request from a keyed XFRM SA message
 * @nlh: NEWSA or UPDSA notification, or a GETSA dump reply
 * @sa: the same message as s2s_xfrm_parse() read it; the caller has
 *	already matched its if_id to the link @ifname
 * @dir: S2S_DIR_IN or S2S_DIR_OUT, as the caller decided
 * @ifname: the link
 * @req: zeroed s2s_secret_alloc() memory; receives algorithms, keys,
 *	endpoints, replay settings, volume limits and selectors
 * @err: why the SA cannot be forwarded; names algorithms, never a key
 * @size: size of @err (S2S_XFRM_KEYS_ERR_MAX)
 *
 * Return: 0; -EOPNOTSUPP for an SA s2s cannot run (@err says why);
 * -EBADMSG for a malformed message. On error @req holds no key.
 */
int s2s_xfrm_keys_req(const struct nlmsghdr *nlh, const struct s2s_xfrm_sa *sa,
		      uint32_t dir, const char *ifname, struct s2s_sa_req *req,
		      char *err, size_t size)
{
	struct s2s_xfrm_keys k = { .req = req, .err = err, .size = size };
	size_t hdrlen = sizeof(struct xfrm_usersa_info);
	int ret;

	err[0] = '\0';
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen))
		return s2s_xfrm_keys_fail(&k, -EBADMSG, "truncated SA message");
	if (nlh->nlmsg_type != XFRM_MSG_NEWSA && nlh->nlmsg_type != XFRM_MSG_UPDSA)
		return s2s_xfrm_keys_fail(&k, -EINVAL, "not an SA with keys");
	if (sa->proto != IPPROTO_ESP)
		return s2s_xfrm_keys_fail(&k, -EOPNOTSUPP,
					  "protocol %u is not supported (only ESP)",
					  sa->proto);
	if (sa->mode != XFRM_MODE_TUNNEL)
		return s2s_xfrm_keys_fail(&k, -EOPNOTSUPP,
					  "mode %u is not supported (only tunnel mode)",
					  sa->mode);
	snprintf(req->ifname, sizeof(req->ifname), "%s", ifname);
	req->dir = dir;
	req->spi = ntohl(sa->spi);
	req->given |= S2S_BIT(DIR) | S2S_BIT(SPI);
	ret = s2s_attr_walk((const char *)mnl_nlmsg_get_payload(nlh) +
			    MNL_ALIGN(hdrlen),
			    nlh->nlmsg_len - MNL_NLMSG_HDRLEN - MNL_ALIGN(hdrlen),
			    s2s_xfrm_keys_attr, &k);
	if (ret == -EBADMSG && !err[0])
		s2s_xfrm_keys_fail(&k, ret, "malformed attributes");
	/* AUTH_TRUNC says more; the plain one alone means XFRM's default */
	if (!ret && k.auth_plain && !(k.seen & (1ULL << XFRMA_ALG_AUTH_TRUNC)))
		ret = s2s_xfrm_keys_auth(&k, k.auth_plain, false);
	if (!ret)
		ret = s2s_xfrm_keys_combo(&k) ?:
		      s2s_xfrm_keys_endpoint(&k, sa, dir);
	if (ret) {
		s2s_key_wipe(&req->key);
		s2s_key_wipe(&req->ikey);
		return ret;
	}
	s2s_xfrm_keys_replay(&k, sa, dir);
	s2s_xfrm_keys_lifetimes(req, &sa->lft);
	s2s_xfrm_keys_selector(req, &sa->sel, dir);
	return 0;
}
