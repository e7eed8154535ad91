// SPDX-License-Identifier: GPL-2.0
/* Building netlink messages in memory for the unit tests. */
#define _GNU_SOURCE
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "msg.h"

/* A message of @type with a family header copied from @hdr (zeroed when
 * NULL); add attributes with mnl_attr_put*().
 */
struct nlmsghdr *test_msg(void *buf, uint16_t type, uint16_t flags,
			  const void *hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh;
	void *extra;

	memset(buf, 0, TEST_MSG_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	extra = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	if (hdr)
		memcpy(extra, hdr, hdrlen);
	return nlh;
}

struct nlmsghdr *test_genl(void *buf, uint16_t family, uint8_t cmd)
{
	struct genlmsghdr genl = { .cmd = cmd, .version = 1 };

	return test_msg(buf, family, 0, &genl, sizeof(genl));
}

bool test_contains(const void *hay, size_t len, const void *needle,
		   size_t nlen)
{
	return memmem(hay, len, needle, nlen) != NULL;
}
