// SPDX-License-Identifier: GPL-2.0
/* Crypto spread over CPUs, packets transmitted and delivered in order.
 *
 * On a busy link one core doing the crypto of every packet is the limit of
 * the tunnel. Once the inline crypto of one direction of a link took more
 * than a quarter of the current jiffy, that direction's next packets join
 * its ordered queue and are handed round robin to per-CPU workers on the
 * other CPUs, which encrypt or decrypt them. When the packet at the head of
 * the queue is done, every done packet from the head on is finished
 * (transmitted, or checked against the replay window and delivered) on the
 * CPU the packets came from: the
 * peer receives our ESP in sequence order, and our LAN receives the peer's
 * packets in the order they arrived, which TCP inside wants.
 *
 * The same may happen whenever the CPU the packets come from was saturated
 * (idle for less than an eighth of the last few jiffies): small packets
 * then fill a core with the rest of their path long before their crypto
 * alone reaches a quarter of it, and taking the crypto off it frees part
 * of it, unless the hand-off costs that CPU more than the crypto did. The
 * CPU tries both ways and keeps the one that carried more packets.
 *
 * A quiet link does its crypto inline: handing a packet to another CPU
 * costs latency that only pays when a core is full. For measurement and
 * tests, /sys/kernel/debug/s2s/parallel overrides the choice for every
 * link: 0 auto (default), 1 never hand off, 2 always (with two CPUs or
 * more). Packets already queued are finished in order whatever it says.
 */

#include <crypto/aead.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/ptr_ring.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/tick.h>

#include "compat/compat.h"
#include "esp.h"
#include "parallel.h"
#include "s2s.h"
#include "sa.h"

#define CREATE_TRACE_POINTS
#include "s2s_trace.h"

/* Share of a CPU (1/S2S_PAR_SHARE) the inline crypto of one direction of a
 * link may take before its packets go to the workers: measured as time, so
 * that it holds for any cipher, packet size and CPU. A quarter: with
 * senders, both gateways and receivers on two vCPUs (make bench) it gained
 * the most TCP of a half, a quarter and an eighth, and small-packet rates
 * and latency did not suffer (design.rst).
 */
#define S2S_PAR_SHARE		4
/* A CPU counts as saturated when it was idle for less than
 * 1/S2S_PAR_IDLE_SHARE of the last load window, S2S_PAR_LOAD_WINDOW
 * jiffies (20 ms at HZ=250): long enough that one jiffy's burst does not
 * count, short enough that a flood is handed off within a few
 * milliseconds. An eighth: a sending process that never blocks, with the
 * path under it, leaves its CPU idle less than that, while a
 * request/response exchange or a ping, waiting for each answer, leaves
 * it idle more; measured in design.rst.
 */
#define S2S_PAR_IDLE_SHARE	8
#define S2S_PAR_LOAD_WINDOW	5
/* Whether a saturated CPU gains by handing off depends on what its crypto
 * costs against what a hand-off costs it, which differs by cipher, packet
 * size and machine: under TCG it gained small packets a fifth to two
 * fifths on one host and lost them a sixth on another (design.rst). So a
 * saturated CPU measures it: every S2S_PAR_PROBE-th saturated load window
 * runs the other way from the one that carried more packets, and each way
 * keeps an average of the packets a saturated window carried.
 */
#define S2S_PAR_PROBE		8
/* Packets waiting for each CPU's worker; when full, the sender does the
 * crypto itself. Short on purpose: every packet queued here is latency a
 * busy tunnel adds to everything it carries, and a full ring is what puts
 * the sender's CPU to work on crypto too (design.rst, ring size).
 */
#define S2S_PAR_RING_SIZE	128
/* How far back a packet may be queued to restore sequence order. */
#define S2S_PAR_SORT		8
/* Packets one worker processes before it lets others run. */
#define S2S_PAR_BATCH		64
/* Packets a worker completes before it has them finished: the first of
 * them waits for the crypto of the rest, bounded by this.
 */
#define S2S_PAR_DONE_RUN	8
/* skb cb crypt_err of a packet whose crypto has not completed */
#define S2S_CRYPT_PENDING	1

/**
 * struct s2s_crypt_cpu - one CPU's share of the crypto
 * @ring: packets of any link and direction; producers are the transmit and
 *	receive paths (BHs off), the consumer is @work
 * @work: runs the crypto of what @ring holds, on this CPU
 * @active: bit 0 set from when a producer queues @work until the worker,
 *	having cleared it, finds @ring empty: a busy worker takes what is
 *	produced meanwhile, and producers skip queue_work_on() (a pool lock
 *	per packet otherwise, once the worker runs and its pending bit is
 *	clear)
 * @packets: packets @work has taken from @ring since the module was
 *	loaded, whatever came of their crypto; written by @work only (a work
 *	item never runs twice at once), read by debugfs s2s/workers
 * @inline_async: crypto calls of packets processed inline on this CPU (not
 *	by a worker) that the driver completed asynchronously, since the
 *	module was loaded; this_cpu_inc() by the transmit and receive paths,
 *	read by debugfs s2s/workers
 * @load_start: jiffies when this CPU's current load window began
 * @load_idle_us: the CPU's idle and iowait time, in microseconds since
 *	boot, at @load_start
 * @load_packets: packets of any link and direction this CPU's transmit and
 *	receive paths took through s2s_par_wanted() since @load_start
 * @saturated: whether this CPU was idle for less than its share
 *	(S2S_PAR_IDLE_SHARE) of the last load window
 * @sat_handoff: whether, while @saturated, this CPU hands its packets off
 *	in the current load window
 * @sat_rate: per way a saturated window ran (0 inline, 1 handed off), the
 *	average packets per jiffy of such windows, times 16; 0 until measured
 * @saturated_windows: load windows judged saturated since the module was
 *	loaded, read by debugfs s2s/workers
 * @sat_handoff_windows: of those, the windows that followed in which the
 *	CPU handed off, read by debugfs s2s/workers
 *
 * @load_start to @sat_handoff_windows are written only on their own CPU,
 * by the transmit and receive paths with BHs off, which keeps out every
 * other writer.
 *
 * Why @inline_async is worth seeing: on kernels where kernel_fpu_begin()
 * leaves softirqs enabled (6.1), a softirq that interrupts a kernel FPU
 * section finds SIMD unusable, and the AES-NI wrapper queues the request
 * to cryptd, as it does every atomic-context request after it while
 * cryptd holds any. The crypto then runs in cryptd's kworker on the same
 * CPU, and s2s_par_inline_done() cannot time it for the hand-off.
 */
struct s2s_crypt_cpu {
	struct ptr_ring ring;
	struct work_struct work;
	unsigned long active;
	unsigned long packets;
	unsigned long inline_async;
	unsigned long load_start;
	u64 load_idle_us;
	unsigned int load_packets;
	bool saturated;
	bool sat_handoff;
	unsigned int sat_rate[2];
	unsigned long saturated_windows;
	unsigned long sat_handoff_windows;
};

static struct s2s_crypt_cpu __percpu *s2s_crypt_cpus;
static struct workqueue_struct *s2s_crypt_wq;

/* For measurement and tests, not configuration: debugfs s2s/parallel. */
enum s2s_par_mode {
	S2S_PAR_AUTO,	/* hand off past S2S_PAR_SHARE (default) */
	S2S_PAR_OFF,	/* never hand off */
	S2S_PAR_ON,	/* always hand off when more than one CPU is online */
};

static u32 s2s_par_mode = S2S_PAR_AUTO;
static struct dentry *s2s_debugfs;

static void s2s_cryptq_flush_work(struct work_struct *work);

/**
 * s2s_cryptq_init() - set up one direction's queue of a link
 * @q: queue, in the link's private state
 * @s2s: the link
 */
void s2s_cryptq_init(struct s2s_cryptq *q, struct s2s_dev *s2s)
{
	q->link = s2s;
	skb_queue_head_init(&q->ordered);
	INIT_WORK(&q->flush_work, s2s_cryptq_flush_work);
	q->next_cpu = -1;
}

/* A saturated load window that ran @way (0 inline, 1 handed off) carried
 * @packets in @elapsed jiffies: fold it into that way's average, a
 * quarter weight, so that a change of traffic shows within a few probes.
 */
static void s2s_par_sat_learn(struct s2s_crypt_cpu *c, bool way,
			      unsigned int packets, unsigned long elapsed)
{
	unsigned int rate = packets * 16 / elapsed;
	unsigned int *avg = &c->sat_rate[way];

	*avg = *avg ? *avg - *avg / 4 + rate / 4 : rate;
}

/* Whether this CPU hands its packets off because it is saturated: judged
 * once a load window, from the idle time the tick code keeps (the
 * kernel's own reading, the one /proc/stat shows), so that a packet costs
 * a jiffies comparison. A window that ended long before the packet says
 * nothing about now: a link that was quiet for a while starts inline.
 * Without that idle time (nohz=off) only the crypto's share decides.
 *
 * A window that began saturated measures the way it ran, whether or not
 * it ended so (handing off may be what gave the CPU idle time); the next
 * saturated window runs the way that carried more packets, or, every
 * S2S_PAR_PROBE-th, the other way. Handing off goes first, and a tie keeps
 * it: it wins where the crypto is dear.
 */
static bool s2s_par_saturated_handoff(void)
{
	struct s2s_crypt_cpu *c = this_cpu_ptr(s2s_crypt_cpus);
	unsigned long now = jiffies, elapsed = now - c->load_start;
	bool was_saturated = c->saturated, fresh, learned, ran_handoff, best;
	u64 idle, iowait;
	int cpu;

	lockdep_assert_once(in_softirq());
	if (elapsed < S2S_PAR_LOAD_WINDOW)
		return c->saturated && c->sat_handoff;
	cpu = smp_processor_id();
	idle = get_cpu_idle_time_us(cpu, NULL);
	iowait = get_cpu_iowait_time_us(cpu, NULL);
	if (idle == (u64)-1 || iowait == (u64)-1) {
		c->saturated = false;
		return false;
	}
	idle += iowait;
	/* The window just ended, not a quiet spell since an old one. */
	fresh = elapsed < 2 * S2S_PAR_LOAD_WINDOW;
	c->saturated = fresh && (idle - c->load_idle_us) * S2S_PAR_IDLE_SHARE <
				jiffies_to_usecs(elapsed);
	learned = was_saturated && fresh;
	ran_handoff = was_saturated && c->sat_handoff;
	if (learned)
		s2s_par_sat_learn(c, ran_handoff, c->load_packets, elapsed);
	if (c->saturated) {
		WRITE_ONCE(c->saturated_windows, c->saturated_windows + 1);
		best = c->sat_rate[1] >= c->sat_rate[0];
		c->sat_handoff = c->saturated_windows % S2S_PAR_PROBE ?
				 best : !best;
		if (c->sat_handoff)
			WRITE_ONCE(c->sat_handoff_windows,
				   c->sat_handoff_windows + 1);
	}
	trace_s2s_par_window(elapsed, c->load_packets, idle - c->load_idle_us,
			     learned, ran_handoff, c->saturated,
			     c->saturated && c->sat_handoff, c->sat_rate);
	c->load_start = now;
	c->load_idle_us = idle;
	c->load_packets = 0;
	return c->saturated && c->sat_handoff;
}

/**
 * s2s_par_wanted() - whether the next packet goes to the workers
 * @q: the queue of the link and direction
 *
 * Context: transmit or receive path (BHs off).
 *
 * Return: true while packets are queued or being finished from the queue
 * (an inline packet would overtake them), once inline crypto took more
 * than its share of the current jiffy, and while this CPU is saturated.
 */
bool s2s_par_wanted(struct s2s_cryptq *q)
{
	u32 mode = READ_ONCE(s2s_par_mode);
	unsigned long now = jiffies;
	bool auto_mode, saturated;

	/* What a saturated load window carried, whichever way it went. */
	this_cpu_inc(s2s_crypt_cpus->load_packets);
	/* Every packet may close its CPU's load window, also one that goes
	 * to the queue for any other reason: a window that ran handed off
	 * mostly sees packets the queue takes anyway, and judged only by the
	 * others it would end long overdue, neither measured nor saturated.
	 */
	auto_mode = mode == S2S_PAR_AUTO && num_online_cpus() > 1;
	saturated = auto_mode && s2s_par_saturated_handoff();
	if (!skb_queue_empty_lockless(&q->ordered))
		return true;
	/* A flusher takes the bit before it empties the queue. */
	smp_rmb();
	if (test_bit(0, &q->flushing))
		return true;
	if (!auto_mode)
		return mode == S2S_PAR_ON && num_online_cpus() > 1;
	if (READ_ONCE(q->window) != now) {
		WRITE_ONCE(q->window, now);
		WRITE_ONCE(q->busy_ns, 0);
	} else if (READ_ONCE(q->busy_ns) > TICK_NSEC / S2S_PAR_SHARE) {
		return true;
	}
	return saturated;
}

/**
 * s2s_par_inline_done() - account the crypto call of an inline packet
 * @q: the queue of the link and direction
 * @start: local_clock() before the call
 * @err: what the call returned
 *
 * Context: transmit or receive path (BHs off).
 */
void s2s_par_inline_done(struct s2s_cryptq *q, u64 start, int err)
{
	WRITE_ONCE(q->busy_ns, READ_ONCE(q->busy_ns) + local_clock() - start);
	if (err == -EINPROGRESS)
		this_cpu_inc(s2s_crypt_cpus->inline_async);
}

static struct s2s_cryptq *s2s_cryptq_of(const struct sk_buff *skb)
{
	struct s2s_sa *sa = S2S_SKB_CB(skb)->sa;

	return sa->dir == S2S_DIR_OUT ? &sa->s2s->txq : &sa->s2s->rxq;
}

static bool s2s_cryptq_done(const struct sk_buff *skb)
{
	/* Pairs with the release in s2s_par_complete(): the crypto's
	 * writes to the packet are visible to whoever finishes it.
	 */
	return smp_load_acquire(&S2S_SKB_CB(skb)->crypt_err) !=
	       S2S_CRYPT_PENDING;
}

/* Whether @skb (NULL: any packet) heads the queue, done. */
static bool s2s_cryptq_head_done(struct s2s_cryptq *q,
				 const struct sk_buff *skb)
{
	struct sk_buff *head;
	bool done;

	spin_lock(&q->ordered.lock);
	head = skb_peek(&q->ordered);
	done = head && (!skb || head == skb) && s2s_cryptq_done(head);
	spin_unlock(&q->ordered.lock);
	return done;
}

static void s2s_cryptq_finish(struct sk_buff *skb)
{
	int err = S2S_SKB_CB(skb)->crypt_err;

	if (S2S_SKB_CB(skb)->sa->dir == S2S_DIR_OUT)
		s2s_send_finish(skb, err);
	else
		s2s_receive_finish(skb, err);
}

/* Finish every done packet from the head of the queue on. One context at a
 * time does it (the flushing bit), without holding a lock while finishing;
 * a packet that reaches the head done while the bit is taken is seen by the
 * holder's last look at the head. BHs off.
 */
static void s2s_cryptq_flush(struct s2s_cryptq *q)
{
	struct sk_buff_head done;
	struct sk_buff *skb;

	__skb_queue_head_init(&done);
	do {
		if (test_and_set_bit_lock(0, &q->flushing))
			return;
		for (;;) {
			spin_lock(&q->ordered.lock);
			while ((skb = skb_peek(&q->ordered)) &&
			       s2s_cryptq_done(skb)) {
				__skb_unlink(skb, &q->ordered);
				__skb_queue_tail(&done, skb);
			}
			spin_unlock(&q->ordered.lock);
			if (skb_queue_empty(&done))
				break;
			while ((skb = __skb_dequeue(&done)))
				s2s_cryptq_finish(skb);
		}
		clear_bit_unlock(0, &q->flushing);
		/* Pairs with the completion's look at the head: either it
		 * finds the bit clear, or this finds its packet.
		 */
		smp_mb__after_atomic();
	} while (s2s_cryptq_head_done(q, NULL));
}

static void s2s_cryptq_flush_work(struct work_struct *work)
{
	struct s2s_cryptq *q = container_of(work, struct s2s_cryptq,
					    flush_work);

	local_bh_disable();
	s2s_cryptq_flush(q);
	local_bh_enable();
	/* The reference taken when this was queued kept the link. */
	s2s_dev_crypto_put(q->link);
}

/* The crypto of a queued packet ended with @err. */
static void s2s_par_mark_done(struct sk_buff *skb, int err)
{
	/* Publishes the packet's new contents with its result (pairs with
	 * s2s_cryptq_done()): from here on another CPU's flush may finish
	 * and free it.
	 */
	smp_store_release(&S2S_SKB_CB(skb)->crypt_err, err);
}

/* Finish the head of @q if it is done, on the CPU the packets came from.
 * The caller holds a crypto reference on the link. BHs off.
 */
static void s2s_cryptq_finish_head(struct s2s_cryptq *q)
{
	int cpu = READ_ONCE(q->home_cpu);

	if (cpu == smp_processor_id() || !cpu_online(cpu)) {
		s2s_cryptq_flush(q);
	} else {
		s2s_dev_crypto_get(q->link);
		if (!queue_work_on(cpu, s2s_crypt_wq, &q->flush_work))
			s2s_dev_crypto_put(q->link);
	}
}

/* A packet's crypto completed asynchronously. Only the packet at the head
 * starts a flush: one behind it leaves with the flush its head starts.
 * BHs off.
 */
static void s2s_par_complete(struct sk_buff *skb, int err)
{
	struct s2s_cryptq *q = s2s_cryptq_of(skb);

	s2s_par_mark_done(skb, err);
	if (s2s_cryptq_head_done(q, skb))
		s2s_cryptq_finish_head(q);
	/* The packet may be gone already; the link is not, until this. */
	s2s_dev_crypto_put(q->link);
}

static void s2s_par_done(s2s_crypto_done_arg arg, int err)
{
	struct sk_buff *skb = s2s_crypto_done_data(arg);

	local_bh_disable();
	s2s_par_complete(skb, err);
	local_bh_enable();
}

/* Run the crypto of a queued packet. Return its result, or -EINPROGRESS
 * when s2s_par_done() will have it.
 */
static int s2s_par_crypt_call(struct sk_buff *skb)
{
	struct s2s_skb_cb *cb = S2S_SKB_CB(skb);

	return s2s_esp_crypt(&cb->sa->crypto, cb->req,
			     cb->sa->dir == S2S_DIR_OUT);
}

static void s2s_par_crypt_one(struct sk_buff *skb)
{
	int err = s2s_par_crypt_call(skb);

	if (err == -EINPROGRESS)
		return;
	local_bh_disable();
	s2s_par_complete(skb, err);
	local_bh_enable();
}

/**
 * struct s2s_par_done_run - packets a worker completed for one queue and
 *	has not yet told it about
 * @q: the queue, or NULL
 * @refs: crypto references on @q's link the packets hold
 *
 * A worker looks at the head of a queue once per run of packets rather
 * than once per packet: finishing on the home CPU takes a work item there,
 * and one per packet costs that CPU a context switch per packet.
 */
struct s2s_par_done_run {
	struct s2s_cryptq *q;
	unsigned int refs;
};

static void s2s_par_done_run_end(struct s2s_par_done_run *run)
{
	if (!run->q)
		return;
	local_bh_disable();
	if (s2s_cryptq_head_done(run->q, NULL))
		s2s_cryptq_finish_head(run->q);
	local_bh_enable();
	/* Packets may be gone already; the link is not, until this. */
	s2s_dev_crypto_put_many(run->q->link, run->refs);
	run->q = NULL;
	run->refs = 0;
}

static void s2s_crypt_work(struct work_struct *work)
{
	struct s2s_crypt_cpu *c = container_of(work, struct s2s_crypt_cpu,
					       work);
	struct s2s_par_done_run run = {};
	unsigned int n = 0, taken = 0;
	struct s2s_cryptq *q;
	struct sk_buff *skb;
	int err;

	for (;;) {
		while ((skb = ptr_ring_consume_bh(&c->ring))) {
			q = s2s_cryptq_of(skb);
			err = s2s_par_crypt_call(skb);
			if (err != -EINPROGRESS) {
				if (run.q != q)
					s2s_par_done_run_end(&run);
				run.q = q;
				run.refs++;
				s2s_par_mark_done(skb, err);
				if (run.refs == S2S_PAR_DONE_RUN)
					s2s_par_done_run_end(&run);
			}
			taken++;
			if (!(++n % S2S_PAR_BATCH)) {
				s2s_par_done_run_end(&run);
				WRITE_ONCE(c->packets, c->packets + taken);
				taken = 0;
				cond_resched();
			}
		}
		s2s_par_done_run_end(&run);
		WRITE_ONCE(c->packets, c->packets + taken);
		taken = 0;
		clear_bit(0, &c->active);
		/* Pairs with the producer's test_and_set_bit() after its
		 * produce: either it sees the bit clear and queues this
		 * work again, or this sees its packet.
		 */
		smp_mb__after_atomic();
		if (ptr_ring_empty_bh(&c->ring) ||
		    test_and_set_bit(0, &c->active))
			break;
	}
}

/* @c holds a new packet: have its worker run, unless it is running. */
static void s2s_crypt_kick(struct s2s_crypt_cpu *c, int cpu)
{
	if (!test_and_set_bit(0, &c->active))
		queue_work_on(cpu, s2s_crypt_wq, &c->work);
}

/* Queue @skb in sequence order. Two CPUs sending on one link take
 * sequence numbers and then queue their packets: the later number may be
 * queued first, by a packet or two. Received packets are queued as they
 * came, unless they came just out of order. Caller holds the queue's lock.
 */
static void s2s_cryptq_insert(struct s2s_cryptq *q, struct sk_buff *skb)
{
	u64 seq = S2S_SKB_CB(skb)->seq;
	struct sk_buff *prev;
	int i;

	lockdep_assert_held(&q->ordered.lock);
	prev = skb_peek_tail(&q->ordered);

	for (i = 0; prev && i < S2S_PAR_SORT; i++) {
		if (S2S_SKB_CB(prev)->seq <= seq)
			break;
		prev = skb_queue_is_first(&q->ordered, prev) ? NULL :
		       skb_queue_prev(&q->ordered, prev);
	}
	if (i == S2S_PAR_SORT)
		__skb_queue_tail(&q->ordered, skb);	/* too far: as it came */
	else if (prev)
		__skb_queue_after(&q->ordered, prev, skb);
	else
		__skb_queue_head(&q->ordered, skb);
}

/* Round robin over the online CPUs but this one, which has the rest of the
 * packet's path to run.
 */
static int s2s_par_next_cpu(struct s2s_cryptq *q, int self)
{
	int cpu = READ_ONCE(q->next_cpu);
	int i;

	for (i = 0; i < 2; i++) {
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
		if (cpu != self)
			break;
	}
	WRITE_ONCE(q->next_cpu, cpu);
	return cpu;
}

/**
 * s2s_par_crypt() - queue a packet and have a worker do its crypto
 * @s2s: link
 * @skb: packet ready for its crypto call, its cb complete but for
 *	crypt_err; consumed (s2s_send_finish() or s2s_receive_finish() end
 *	it, in order)
 * @req: its AEAD request
 *
 * Context: transmit or receive path (BHs off).
 */
void s2s_par_crypt(struct s2s_dev *s2s, struct sk_buff *skb,
		   struct aead_request *req)
{
	struct s2s_cryptq *q = s2s_cryptq_of(skb);
	int self = smp_processor_id();
	struct s2s_crypt_cpu *c;
	int cpu;

	s2s_dev_crypto_get(s2s);
	S2S_SKB_CB(skb)->crypt_err = S2S_CRYPT_PENDING;
	aead_request_set_callback(req, 0, s2s_par_done, skb);

	spin_lock(&q->ordered.lock);
	/* A busy period keeps the home it started on, wherever later
	 * packets come from: finishing on one CPU is what keeps the order.
	 */
	if (skb_queue_empty(&q->ordered) && !test_bit(0, &q->flushing))
		WRITE_ONCE(q->home_cpu, self);
	s2s_cryptq_insert(q, skb);
	spin_unlock(&q->ordered.lock);

	cpu = s2s_par_next_cpu(q, self);
	c = per_cpu_ptr(s2s_crypt_cpus, cpu);
	if (likely(!ptr_ring_produce(&c->ring, skb))) {
		s2s_crypt_kick(c, cpu);
		/* What the workers finished meanwhile leaves now, without
		 * waiting for flush_work behind this CPU's softirqs: that
		 * also bounds the queue to what the rings hold.
		 */
		if (self == READ_ONCE(q->home_cpu) &&
		    s2s_cryptq_head_done(q, NULL))
			s2s_cryptq_flush(q);
		return;
	}
	/* The workers are behind: doing the crypto here slows the sender to
	 * what the CPUs manage, and the queue still keeps the order.
	 */
	s2s_par_crypt_one(skb);
}

/* debugfs s2s/workers: "CPU PACKETS INLINE_ASYNC SATURATED_WINDOWS
 * SATURATED_HANDOFF_WINDOWS" per possible CPU, for tests and for seeing
 * whether crypto moved off a busy CPU, or went to the driver's own queue,
 * whether a CPU counted as saturated, and how often it then handed off
 * (struct s2s_crypt_cpu).
 */
static int s2s_workers_show(struct seq_file *m, void *unused)
{
	struct s2s_crypt_cpu *c;
	int cpu;

	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(s2s_crypt_cpus, cpu);
		seq_printf(m, "%d %lu %lu %lu %lu\n", cpu, READ_ONCE(c->packets),
			   READ_ONCE(c->inline_async),
			   READ_ONCE(c->saturated_windows),
			   READ_ONCE(c->sat_handoff_windows));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(s2s_workers);

/**
 * s2s_par_init() - create the crypto workers
 *
 * Return: 0 or -ENOMEM.
 */
int s2s_par_init(void)
{
	int cpu;

	/* crypt_err made the control block as large as it may be. */
	BUILD_BUG_ON(sizeof(struct s2s_skb_cb) > sizeof_field(struct sk_buff, cb));
	s2s_crypt_cpus = alloc_percpu(struct s2s_crypt_cpu);
	if (!s2s_crypt_cpus)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct s2s_crypt_cpu *c = per_cpu_ptr(s2s_crypt_cpus, cpu);

		INIT_WORK(&c->work, s2s_crypt_work);
		if (ptr_ring_init(&c->ring, S2S_PAR_RING_SIZE, GFP_KERNEL))
			goto err;
	}
	/* Per-CPU (bound) workers: the point is to use every CPU. */
	s2s_crypt_wq = alloc_workqueue("s2s_crypt",
				       WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0);
	if (!s2s_crypt_wq)
		goto err;
	/* Optional: without debugfs the mode stays auto. */
	s2s_debugfs = debugfs_create_dir("s2s", NULL);
	debugfs_create_u32("parallel", 0600, s2s_debugfs, &s2s_par_mode);
	debugfs_create_file("workers", 0400, s2s_debugfs, NULL,
			    &s2s_workers_fops);
	return 0;

err:
	for_each_possible_cpu(cpu)
		ptr_ring_cleanup(&per_cpu_ptr(s2s_crypt_cpus, cpu)->ring, NULL);
	free_percpu(s2s_crypt_cpus);
	return -ENOMEM;
}

/**
 * s2s_par_uninit() - destroy the workers
 *
 * Every link is gone, and with it every packet (s2s_dev_uninit() waits
 * for them).
 */
void s2s_par_uninit(void)
{
	int cpu;

	debugfs_remove_recursive(s2s_debugfs);
	destroy_workqueue(s2s_crypt_wq);
	for_each_possible_cpu(cpu) {
		struct ptr_ring *ring = &per_cpu_ptr(s2s_crypt_cpus, cpu)->ring;

		WARN_ON_ONCE(!__ptr_ring_empty(ring));
		ptr_ring_cleanup(ring, NULL);
	}
	free_percpu(s2s_crypt_cpus);
}
