// SPDX-License-Identifier: GPL-2.0
/* Generic netlink: request headers and family resolution via nlctrl. */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "attr.h"
#include "genl.h"

/**
 * s2s_genl_msg() - start a generic netlink request in @buf
 * @buf: at least S2S_GENL_REQ_SIZE bytes
 * @family: family id (s2s_genl_resolve()) or GENL_ID_CTRL
 * @cmd: the family's command
 * @version: the family's version
 * @flags: NLM_F_DUMP or 0; REQUEST and ACK are added when sent
 *
 * Return: the message, ready for mnl_attr_put*().
 */
struct nlmsghdr *s2s_genl_msg(void *buf, uint16_t family, uint8_t cmd,
			      uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static const struct s2s_attr_rule s2s_genl_group_rules[] = {
	S2S_ATTR_RULE(CTRL_ATTR_MCAST_GRP_NAME, S2S_ATTR_STRING,
		      struct s2s_genl_group, name),
	S2S_ATTR_RULE(CTRL_ATTR_MCAST_GRP_ID, S2S_ATTR_U32,
		      struct s2s_genl_group, id),
};

static const struct s2s_attr_policy s2s_genl_group_policy =
	S2S_ATTR_POLICY(s2s_genl_group_rules, struct s2s_genl_group, present);

static int s2s_genl_group_one(const struct nlattr *attr, void *data)
{
	struct s2s_genl_family *fam = data;
	struct s2s_genl_group grp = { 0 };
	int err;

	err = s2s_attr_parse_nested(attr, &s2s_genl_group_policy, &grp);
	if (err)
		return err;
	if (!S2S_ATTR_HAS(grp.present, CTRL_ATTR_MCAST_GRP_NAME) ||
	    !S2S_ATTR_HAS(grp.present, CTRL_ATTR_MCAST_GRP_ID))
		return -EBADMSG;
	/* a family with more groups than we have room for: the extra ones
	 * cannot be ours, skip them
	 */
	if (fam->n_groups < S2S_GENL_GROUPS_MAX)
		fam->groups[fam->n_groups++] = grp;
	return 0;
}

/* CTRL_ATTR_MCAST_GROUPS: an array of nests, one per group. */
static int s2s_genl_groups(const struct nlattr *attr, void *obj)
{
	struct s2s_genl_family *fam = obj;

	fam->n_groups = 0;
	return s2s_attr_walk_nested(attr, s2s_genl_group_one, fam);
}

static const struct s2s_attr_rule s2s_genl_family_rules[] = {
	S2S_ATTR_RULE(CTRL_ATTR_FAMILY_ID, S2S_ATTR_U16,
		      struct s2s_genl_family, id),
	S2S_ATTR_RULE(CTRL_ATTR_FAMILY_NAME, S2S_ATTR_STRING,
		      struct s2s_genl_family, name),
	S2S_ATTR_RULE(CTRL_ATTR_VERSION, S2S_ATTR_U32,
		      struct s2s_genl_family, version),
	S2S_ATTR_RULE(CTRL_ATTR_MAXATTR, S2S_ATTR_U32,
		      struct s2s_genl_family, maxattr),
	S2S_ATTR_CUSTOM_RULE(CTRL_ATTR_MCAST_GROUPS, s2s_genl_groups),
};

static const struct s2s_attr_policy s2s_genl_family_policy =
	S2S_ATTR_POLICY(s2s_genl_family_rules, struct s2s_genl_family,
			present);

/**
 * s2s_genl_family_parse() - read nlctrl's answer to CTRL_CMD_GETFAMILY
 * @nlh: a CTRL_CMD_NEWFAMILY message
 * @fam: filled in
 *
 * Return: 0, or -EBADMSG when malformed or without a family id.
 */
int s2s_genl_family_parse(const struct nlmsghdr *nlh,
			  struct s2s_genl_family *fam)
{
	int err;

	memset(fam, 0, sizeof(*fam));
	err = s2s_attr_parse_msg(nlh, GENL_HDRLEN, &s2s_genl_family_policy,
				 fam);
	if (err)
		return err;
	if (!S2S_ATTR_HAS(fam->present, CTRL_ATTR_FAMILY_ID))
		return -EBADMSG;
	return 0;
}

static int s2s_genl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	return s2s_genl_family_parse(nlh, data);
}

/**
 * s2s_genl_resolve() - look a family up by name
 * @nl: an open NETLINK_GENERIC socket
 * @name: the family's name
 * @fam: filled in
 *
 * Return: 0, -ENOENT when no such family is registered, or another
 * negative errno (then nl->extack may say more).
 */
int s2s_genl_resolve(struct s2s_nl *nl, const char *name,
		     struct s2s_genl_family *fam)
{
	char buf[S2S_GENL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int err;

	memset(fam, 0, sizeof(*fam));
	if (strlen(name) >= GENL_NAMSIZ)
		return -ENOENT;
	nlh = s2s_genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	err = s2s_nl_request(nl, nlh, s2s_genl_family_cb, fam);
	if (!err && !fam->id)
		err = -EBADMSG;		/* acked without an answer */
	return err;
}

/**
 * s2s_genl_group_id() - a multicast group's id, by name
 * @fam: a resolved family
 * @name: the group's name
 *
 * Return: the id, or 0 when the family has no such group.
 */
uint32_t s2s_genl_group_id(const struct s2s_genl_family *fam,
			   const char *name)
{
	unsigned int i;

	for (i = 0; i < fam->n_groups; i++)
		if (!strcmp(fam->groups[i].name, name))
			return fam->groups[i].id;
	return 0;
}
