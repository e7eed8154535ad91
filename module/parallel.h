/* SPDX-License-Identifier: GPL-2.0 */
/* Crypto spread over CPUs, packets delivered in order. */
#ifndef _S2S_PARALLEL_H
#define _S2S_PARALLEL_H

#include <linux/skbuff.h>
#include <linux/workqueue.h>

struct aead_request;
struct s2s_dev;

/**
 * struct s2s_cryptq - one direction of a link: packets between the start of
 *	their crypto and their finish (transmission, or delivery), when the
 *	crypto runs on other CPUs
 * @link: the link it belongs to
 * @ordered: packets in the order they arrived (for transmission: sequence
 *	order); the head leaves first, and only once its crypto is done. Its
 *	own spinlock, taken with BHs off.
 * @flushing: bit 0 set while one context finishes the head of @ordered; no
 *	lock is held meanwhile (the underlay may lead into another link)
 * @flush_work: finishes the head of @ordered on @home_cpu when its crypto
 *	completed elsewhere; holds a crypto reference on the link while queued
 * @home_cpu: CPU the first packet of the current busy period (queue not
 *	empty) came from: finished packets leave from it, as they would have
 *	without the workers, so that per-CPU queues further on (backlog, GRO
 *	cells, XPS) keep them in order. Written under the queue's lock, read
 *	with READ_ONCE().
 * @next_cpu: CPU that got the last packet (round robin)
 * @window: jiffy in which @busy_ns was spent
 * @busy_ns: time the crypto of packets processed inline took in @window
 *
 * @next_cpu, @window and @busy_ns are heuristics read and
 * written with READ_ONCE()/WRITE_ONCE() by concurrent senders without a
 * lock: a lost update only moves a decision by a packet.
 */
struct s2s_cryptq {
	struct s2s_dev *link;
	struct sk_buff_head ordered;
	unsigned long flushing;
	struct work_struct flush_work;
	int home_cpu;
	int next_cpu;
	unsigned long window;
	u64 busy_ns;
};

int s2s_par_init(void);
void s2s_par_uninit(void);

void s2s_cryptq_init(struct s2s_cryptq *q, struct s2s_dev *s2s);
bool s2s_par_wanted(struct s2s_cryptq *q);
void s2s_par_inline_done(struct s2s_cryptq *q, u64 start, int err);
void s2s_par_crypt(struct s2s_dev *s2s, struct sk_buff *skb,
		   struct aead_request *req);

#endif /* _S2S_PARALLEL_H */
