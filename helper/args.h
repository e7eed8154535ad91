/* SPDX-License-Identifier: GPL-2.0 */
/* Scanning command-line words: numbers and switches, strictly (no
 * trailing garbage, no sign, no octal surprise: "010" is ten).
 */
#ifndef S2S_HELPER_ARGS_H
#define S2S_HELPER_ARGS_H

#include <stdbool.h>
#include <stdint.h>

int s2s_hex_digit(char c);
int s2s_arg_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out);
int s2s_arg_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out);
int s2s_arg_onoff(const char *text, bool *out);

#endif /* S2S_HELPER_ARGS_H */
