// SPDX-License-Identifier: GPL-2.0
/* Client of the "s2s" generic netlink family. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/s2s.h>

#include "attr.h"
#include "client.h"
#include "keys.h"

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

/**
 * s2s_client_link_set() - link-set: change settings of a link
 * @c: an open client
 * @ifname: the link
 * @cfg: what to change
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_link_set(struct s2s_client *c, const char *ifname,
			const struct s2s_link_cfg *cfg)
{
	char buf[S2S_GENL_REQ_SIZE], what[64];
	struct nlmsghdr *nlh;

	nlh = s2s_client_msg(c, buf, S2S_CMD_LINK_SET, 0);
	mnl_attr_put_strz(nlh, S2S_A_LINK_IFNAME, ifname);
	snprintf(what, sizeof(what), "link-set %s", ifname);
	if (s2s_link_cfg_put(cfg, nlh, sizeof(buf))) {
		snprintf(c->err, sizeof(c->err), "%s: request too large", what);
		return -EMSGSIZE;
	}
	return s2s_client_run(c, nlh, NULL, NULL, what);
}

/* "sa-new s2s0 dir out spi 0xc0010001", for messages. */
static void s2s_client_sa_what(char *buf, size_t size, const char *op,
			       const struct s2s_sa_req *req)
{
	if (S2S_ATTR_HAS(req->given, S2S_A_SA_SPI))
		snprintf(buf, size, "%s %s dir %s spi 0x%08x", op, req->ifname,
			 s2s_dir_name(req->dir), req->spi);
	else
		snprintf(buf, size, "%s %s", op, req->ifname);
}

/* Requests with key bytes are built in locked memory, wiped after. */
static int s2s_client_sa_run(struct s2s_client *c, uint8_t cmd,
			     uint16_t flags, const struct s2s_sa_req *req,
			     uint32_t ifindex, s2s_nl_cb cb, void *data,
			     const char *op)
{
	struct nlmsghdr *nlh;
	char what[96];
	void *buf;
	int err;

	s2s_client_sa_what(what, sizeof(what), op, req);
	buf = s2s_secret_alloc(S2S_SA_REQ_SIZE);
	if (!buf) {
		snprintf(c->err, sizeof(c->err), "%s: out of memory", what);
		return -ENOMEM;
	}
	nlh = s2s_client_msg(c, buf, cmd, flags);
	err = s2s_sa_req_put(req, ifindex, nlh, S2S_SA_REQ_SIZE);
	if (err)
		snprintf(c->err, sizeof(c->err),
			 "%s: request too large for one message (fewer ts-local/ts-remote?)",
			 what);
	else
		err = s2s_client_run(c, nlh, cb, data, what);
	s2s_secret_free(buf, S2S_SA_REQ_SIZE);
	return err;
}

/**
 * s2s_client_sa_new() - sa-new: add an SA
 * @c: an open client
 * @req: from s2s_sa_req_parse(S2S_SA_OP_ADD)
 * @ifindex: the index of req->ifname
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_sa_new(struct s2s_client *c, const struct s2s_sa_req *req,
		      uint32_t ifindex)
{
	return s2s_client_sa_run(c, S2S_CMD_SA_NEW, 0, req, ifindex, NULL,
				 NULL, "sa-new");
}

/**
 * s2s_client_sa_set() - sa-set: new endpoint or lifetimes of an SA
 * @c: an open client
 * @req: from s2s_sa_req_parse(S2S_SA_OP_SET)
 * @ifindex: the index of req->ifname
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_sa_set(struct s2s_client *c, const struct s2s_sa_req *req,
		      uint32_t ifindex)
{
	return s2s_client_sa_run(c, S2S_CMD_SA_SET, 0, req, ifindex, NULL,
				 NULL, "sa-set");
}

/**
 * s2s_client_sa_del() - sa-del: delete one SA
 * @c: an open client
 * @req: from s2s_sa_req_parse(S2S_SA_OP_DEL)
 * @ifindex: the index of req->ifname
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_sa_del(struct s2s_client *c, const struct s2s_sa_req *req,
		      uint32_t ifindex)
{
	return s2s_client_sa_run(c, S2S_CMD_SA_DEL, 0, req, ifindex, NULL,
				 NULL, "sa-del");
}

/**
 * s2s_client_sa_flush() - sa-flush: delete every SA of a link
 * @c: an open client
 * @req: from s2s_sa_req_parse(S2S_SA_OP_FLUSH)
 * @ifindex: the index of req->ifname
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_sa_flush(struct s2s_client *c, const struct s2s_sa_req *req,
			uint32_t ifindex)
{
	return s2s_client_sa_run(c, S2S_CMD_SA_FLUSH, 0, req, ifindex, NULL,
				 NULL, "sa-flush");
}

static int s2s_client_sa_cb(const struct nlmsghdr *nlh, void *data)
{
	struct s2s_sa *sa;
	int err;

	/* struct s2s_sa is large: not on the stack of every reply */
	sa = malloc(sizeof(*sa));
	if (!sa)
		return -ENOMEM;
	err = s2s_sa_parse(nlh, sa);
	if (!err)
		err = s2s_sa_list_add(data, sa);
	free(sa);
	return err;
}

/**
 * s2s_client_sa_get() - sa-get: one SA by link, direction and SPI
 * @c: an open client
 * @req: from s2s_sa_req_parse(S2S_SA_OP_GET)
 * @ifindex: the index of req->ifname
 * @out: the SA is appended here
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_sa_get(struct s2s_client *c, const struct s2s_sa_req *req,
		      uint32_t ifindex, struct s2s_sa_list *out)
{
	return s2s_client_sa_run(c, S2S_CMD_SA_GET, 0, req, ifindex,
				 s2s_client_sa_cb, out, "sa-get");
}

/**
 * s2s_client_sa_dump() - sa-get dump: the SAs of one link, or all
 * @c: an open client
 * @ifindex: the link, or 0 for every SA of the namespace
 * @out: the SAs are appended here
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_sa_dump(struct s2s_client *c, uint32_t ifindex,
		       struct s2s_sa_list *out)
{
	char buf[S2S_GENL_REQ_SIZE], what[64];
	struct nlmsghdr *nlh;

	nlh = s2s_client_msg(c, buf, S2S_CMD_SA_GET, NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, S2S_A_SA_IFINDEX, ifindex);
	snprintf(what, sizeof(what), "sa-get dump");
	return s2s_client_run(c, nlh, s2s_client_sa_cb, out, what);
}

/**
 * s2s_client_join_events() - subscribe to the "events" group (sa-ntf)
 * @c: an open client; read with s2s_nl_recv_events(&c->nl, ...)
 *
 * Return: 0 or a negative errno, with c->err set.
 */
int s2s_client_join_events(struct s2s_client *c)
{
	uint32_t group = s2s_genl_group_id(&c->fam, S2S_MCGRP_EVENTS);
	int err;

	if (!group) {
		snprintf(c->err, sizeof(c->err),
			 "the s2s module has no \"%s\" multicast group (older module?)",
			 S2S_MCGRP_EVENTS);
		return -ENOENT;
	}
	err = s2s_nl_join(&c->nl, group);
	if (err)
		snprintf(c->err, sizeof(c->err), "joining the %s group: %s",
			 S2S_MCGRP_EVENTS, strerror(-err));
	return err;
}
