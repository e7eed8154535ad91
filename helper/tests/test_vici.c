// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the vici codec (vici.c): builder, packet and message
 * parser with every malformed-input path, the receive framing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vici.h"

/* The example message of the vici protocol description. */
static const uint8_t doc_msg[] = {
	3, 4, 'k', 'e', 'y', '1', 0, 6, 'v', 'a', 'l', 'u', 'e', '1',
	1, 8, 's', 'e', 'c', 't', 'i', 'o', 'n', '1',
	1, 11, 's', 'u', 'b', '-', 's', 'e', 'c', 't', 'i', 'o', 'n',
	3, 4, 'k', 'e', 'y', '2', 0, 6, 'v', 'a', 'l', 'u', 'e', '2',
	2,
	4, 5, 'l', 'i', 's', 't', '1',
	5, 0, 5, 'i', 't', 'e', 'm', '1',
	5, 0, 5, 'i', 't', 'e', 'm', '2',
	6,
	2,
};

static int build_doc(uint8_t *buf, size_t cap)
{
	struct s2s_vici_builder b;

	s2s_vici_begin(&b, buf, cap, S2S_VICI_CMD_RESPONSE, NULL);
	s2s_vici_kv_str(&b, "key1", "value1");
	s2s_vici_section_start(&b, "section1");
	s2s_vici_section_start(&b, "sub-section");
	s2s_vici_kv_str(&b, "key2", "value2");
	s2s_vici_section_end(&b);
	s2s_vici_list_start(&b, "list1");
	s2s_vici_list_item(&b, "item1", 5);
	s2s_vici_list_item(&b, "item2", 5);
	s2s_vici_list_end(&b);
	s2s_vici_section_end(&b);
	return s2s_vici_finish(&b);
}

static void test_build_matches_spec(void **state)
{
	uint8_t buf[256];
	int len;

	(void)state;
	len = build_doc(buf, sizeof(buf));
	assert_int_equal(len, 4 + 1 + sizeof(doc_msg));
	assert_int_equal(sizeof(doc_msg), 77);
	assert_memory_equal(buf, "\0\0\0\x4e", 4);	/* type + message */
	assert_int_equal(buf[4], S2S_VICI_CMD_RESPONSE);
	assert_memory_equal(buf + 5, doc_msg, sizeof(doc_msg));
}

static void test_build_named(void **state)
{
	struct s2s_vici_builder b;
	uint8_t buf[64];

	(void)state;
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_EVENT_REGISTER,
		       "child-updown");
	assert_int_equal(s2s_vici_finish(&b), 4 + 2 + 12);
	assert_memory_equal(buf, "\0\0\0\x0e\x03\x0c" "child-updown", 18);
	/* no message in a registration */
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_EVENT_REGISTER, "x");
	s2s_vici_kv_str(&b, "k", "v");
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
}

static void test_build_errors(void **state)
{
	struct s2s_vici_builder b;
	char name[300];
	uint8_t buf[256];
	int i;

	(void)state;
	/* too small: every size short of the frame fails, none overflows */
	for (i = 0; i < 4 + 1 + (int)sizeof(doc_msg); i++) {
		memset(buf, 0xee, sizeof(buf));
		assert_int_equal(build_doc(buf, (size_t)i), -ENOSPC);
		assert_int_equal(buf[i], 0xee);
	}
	/* unbalanced */
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST, "c");
	s2s_vici_section_start(&b, "s");
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST, "c");
	s2s_vici_section_end(&b);
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST, "c");
	s2s_vici_list_start(&b, "l");
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
	/* grammar: no key in a list, no item outside, no nested list */
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST, "c");
	s2s_vici_list_start(&b, "l");
	s2s_vici_kv_str(&b, "k", "v");
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST, "c");
	s2s_vici_list_item(&b, "i", 1);
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST, "c");
	s2s_vici_list_start(&b, "l");
	s2s_vici_list_start(&b, "m");
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
	/* names over 255 bytes, bad type, too deep */
	memset(name, 'n', sizeof(name));
	name[256] = '\0';
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST, name);
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
	s2s_vici_begin(&b, buf, sizeof(buf), 8, "x");
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST, "c");
	for (i = 0; i <= S2S_VICI_DEPTH_MAX; i++)
		s2s_vici_section_start(&b, "s");
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
}

static void test_build_value_limits(void **state)
{
	struct s2s_vici_builder b;
	size_t cap = 70000;
	uint8_t *buf = malloc(cap), *val = calloc(1, 65536);

	(void)state;
	assert_non_null(buf);
	assert_non_null(val);
	s2s_vici_begin(&b, buf, cap, S2S_VICI_CMD_REQUEST, "c");
	s2s_vici_kv(&b, "k", val, 65535);
	/* header, type, name "c", element, key "k", length, value */
	assert_int_equal(s2s_vici_finish(&b), 4 + 1 + 2 + 1 + 2 + 2 + 65535);
	s2s_vici_begin(&b, buf, cap, S2S_VICI_CMD_REQUEST, "c");
	s2s_vici_kv(&b, "k", val, 65536);
	assert_int_equal(s2s_vici_finish(&b), -EINVAL);
	free(buf);
	free(val);
}

static void test_parse_doc(void **state)
{
	const struct s2s_vici_node *root, *sec, *sub, *list, *it;
	struct s2s_vici_tree t;
	char v[16];

	(void)state;
	assert_int_equal(s2s_vici_tree_parse(doc_msg, sizeof(doc_msg), &t), 0);
	root = s2s_vici_root(&t);
	assert_int_equal(s2s_vici_get_str(&t, root, "key1", v, sizeof(v)), 0);
	assert_string_equal(v, "value1");
	sec = s2s_vici_find(&t, root, S2S_VICI_NODE_SECTION, "section1");
	assert_non_null(sec);
	sub = s2s_vici_find(&t, sec, S2S_VICI_NODE_SECTION, "sub-section");
	assert_non_null(sub);
	assert_int_equal(s2s_vici_get_str(&t, sub, "key2", v, sizeof(v)), 0);
	assert_string_equal(v, "value2");
	/* keys are per section */
	assert_int_equal(s2s_vici_get_str(&t, root, "key2", v, sizeof(v)), -ENOENT);
	list = s2s_vici_find(&t, sec, S2S_VICI_NODE_LIST, "list1");
	assert_non_null(list);
	it = s2s_vici_first(&t, list);
	assert_int_equal(s2s_vici_str(it, v, sizeof(v)), 0);
	assert_string_equal(v, "item1");
	it = s2s_vici_next(&t, it);
	assert_int_equal(s2s_vici_str(it, v, sizeof(v)), 0);
	assert_string_equal(v, "item2");
	assert_null(s2s_vici_next(&t, it));
	assert_null(s2s_vici_next(&t, sec));
	/* a value that does not fit is an error, not a truncation */
	assert_int_equal(s2s_vici_str(it, v, 5), -ENAMETOOLONG);
	assert_string_equal(v, "");
	s2s_vici_tree_free(&t);
}

static void test_binary_values(void **state)
{
	static const uint8_t bin[] = { 0, 1, 0xff, 0 };
	const struct s2s_vici_node *n;
	struct s2s_vici_builder b;
	struct s2s_vici_packet p;
	struct s2s_vici_tree t;
	uint8_t buf[64];
	uint32_t u;
	char v[8];
	int len;

	(void)state;
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST, "cmd");
	s2s_vici_kv(&b, "bin", bin, sizeof(bin));
	s2s_vici_kv(&b, "empty", "", 0);
	s2s_vici_kv_u32(&b, "n", 4294967295u);
	len = s2s_vici_finish(&b);
	assert_true(len > 0);
	assert_int_equal(s2s_vici_packet_parse(buf + 4, (size_t)len - 4, &p), 0);
	assert_int_equal(p.type, S2S_VICI_CMD_REQUEST);
	assert_string_equal(p.name, "cmd");
	assert_int_equal(s2s_vici_tree_parse(p.msg, p.msg_len, &t), 0);
	n = s2s_vici_find(&t, s2s_vici_root(&t), S2S_VICI_NODE_KV, "bin");
	assert_non_null(n);
	assert_int_equal(n->val_len, sizeof(bin));
	assert_memory_equal(n->val, bin, sizeof(bin));
	/* binary is not text */
	assert_int_equal(s2s_vici_str(n, v, sizeof(v)), -EINVAL);
	assert_int_equal(s2s_vici_get_str(&t, s2s_vici_root(&t), "empty", v, sizeof(v)), 0);
	assert_string_equal(v, "");
	assert_int_equal(s2s_vici_get_u32(&t, s2s_vici_root(&t), "n", 10, &u), 0);
	assert_int_equal(u, 4294967295u);
	assert_int_equal(s2s_vici_get_u32(&t, s2s_vici_root(&t), "empty", 10, &u), -EINVAL);
	assert_int_equal(s2s_vici_get_u32(&t, s2s_vici_root(&t), "bin", 10, &u), -EINVAL);
	s2s_vici_tree_free(&t);
}

static int parse(const void *msg, size_t len)
{
	/* a copy of exactly @len bytes: a read past it is caught by ASan
	 * or valgrind, not hidden by neighbouring data
	 */
	uint8_t *copy = calloc(1, len ? len : 1);
	struct s2s_vici_tree t;
	int err;

	assert_non_null(copy);
	if (len)
		memcpy(copy, msg, len);
	err = s2s_vici_tree_parse(copy, len, &t);
	s2s_vici_tree_free(&t);
	free(copy);
	return err;
}

#define PARSE(...) ({ static const uint8_t m_[] = { __VA_ARGS__ }; \
		      parse(m_, sizeof(m_)); })

static void test_parse_malformed(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(parse("", 0), 0);			/* empty is valid */
	assert_int_equal(PARSE(0), -EBADMSG);			/* element 0 */
	assert_int_equal(PARSE(7), -EBADMSG);			/* element 7 */
	assert_int_equal(PARSE(1), -EBADMSG);			/* no name length */
	assert_int_equal(PARSE(1, 3, 'a'), -EBADMSG);		/* short name */
	assert_int_equal(PARSE(1, 1, 'a'), -EBADMSG);		/* section left open */
	assert_int_equal(PARSE(2), -EBADMSG);			/* end without start */
	assert_int_equal(PARSE(3, 1, 'k'), -EBADMSG);		/* no value length */
	assert_int_equal(PARSE(3, 1, 'k', 0), -EBADMSG);	/* half value length */
	assert_int_equal(PARSE(3, 1, 'k', 0, 2, 'v'), -EBADMSG); /* short value */
	assert_int_equal(PARSE(3, 1, 'k', 0xff, 0xff), -EBADMSG);
	assert_int_equal(PARSE(5, 0, 1, 'i'), -EBADMSG);	/* item outside list */
	assert_int_equal(PARSE(6), -EBADMSG);			/* list end outside */
	assert_int_equal(PARSE(4, 1, 'l'), -EBADMSG);		/* list left open */
	assert_int_equal(PARSE(4, 1, 'l', 4, 1, 'm', 6, 6), -EBADMSG); /* nested */
	assert_int_equal(PARSE(4, 1, 'l', 3, 1, 'k', 0, 0, 6), -EBADMSG);
	assert_int_equal(PARSE(4, 1, 'l', 1, 1, 's', 2, 6), -EBADMSG);
	assert_int_equal(PARSE(4, 1, 'l', 2), -EBADMSG);	/* section end in list */
	assert_int_equal(PARSE(4, 1, 'l', 5, 0), -EBADMSG);	/* item half length */
	assert_int_equal(PARSE(4, 1, 'l', 5, 0, 3, 'a'), -EBADMSG);
	assert_int_equal(PARSE(4, 1, 'l', 5, 0, 0, 6), 0);
	assert_int_equal(PARSE(4, 1, 'l', 6), 0);		/* empty list */
	/* every strict prefix of a valid message is rejected or valid,
	 * never read past
	 */
	for (i = 0; i < sizeof(doc_msg); i++) {
		int err = parse(doc_msg, i);

		assert_true(err == 0 || err == -EBADMSG);
	}
	assert_int_equal(parse(doc_msg, sizeof(doc_msg)), 0);
}

static void test_parse_depth(void **state)
{
	uint8_t m[4 * (S2S_VICI_DEPTH_MAX + 2)];
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < S2S_VICI_DEPTH_MAX; i++) {
		m[n++] = 1; m[n++] = 1; m[n++] = 's';
	}
	for (i = 0; i < S2S_VICI_DEPTH_MAX; i++)
		m[n++] = 2;
	assert_int_equal(parse(m, n), 0);
	n = 0;
	for (i = 0; i <= S2S_VICI_DEPTH_MAX; i++) {
		m[n++] = 1; m[n++] = 1; m[n++] = 's';
	}
	for (i = 0; i <= S2S_VICI_DEPTH_MAX; i++)
		m[n++] = 2;
	assert_int_equal(parse(m, n), -E2BIG);
	/* a list at the deepest section level still fits */
	n = 0;
	for (i = 0; i < S2S_VICI_DEPTH_MAX; i++) {
		m[n++] = 1; m[n++] = 1; m[n++] = 's';
	}
	m[n++] = 4; m[n++] = 1; m[n++] = 'l'; m[n++] = 6;
	for (i = 0; i < S2S_VICI_DEPTH_MAX; i++)
		m[n++] = 2;
	assert_int_equal(parse(m, n), 0);
}

static void test_parse_node_limit(void **state)
{
	size_t n = (S2S_VICI_NODES_MAX + 1) * 3 + 2, i;
	uint8_t *m = malloc(n);

	(void)state;
	assert_non_null(m);
	/* one list with more items than nodes allowed */
	m[0] = 4; m[1] = 0;
	for (i = 2; i + 3 <= n; i += 3) {
		m[i] = 5; m[i + 1] = 0; m[i + 2] = 0;
	}
	assert_int_equal(parse(m, i), -E2BIG);
	free(m);
}

static void test_packet_parse(void **state)
{
	struct s2s_vici_packet p;

	(void)state;
	assert_int_equal(s2s_vici_packet_parse("", 0, &p), -EBADMSG);
	assert_int_equal(s2s_vici_packet_parse("\x08", 1, &p), -EBADMSG);
	assert_int_equal(s2s_vici_packet_parse("\x05", 1, &p), 0);
	assert_int_equal(p.type, S2S_VICI_EVENT_CONFIRM);
	assert_null(p.msg);
	/* unnamed types without message carry nothing else */
	assert_int_equal(s2s_vici_packet_parse("\x05x", 2, &p), -EBADMSG);
	assert_int_equal(s2s_vici_packet_parse("\x02", 1, &p), 0);
	assert_int_equal(s2s_vici_packet_parse("\x01", 1, &p), 0);
	assert_int_equal(p.msg_len, 0);
	/* named: name length present and within the packet */
	assert_int_equal(s2s_vici_packet_parse("\x07", 1, &p), -EBADMSG);
	assert_int_equal(s2s_vici_packet_parse("\x07\x05" "abc", 5, &p), -EBADMSG);
	assert_int_equal(s2s_vici_packet_parse("\x07\x03" "a\0c", 5, &p), -EBADMSG);
	assert_int_equal(s2s_vici_packet_parse("\x07\x03" "abc\x02", 6, &p), 0);
	assert_string_equal(p.name, "abc");
	assert_int_equal(p.msg_len, 1);
	assert_int_equal(p.msg[0], 2);
	assert_int_equal(s2s_vici_packet_parse("\x03\x01" "ab", 4, &p), -EBADMSG);
}

static void feed(struct s2s_vici_rx *rx, const uint8_t *p, size_t n)
{
	uint8_t *dst;
	size_t room;

	while (n) {
		size_t k;

		assert_int_equal(s2s_vici_rx_space(rx, &dst, &room), 0);
		assert_true(room > 0);
		k = n < room ? n : room;
		memcpy(dst, p, k);
		s2s_vici_rx_commit(rx, k);
		p += k;
		n -= k;
	}
}

static void test_rx_partial(void **state)
{
	struct s2s_vici_rx rx = { 0 };
	uint8_t two[2 * 9], *big;
	const uint8_t *pkt;
	size_t len, i, blen = 100000;

	(void)state;
	memcpy(two, "\0\0\0\x05\x07\x02" "ab\x02" "\0\0\0\x05\x07\x02" "cd\x02", 18);
	/* byte by byte: nothing until the frame is complete */
	for (i = 0; i < 8; i++) {
		feed(&rx, two + i, 1);
		assert_int_equal(s2s_vici_rx_frame(&rx, &pkt, &len), 0);
	}
	feed(&rx, two + 8, 10);	/* rest of first + all of second */
	assert_int_equal(s2s_vici_rx_frame(&rx, &pkt, &len), 1);
	assert_int_equal(len, 5);
	assert_memory_equal(pkt, "\x07\x02" "ab", 4);
	s2s_vici_rx_consume(&rx, len);
	assert_int_equal(s2s_vici_rx_frame(&rx, &pkt, &len), 1);
	assert_memory_equal(pkt, "\x07\x02" "cd", 4);
	s2s_vici_rx_consume(&rx, len);
	assert_int_equal(s2s_vici_rx_frame(&rx, &pkt, &len), 0);
	/* a frame larger than the first buffer grows it */
	big = calloc(1, blen + 4);
	assert_non_null(big);
	big[1] = (uint8_t)(blen >> 16);
	big[2] = (uint8_t)(blen >> 8);
	big[3] = (uint8_t)blen;
	big[4] = S2S_VICI_CMD_RESPONSE;
	feed(&rx, big, blen + 4);
	assert_int_equal(s2s_vici_rx_frame(&rx, &pkt, &len), 1);
	assert_int_equal(len, blen);
	s2s_vici_rx_consume(&rx, len);
	free(big);
	s2s_vici_rx_free(&rx);
}

static void test_rx_bad_frames(void **state)
{
	struct s2s_vici_rx rx = { 0 };
	const uint8_t *pkt;
	uint8_t *dst;
	size_t len, room;

	(void)state;
	feed(&rx, (const uint8_t *)"\0\x08\0\x01", 4);	/* 512 KiB + 1 */
	assert_int_equal(s2s_vici_rx_frame(&rx, &pkt, &len), -EMSGSIZE);
	assert_int_equal(s2s_vici_rx_space(&rx, &dst, &room), -EMSGSIZE);
	s2s_vici_rx_free(&rx);
	feed(&rx, (const uint8_t *)"\0\x08\0\0", 4);	/* exactly 512 KiB */
	assert_int_equal(s2s_vici_rx_frame(&rx, &pkt, &len), 0);
	assert_int_equal(s2s_vici_rx_space(&rx, &dst, &room), 0);
	assert_int_equal(room, S2S_VICI_FRAME_MAX);
	s2s_vici_rx_free(&rx);
	feed(&rx, (const uint8_t *)"\0\0\0\0", 4);
	assert_int_equal(s2s_vici_rx_frame(&rx, &pkt, &len), -EBADMSG);
	s2s_vici_rx_free(&rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_matches_spec),
		cmocka_unit_test(test_build_named),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_build_value_limits),
		cmocka_unit_test(test_parse_doc),
		cmocka_unit_test(test_binary_values),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_depth),
		cmocka_unit_test(test_parse_node_limit),
		cmocka_unit_test(test_packet_parse),
		cmocka_unit_test(test_rx_partial),
		cmocka_unit_test(test_rx_bad_frames),
	};

	return cmocka_run_group_tests_name("vici", tests, NULL, NULL);
}
