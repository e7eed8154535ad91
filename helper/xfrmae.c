// SPDX-License-Identifier: GPL-2.0
/* XFRM_MSG_NEWAE requests; see xfrmae.h. */
#include <string.h>
#include <libmnl/libmnl.h>

#include "xfrmae.h"

/**
 * s2s_xfrm_newae() - build a NEWAE request that sets an SA's usage
 * @buf: at least S2S_XFRM_AE_SIZE bytes
 * @ae: the SA and its usage
 *
 * The header's flags say which values come (XFRM_AE_LVAL: lifetime
 * values); 6.1's xfrm_new_ae() goes by the attributes present and
 * ignores them, but they keep the request self-describing for the
 * NEWAE notification XFRM sends to AEVENTS listeners.
 *
 * Return: the request, for s2s_nl_request() (it asks for an ack).
 */
struct nlmsghdr *s2s_xfrm_newae(void *buf, const struct s2s_xfrm_ae *ae)
{
	struct xfrm_aevent_id id;
	struct nlmsghdr *nlh;

	memset(buf, 0, S2S_XFRM_AE_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_NEWAE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_REPLACE | NLM_F_ACK;
	memset(&id, 0, sizeof(id));
	id.sa_id.daddr = ae->daddr;
	id.sa_id.spi = ae->spi;
	id.sa_id.family = ae->family;
	id.sa_id.proto = ae->proto;
	id.saddr = ae->saddr;
	id.flags = XFRM_AE_LVAL;
	id.reqid = ae->reqid;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(id)), &id, sizeof(id));
	mnl_attr_put(nlh, XFRMA_LTIME_VAL, sizeof(ae->curlft), &ae->curlft);
	if (ae->mark.m)
		mnl_attr_put(nlh, XFRMA_MARK, sizeof(ae->mark), &ae->mark);
	return nlh;
}
