// SPDX-License-Identifier: GPL-2.0
/* What `s2sctl show` writes. */
#include <errno.h>
#include <json-c/json.h>

#include "output.h"

static int s2s_output_links_text(FILE *f, const struct s2s_link_list *list)
{
	char line[128];
	size_t i;

	for (i = 0; i < list->n; i++) {
		s2s_link_format(&list->links[i], line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	return 0;
}

static int s2s_output_links_json(FILE *f, const struct s2s_link_list *list)
{
	struct json_object *arr = json_object_new_array(), *obj;
	size_t i;

	if (!arr)
		return -ENOMEM;
	for (i = 0; i < list->n; i++) {
		obj = s2s_link_to_json(&list->links[i]);
		if (!obj || json_object_array_add(arr, obj)) {
			json_object_put(obj);
			json_object_put(arr);
			return -ENOMEM;
		}
	}
	fprintf(f, "%s\n", json_object_to_json_string_ext(arr,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	return 0;
}

/**
 * s2s_output_links() - print links as text lines or as a JSON array
 * @f: where to
 * @list: the links, in the kernel's order
 * @json: a JSON array of objects (see s2s_link_to_json()) instead of text
 *
 * Return: 0, -ENOMEM, or -EIO when @f failed.
 */
int s2s_output_links(FILE *f, const struct s2s_link_list *list, bool json)
{
	int err;

	err = json ? s2s_output_links_json(f, list)
		   : s2s_output_links_text(f, list);
	if (!err && (fflush(f) || ferror(f)))
		err = -EIO;
	return err;
}
