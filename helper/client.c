// SPDX-License-Identifier: GPL-2.0
/* Client of the "s2s" generic netlink family. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/s2s.h>

#include "client.h"

/**
 * s2s_client_resolve() - (re)learn the family's id and groups
 * @c: a client with an open socket
 *
 * Needed again after the module was reloaded: the id may have changed.
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_resolve(struct s2s_client *c)
{
	char why[S2S_NL_ERR_MAX];
	int err;

	err = s2s_genl_resolve(&c->nl, S2S_FAMILY_NAME, &c->fam);
	if (err == -ENOENT)
		snprintf(c->err, sizeof(c->err),
			 "%s generic netlink family not found: is the s2s module loaded? (modprobe s2s)",
			 S2S_FAMILY_NAME);
	else if (err)
		snprintf(c->err, sizeof(c->err),
			 "resolving generic netlink family %s: %s",
			 S2S_FAMILY_NAME,
			 s2s_nl_strerror(err, c->nl.extack, why, sizeof(why)));
	return err;
}

/**
 * s2s_client_open() - open a socket and resolve the s2s family
 * @c: the client to fill
 *
 * Return: 0 or a negative errno, with c->err set; on error nothing needs
 * closing.
 */
int s2s_client_open(struct s2s_client *c)
{
	int err;

	memset(c, 0, sizeof(*c));
	err = s2s_nl_open(&c->nl, NETLINK_GENERIC);
	if (err) {
		snprintf(c->err, sizeof(c->err),
			 "cannot open a generic netlink socket: %s",
			 strerror(-err));
		return err;
	}
	err = s2s_client_resolve(c);
	if (err)
		s2s_nl_close(&c->nl);
	return err;
}

/**
 * s2s_client_close() - close the socket
 * @c: an open client
 */
void s2s_client_close(struct s2s_client *c)
{
	s2s_nl_close(&c->nl);
}

/**
 * s2s_client_msg() - start a request of the s2s family
 * @c: an open client
 * @buf: at least S2S_GENL_REQ_SIZE bytes
 * @cmd: S2S_CMD_*
 * @flags: NLM_F_DUMP or 0
 *
 * Return: the message, ready for attributes.
 */
struct nlmsghdr *s2s_client_msg(const struct s2s_client *c, void *buf,
				uint8_t cmd, uint16_t flags)
{
	return s2s_genl_msg(buf, c->fam.id, cmd, S2S_FAMILY_VERSION, flags);
}

/**
 * s2s_client_run() - send a request, read its reply, explain a failure
 * @c: an open client
 * @nlh: from s2s_client_msg()
 * @cb: called per reply message
 * @data: passed to @cb
 * @what: the operation for the message, e.g. "link-get s2s0"
 *
 * Return: 0 or a negative errno, with c->err set to "@what: reason"
 * (the reason ends with the kernel's extack message, when it gave one).
 */
int s2s_client_run(struct s2s_client *c, struct nlmsghdr *nlh,
		   s2s_nl_cb cb, void *data, const char *what)
{
	char why[S2S_NL_ERR_MAX];
	int err;

	err = s2s_nl_request(&c->nl, nlh, cb, data);
	if (err)
		snprintf(c->err, sizeof(c->err), "%s: %s", what,
			 s2s_nl_strerror(err, c->nl.extack, why, sizeof(why)));
	return err;
}

static int s2s_client_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct s2s_link link;
	int err;

	err = s2s_link_parse(nlh, &link);
	if (err)
		return err;
	return s2s_link_list_add(data, &link);
}

/**
 * s2s_client_link_get() - link-get: one link by name, or all of them
 * @c: an open client
 * @ifname: the link's name, or NULL to dump every s2s link
 * @out: the links are appended here
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_link_get(struct s2s_client *c, const char *ifname,
			struct s2s_link_list *out)
{
	char buf[S2S_GENL_REQ_SIZE], what[64];
	struct nlmsghdr *nlh;

	nlh = s2s_client_msg(c, buf, S2S_CMD_LINK_GET, ifname ? 0 : NLM_F_DUMP);
	if (ifname)
		mnl_attr_put_strz(nlh, S2S_A_LINK_IFNAME, ifname);
	snprintf(what, sizeof(what), "link-get%s%s", ifname ? " " : "",
		 ifname ? ifname : "");
	return s2s_client_run(c, nlh, s2s_client_link_cb, out, what);
}
