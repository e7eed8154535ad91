// SPDX-License-Identifier: GPL-2.0
/* Reading XFRM SA messages without their keys; see xfrm.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/ipsec.h>

#include "attr.h"
#include "strbuf.h"
#include "util.h"
#include "xfrm.h"

/* How each SA message type lays out its fixed header. */
struct s2s_xfrm_layout {
	uint16_t type;
	enum s2s_xfrm_kind kind;
	size_t hdrlen;
	void (*fill)(const void *hdr, struct s2s_xfrm_sa *sa);
};

/* The header is only 4-byte aligned in the message, and xfrm_usersa_info
 * holds u64s: copy before reading.
 */
static void s2s_xfrm_fill_info(const void *hdr, struct s2s_xfrm_sa *sa)
{
	struct xfrm_usersa_info info;

	memcpy(&info, hdr, sizeof(info));
	sa->family = info.family;
	sa->proto = info.id.proto;
	sa->spi = info.id.spi;
	sa->daddr = info.id.daddr;
	sa->saddr = info.saddr;
	sa->has_saddr = true;
	sa->mode = info.mode;
	sa->reqid = info.reqid;
	sa->flags = info.flags;
	sa->replay_window = info.replay_window;
	sa->sel = info.sel;
	sa->lft = info.lft;
	sa->curlft = info.curlft;
}

/* DELSA: the id only; XFRMA_SA, when present, fills in the rest. */
static void s2s_xfrm_fill_id(const void *hdr, struct s2s_xfrm_sa *sa)
{
	struct xfrm_usersa_id id;

	memcpy(&id, hdr, sizeof(id));
	sa->family = id.family;
	sa->proto = id.proto;
	sa->spi = id.spi;
	sa->daddr = id.daddr;
}

static void s2s_xfrm_fill_expire(const void *hdr, struct s2s_xfrm_sa *sa)
{
	const char *p = hdr;
	uint8_t hard;

	s2s_xfrm_fill_info(hdr, sa);
	memcpy(&hard, p + offsetof(struct xfrm_user_expire, hard), sizeof(hard));
	sa->kind = hard ? S2S_XFRM_EXPIRE_HARD : S2S_XFRM_EXPIRE_SOFT;
}

static void s2s_xfrm_fill_flush(const void *hdr, struct s2s_xfrm_sa *sa)
{
	const struct xfrm_usersa_flush *f = hdr;

	sa->proto = f->proto;
}

static const struct s2s_xfrm_layout s2s_xfrm_layouts[] = {
	{ XFRM_MSG_NEWSA, S2S_XFRM_NEW, sizeof(struct xfrm_usersa_info),
	  s2s_xfrm_fill_info },
	{ XFRM_MSG_UPDSA, S2S_XFRM_UPDATE, sizeof(struct xfrm_usersa_info),
	  s2s_xfrm_fill_info },
	{ XFRM_MSG_DELSA, S2S_XFRM_DELETE, sizeof(struct xfrm_usersa_id),
	  s2s_xfrm_fill_id },
	{ XFRM_MSG_EXPIRE, S2S_XFRM_EXPIRE_SOFT, sizeof(struct xfrm_user_expire),
	  s2s_xfrm_fill_expire },
	{ XFRM_MSG_FLUSHSA, S2S_XFRM_FLUSH, sizeof(struct xfrm_usersa_flush),
	  s2s_xfrm_fill_flush },
};

static int s2s_xfrm_attr_sa(const struct nlattr *attr, void *obj)
{
	if (mnl_attr_get_payload_len(attr) < sizeof(struct xfrm_usersa_info))
		return -EBADMSG;
	s2s_xfrm_fill_info(mnl_attr_get_payload(attr), obj);
	return 0;
}

/* Deliberately no row for XFRMA_ALG_AEAD/AUTH/AUTH_TRUNC/CRYPT/COMP:
 * rows are what gets copied, and key bytes must not be.
 */
static const struct s2s_attr_rule s2s_xfrm_sa_rules[] = {
	S2S_ATTR_RULE(XFRMA_IF_ID, S2S_ATTR_U32, struct s2s_xfrm_sa, if_id),
	S2S_ATTR_RULE(XFRMA_MARK, S2S_ATTR_STRUCT, struct s2s_xfrm_sa, mark),
	S2S_ATTR_RULE(XFRMA_ENCAP, S2S_ATTR_STRUCT, struct s2s_xfrm_sa, encap),
	S2S_ATTR_CUSTOM_RULE(XFRMA_SA, s2s_xfrm_attr_sa),
};

static const struct s2s_attr_policy s2s_xfrm_sa_policy =
	S2S_ATTR_POLICY(s2s_xfrm_sa_rules, struct s2s_xfrm_sa, present);

static const struct s2s_xfrm_layout *s2s_xfrm_layout_find(uint16_t type)
{
	size_t i;

	for (i = 0; i < S2S_ARRAY_SIZE(s2s_xfrm_layouts); i++)
		if (s2s_xfrm_layouts[i].type == type)
			return &s2s_xfrm_layouts[i];
	return NULL;
}

/**
 * s2s_xfrm_parse() - read an SA message, leaving its keys where they are
 * @nlh: NEWSA, UPDSA, DELSA, EXPIRE or FLUSHSA
 * @sa: filled in; kind is NEW for NEWSA, callers reading a dump say
 *	EXISTING themselves
 *
 * Return: 0, -EOPNOTSUPP for other message types, -EBADMSG when
 * truncated or malformed.
 */
int s2s_xfrm_parse(const struct nlmsghdr *nlh, struct s2s_xfrm_sa *sa)
{
	const struct s2s_xfrm_layout *l;
	int err;

	memset(sa, 0, sizeof(*sa));
	l = s2s_xfrm_layout_find(nlh->nlmsg_type);
	if (!l)
		return -EOPNOTSUPP;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + l->hdrlen)
		return -EBADMSG;
	sa->kind = l->kind;
	l->fill(mnl_nlmsg_get_payload(nlh), sa);
	err = s2s_attr_parse_msg(nlh, l->hdrlen, &s2s_xfrm_sa_policy, sa);
	if (err)
		return err;
	if (sa->kind != S2S_XFRM_FLUSH &&
	    sa->family != AF_INET && sa->family != AF_INET6)
		return -EBADMSG;
	return 0;
}

/**
 * s2s_xfrm_kind_name() - "new", "update", "delete", ...
 * @kind: the kind
 *
 * Return: a static string.
 */
const char *s2s_xfrm_kind_name(enum s2s_xfrm_kind kind)
{
	static const char *const names[] = {
		[S2S_XFRM_EXISTING] = "existing",
		[S2S_XFRM_NEW] = "new",
		[S2S_XFRM_UPDATE] = "update",
		[S2S_XFRM_DELETE] = "delete",
		[S2S_XFRM_EXPIRE_SOFT] = "expire-soft",
		[S2S_XFRM_EXPIRE_HARD] = "expire-hard",
		[S2S_XFRM_FLUSH] = "flush",
	};

	if ((size_t)kind >= S2S_ARRAY_SIZE(names))
		return "?";
	return names[kind];
}

static void s2s_xfrm_put_proto(struct s2s_strbuf *sb, uint8_t proto)
{
	switch (proto) {
	case IPPROTO_ESP:
		s2s_strbuf_printf(sb, "esp");
		break;
	case IPPROTO_AH:
		s2s_strbuf_printf(sb, "ah");
		break;
	case IPPROTO_COMP:
		s2s_strbuf_printf(sb, "comp");
		break;
	case 0:			/* what `ip xfrm state flush` sends */
	case IPSEC_PROTO_ANY:
		s2s_strbuf_printf(sb, "any");
		break;
	default:
		s2s_strbuf_printf(sb, "proto-%u", proto);
	}
}

static void s2s_xfrm_put_addr(struct s2s_strbuf *sb, uint16_t family,
			      const xfrm_address_t *addr)
{
	char text[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, text, sizeof(text)))
		snprintf(text, sizeof(text), "?");
	s2s_strbuf_printf(sb, "%s", text);
}

static const char *s2s_xfrm_mode_name(uint8_t mode)
{
	static const char *const names[] = {
		[XFRM_MODE_TRANSPORT] = "transport",
		[XFRM_MODE_TUNNEL] = "tunnel",
		[XFRM_MODE_ROUTEOPTIMIZATION] = "ro",
		[XFRM_MODE_IN_TRIGGER] = "in_trigger",
		[XFRM_MODE_BEET] = "beet",
	};

	if (mode >= S2S_ARRAY_SIZE(names))
		return "?";
	return names[mode];
}

/* What identifies the SA and where it belongs. */
static void s2s_xfrm_put_id(struct s2s_strbuf *sb, const struct s2s_xfrm_sa *sa,
			    const char *link)
{
	s2s_strbuf_printf(sb, " spi 0x%08x ", ntohl(sa->spi));
	if (sa->has_saddr)
		s2s_xfrm_put_addr(sb, sa->family, &sa->saddr);
	else
		s2s_strbuf_printf(sb, "?");
	s2s_strbuf_printf(sb, " -> ");
	s2s_xfrm_put_addr(sb, sa->family, &sa->daddr);
	s2s_strbuf_printf(sb, " if_id %u link %s", sa->if_id,
			  link ? link : "-");
}

/* Details that help matching the line with charon's view. */
static void s2s_xfrm_put_details(struct s2s_strbuf *sb,
				 const struct s2s_xfrm_sa *sa)
{
	if (sa->has_saddr)
		s2s_strbuf_printf(sb, " mode %s reqid %u",
				  s2s_xfrm_mode_name(sa->mode), sa->reqid);
	if (S2S_ATTR_HAS(sa->present, XFRMA_MARK) && sa->mark.m)
		s2s_strbuf_printf(sb, " mark 0x%x/0x%x", sa->mark.v, sa->mark.m);
	if (S2S_ATTR_HAS(sa->present, XFRMA_ENCAP))
		s2s_strbuf_printf(sb, " encap udp %u->%u",
				  ntohs(sa->encap.encap_sport),
				  ntohs(sa->encap.encap_dport));
}

/**
 * s2s_xfrm_format() - one log line about an SA; never any key material
 * @sa: from s2s_xfrm_parse()
 * @link: the s2s link it belongs to, or NULL
 * @buf: output, e.g. "new esp spi 0x0000c001 192.0.2.1 -> 192.0.2.2
 *	if_id 7 link s2s0 mode tunnel reqid 1"
 * @size: size of @buf (S2S_XFRM_LINE_MAX is always enough)
 *
 * Return: the length of the full line.
 */
size_t s2s_xfrm_format(const struct s2s_xfrm_sa *sa, const char *link,
		       char *buf, size_t size)
{
	struct s2s_strbuf sb;

	s2s_strbuf_init(&sb, buf, size);
	s2s_strbuf_printf(&sb, "%s ", s2s_xfrm_kind_name(sa->kind));
	s2s_xfrm_put_proto(&sb, sa->proto);
	if (sa->kind == S2S_XFRM_FLUSH)
		return sb.len;
	s2s_xfrm_put_id(&sb, sa, link);
	s2s_xfrm_put_details(&sb, sa);
	return sb.len;
}

/**
 * s2s_xfrm_dump_request() - XFRM_MSG_GETSA dump of every SA
 * @buf: at least MNL_NLMSG_HDRLEN bytes
 *
 * The kernel reads a GETSA dump's optional filters as attributes right
 * after nlmsghdr, so no family header is added.
 *
 * Return: the request, for s2s_nl_request().
 */
struct nlmsghdr *s2s_xfrm_dump_request(void *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = XFRM_MSG_GETSA;
	nlh->nlmsg_flags = NLM_F_DUMP;
	return nlh;
}
