/* SPDX-License-Identifier: GPL-2.0 */
/* What `s2sctl show` and `s2sctl sa show` write: text blocks, or one
 * JSON array.
 */
#ifndef S2S_HELPER_OUTPUT_H
#define S2S_HELPER_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "link.h"
#include "sa.h"

int s2s_output_links(FILE *f, const struct s2s_link_list *links,
		     const struct s2s_sa_list *sas, bool json);
int s2s_output_sas(FILE *f, const struct s2s_link_list *links,
		   const struct s2s_sa_list *sas, bool json);

#endif /* S2S_HELPER_OUTPUT_H */
