/* SPDX-License-Identifier: GPL-2.0 */
/* Building netlink messages in memory, laid out as the kernel does. */
#ifndef S2S_TEST_MSG_H
#define S2S_TEST_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#define TEST_MSG_SIZE 8192

/* A message buffer, aligned like the kernel's. */
#define TEST_BUF(name) uint64_t name[TEST_MSG_SIZE / sizeof(uint64_t)]

struct nlmsghdr *test_msg(void *buf, uint16_t type, uint16_t flags,
			  const void *hdr, size_t hdrlen);
struct nlmsghdr *test_genl(void *buf, uint16_t family, uint8_t cmd);
bool test_contains(const void *hay, size_t len, const void *needle,
		   size_t nlen);

#endif /* S2S_TEST_MSG_H */
