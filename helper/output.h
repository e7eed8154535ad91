/* SPDX-License-Identifier: GPL-2.0 */
/* What `s2sctl show` writes: one line per link, or one JSON array. */
#ifndef S2S_HELPER_OUTPUT_H
#define S2S_HELPER_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "link.h"

int s2s_output_links(FILE *f, const struct s2s_link_list *list, bool json);

#endif /* S2S_HELPER_OUTPUT_H */
