/* SPDX-License-Identifier: GPL-2.0 */
/* Trace events of s2s: what the data path decided, for when a figure
 * (throughput, the share of packets handed off) needs explaining and a
 * counter only gives its sum. Off, each costs a static branch.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM s2s

#if !defined(_S2S_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _S2S_TRACE_H

#include <linux/tracepoint.h>

/* One CPU's load window ended (parallel.c, s2s_par_saturated_handoff()):
 * what it carried (packets that entered s2s on the CPU, any link and
 * direction), how idle the CPU was, whether it was learned from, and
 * ran_handoff, whether it handed off because the CPU was saturated (the
 * crypto-share rule may have handed packets off in any window). saturated
 * and handoff are the same for the window that begins now. The rates are
 * each way's average packets per jiffy of a saturated window, times 16.
 */
TRACE_EVENT(s2s_par_window,
	TP_PROTO(unsigned long elapsed, unsigned int packets, u64 idle_us,
		 bool learned, bool ran_handoff, bool saturated,
		 bool handoff, const unsigned int *sat_rate),
	TP_ARGS(elapsed, packets, idle_us, learned, ran_handoff, saturated,
		handoff, sat_rate),
	TP_STRUCT__entry(
		__field(unsigned long, elapsed_jiffies)
		__field(u64, idle_us)
		__field(unsigned int, packets)
		__field(unsigned int, rate_inline)
		__field(unsigned int, rate_handoff)
		__field(bool, learned)
		__field(bool, ran_handoff)
		__field(bool, saturated)
		__field(bool, handoff)
	),
	TP_fast_assign(
		__entry->elapsed_jiffies = elapsed;
		__entry->packets = packets;
		__entry->idle_us = idle_us;
		__entry->learned = learned;
		__entry->ran_handoff = ran_handoff;
		__entry->saturated = saturated;
		__entry->handoff = handoff;
		__entry->rate_inline = sat_rate[0];
		__entry->rate_handoff = sat_rate[1];
	),
	TP_printk("elapsed_jiffies=%lu packets=%u idle_us=%llu learned=%d ran_handoff=%d saturated=%d handoff=%d rate_inline=%u rate_handoff=%u",
		  __entry->elapsed_jiffies, __entry->packets, __entry->idle_us,
		  __entry->learned, __entry->ran_handoff, __entry->saturated,
		  __entry->handoff, __entry->rate_inline,
		  __entry->rate_handoff)
);

#endif /* _S2S_TRACE_H */

/* Outside the guard: define_trace.h reads this file again. The path is
 * searched in the include directories, module/ among them (Kbuild).
 */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE s2s_trace
#include <trace/define_trace.h>
