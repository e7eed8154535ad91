// SPDX-License-Identifier: GPL-2.0
/* The key exchange state of a link, as s2sd reports it over link-set.
 *
 * s2sd exits cleanly by reporting "unknown" on every link; a killed s2sd
 * cannot, and its last "connected" would stay while nobody carries the
 * next rekey into the module. A report sent with ike-until-close therefore
 * holds a reference on the sender's netlink socket, and is withdrawn (the
 * link reads "unknown" again, as a stopped s2sd leaves it) once that
 * socket is released: exit, kill or crash alike.
 *
 * Netlink announces a released socket, by namespace and port id, on a
 * blocking notifier chain called from inside the release, after the
 * socket was marked dead. The notifier only kicks a work item, which looks
 * for bound reports whose socket is dead, under RTNL. Matching the socket
 * rather than its port id means that a new socket which got the same id in
 * the meantime (the old one is unhashed before it is announced) keeps its
 * report.
 */

#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include <linux/s2s.h>

#include "ike.h"
#include "s2s.h"

/* Links whose report has an owner socket: a link is on this list exactly
 * while its published report has one. Protected by RTNL; the notifier
 * reads list_empty() without it, as a hint only.
 */
static LIST_HEAD(s2s_ike_bound);

/**
 * s2s_ike_nl_put() - the link's report into a link-get reply
 * @skb: reply
 * @s2s: link
 *
 * Status "unknown" is put too (it is what a link starts with), so that a
 * tool can tell it from a module that has no such attribute.
 *
 * Return: 0 or -EMSGSIZE.
 */
int s2s_ike_nl_put(struct sk_buff *skb, const struct s2s_dev *s2s)
{
	const struct s2s_ike_info *ike;
	int err;

	rcu_read_lock();
	ike = rcu_dereference(s2s->ike);
	err = nla_put_u32(skb, S2S_A_LINK_IKE_STATUS,
			  ike ? ike->status : S2S_IKE_STATUS_UNKNOWN);
	if (!err && ike && ike->reason[0])
		err = nla_put_string(skb, S2S_A_LINK_IKE_REASON, ike->reason);
	rcu_read_unlock();
	return err;
}

/**
 * s2s_ike_nl_parse() - the report a link-set request makes, if any
 * @s2s: link (RTNL held)
 * @skb: the request
 * @info: its attributes
 *
 * ike-status replaces the reason (with ike-reason, or none); ike-reason
 * alone keeps the status; ike-until-close alone keeps both. With
 * ike-until-close the report holds a reference on the sending socket;
 * without it, it is never withdrawn. Kernel sockets (port id 0) are never
 * announced released, so their reports are never bound.
 *
 * Return: a report for s2s_ike_publish(), NULL when the request carries
 * none of the three attributes, or ERR_PTR(-ENOMEM).
 */
struct s2s_ike_info *s2s_ike_nl_parse(const struct s2s_dev *s2s,
				      const struct sk_buff *skb,
				      struct genl_info *info)
{
	bool until_close = nla_get_flag(info->attrs[S2S_A_LINK_IKE_UNTIL_CLOSE]);
	struct nlattr *status = info->attrs[S2S_A_LINK_IKE_STATUS];
	struct nlattr *reason = info->attrs[S2S_A_LINK_IKE_REASON];
	const struct s2s_ike_info *old;
	struct s2s_ike_info *ike;

	ASSERT_RTNL();
	if (!status && !reason && !until_close)
		return NULL;
	old = rtnl_dereference(s2s->ike);
	ike = kzalloc(sizeof(*ike), GFP_KERNEL);
	if (!ike)
		return ERR_PTR(-ENOMEM);
	if (status)
		ike->status = nla_get_u32(status);
	else
		ike->status = old ? old->status : S2S_IKE_STATUS_UNKNOWN;
	/* The policy bounds the string to the buffer, NUL included. */
	if (reason)
		nla_strscpy(ike->reason, reason, sizeof(ike->reason));
	else if (!status && old)
		strscpy(ike->reason, old->reason, sizeof(ike->reason));
	if (until_close && info->snd_portid) {
		ike->owner = NETLINK_CB(skb).sk;
		sock_hold(ike->owner);
	}
	return ike;
}

/**
 * s2s_ike_publish() - replace the link's report
 * @s2s: link (RTNL held)
 * @ike: from s2s_ike_nl_parse(), or NULL for "nothing reported"
 *
 * The previous report's socket reference is dropped here, not after the
 * grace period: readers never look at the owner.
 */
void s2s_ike_publish(struct s2s_dev *s2s, struct s2s_ike_info *ike)
{
	struct s2s_ike_info *old;

	ASSERT_RTNL();
	old = rcu_replace_pointer(s2s->ike, ike, lockdep_rtnl_is_held());
	if (old && old->owner) {
		list_del(&s2s->ike_bound_node);
		sock_put(old->owner);
	}
	if (ike && ike->owner)
		list_add_tail(&s2s->ike_bound_node, &s2s_ike_bound);
	if (old)
		kfree_rcu(old, rcu);
}

/**
 * s2s_ike_link_uninit() - free the link's report
 * @s2s: link being unregistered (RTNL held)
 */
void s2s_ike_link_uninit(struct s2s_dev *s2s)
{
	s2s_ike_publish(s2s, NULL);
}

/* Withdraw every report whose socket has been released. */
static void s2s_ike_withdraw_work(struct work_struct *work)
{
	struct s2s_dev *s2s, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(s2s, tmp, &s2s_ike_bound, ike_bound_node) {
		const struct s2s_ike_info *ike = rtnl_dereference(s2s->ike);

		if (!sock_flag(ike->owner, SOCK_DEAD))
			continue;
		netdev_info(s2s->dev,
			    "IKE status back to unknown: the socket that reported it was closed\n");
		s2s_ike_publish(s2s, NULL);
	}
	rtnl_unlock();
}

static DECLARE_WORK(s2s_ike_withdraw_worker, s2s_ike_withdraw_work);

/* Any generic-netlink socket may be the owner of a report: each release
 * costs one pass over the (few) bound links, and releases that come while
 * the work is pending share that pass.
 */
static int s2s_ike_netlink_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	const struct netlink_notify *n = ptr;

	/* A report is bound while its socket's request runs, so before that
	 * socket can be released: an empty list here means that none of the
	 * reports is this socket's. queue_work() orders the release's
	 * SOCK_DEAD before the work's look at it.
	 */
	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    !list_empty(&s2s_ike_bound))
		queue_work(system_wq, &s2s_ike_withdraw_worker);
	return NOTIFY_DONE;
}

static struct notifier_block s2s_ike_netlink_notifier = {
	.notifier_call = s2s_ike_netlink_event,
};

/**
 * s2s_ike_init() - learn of released netlink sockets
 *
 * Return: 0 or a negative errno.
 */
int s2s_ike_init(void)
{
	return netlink_register_notifier(&s2s_ike_netlink_notifier);
}

/**
 * s2s_ike_uninit() - stop learning of released sockets
 *
 * Unregistering waits for notifier calls under way, and the work they
 * queued is done before this returns. Links still registered keep their
 * reports, and the socket references in them, until they are unregistered.
 */
void s2s_ike_uninit(void)
{
	netlink_unregister_notifier(&s2s_ike_netlink_notifier);
	flush_work(&s2s_ike_withdraw_worker);
}
