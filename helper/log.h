/* SPDX-License-Identifier: GPL-2.0 */
/* s2sd's log: stderr in the foreground (with journald priorities when
 * stderr is the journal), syslog once daemonized.
 */
#ifndef S2S_HELPER_LOG_H
#define S2S_HELPER_LOG_H

#include <stdbool.h>
#include <syslog.h>

void s2s_log_init(const char *ident, bool to_syslog, bool verbose);
void s2s_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* S2S_HELPER_LOG_H */
