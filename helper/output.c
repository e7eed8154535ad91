// SPDX-License-Identifier: GPL-2.0
/* What `s2sctl show` and `s2sctl sa show` write. */
#include <errno.h>
#include <stdlib.h>
#include <json-c/json.h>

#include "output.h"

static const char *s2s_output_ifname(const struct s2s_link_list *links,
				     uint32_t ifindex)
{
	const struct s2s_link *link;

	link = links ? s2s_link_list_find_ifindex(links, ifindex) : NULL;
	return link ? link->ifname : NULL;
}

static int s2s_output_text_sas(FILE *f, const struct s2s_sa_list *sas,
			       const struct s2s_link_list *links,
			       const struct s2s_link *only)
{
	const char *indent = only ? "  " : "";
	const struct s2s_sa *sa;
	char *text;
	size_t i;

	text = malloc(S2S_SA_TEXT_MAX);
	if (!text)
		return -ENOMEM;
	for (i = 0; i < sas->n; i++) {
		sa = &sas->sas[i];
		if (only && sa->ifindex != only->ifindex)
			continue;
		s2s_sa_format(sa, only ? NULL : s2s_output_ifname(links, sa->ifindex),
			      indent, text, S2S_SA_TEXT_MAX);
		fprintf(f, "%s\n", text);
	}
	free(text);
	return 0;
}

static int s2s_output_links_text(FILE *f, const struct s2s_link_list *links,
				 const struct s2s_sa_list *sas)
{
	char text[S2S_LINK_TEXT_MAX];
	size_t i;
	int err;

	for (i = 0; i < links->n; i++) {
		s2s_link_format(&links->links[i], text, sizeof(text));
		/* multi-line blocks: a blank line between links */
		fprintf(f, "%s%s\n", i ? "\n" : "", text);
		if (!sas)
			continue;
		err = s2s_output_text_sas(f, sas, links, &links->links[i]);
		if (err)
			return err;
	}
	return 0;
}

static int s2s_output_print_json(FILE *f, struct json_object *arr)
{
	fprintf(f, "%s\n", json_object_to_json_string_ext(arr,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	return 0;
}

/* The SAs of @only (all when NULL) as a new JSON array. */
static struct json_object *s2s_output_sas_json(const struct s2s_sa_list *sas,
					       const struct s2s_link_list *links,
					       const struct s2s_link *only)
{
	struct json_object *arr = json_object_new_array(), *obj;
	const struct s2s_sa *sa;
	size_t i;

	for (i = 0; arr && i < sas->n; i++) {
		sa = &sas->sas[i];
		if (only && sa->ifindex != only->ifindex)
			continue;
		obj = s2s_sa_to_json(sa, s2s_output_ifname(links, sa->ifindex));
		if (!obj || json_object_array_add(arr, obj)) {
			json_object_put(obj);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static int s2s_output_links_json(FILE *f, const struct s2s_link_list *links,
				 const struct s2s_sa_list *sas)
{
	struct json_object *arr = json_object_new_array(), *obj, *list;
	size_t i;

	if (!arr)
		return -ENOMEM;
	for (i = 0; i < links->n; i++) {
		obj = s2s_link_to_json(&links->links[i]);
		list = sas ? s2s_output_sas_json(sas, links, &links->links[i]) : NULL;
		if (!obj || (sas && !list) || json_object_array_add(arr, obj)) {
			json_object_put(list);
			json_object_put(obj);
			json_object_put(arr);
			return -ENOMEM;
		}
		if (list)
			json_object_object_add(obj, "sas", list);
	}
	return s2s_output_print_json(f, arr);
}

static int s2s_output_done(FILE *f, int err)
{
	if (!err && (fflush(f) || ferror(f)))
		err = -EIO;
	return err;
}

/**
 * s2s_output_links() - print links (and their SAs) as text or JSON
 * @f: where to
 * @links: the links, in the kernel's order
 * @sas: SAs to show under their link (by ifindex), or NULL for none
 * @json: a JSON array of link objects (see s2s_link_to_json()), each
 *	with "sas": an array of SA objects (see s2s_sa_to_json()) when
 *	@sas is given
 *
 * Text: each link's block (s2s_link_format()), then its SAs indented
 * (s2s_sa_format()); a blank line between links.
 *
 * Return: 0, -ENOMEM, or -EIO when @f failed.
 */
int s2s_output_links(FILE *f, const struct s2s_link_list *links,
		     const struct s2s_sa_list *sas, bool json)
{
	return s2s_output_done(f, json ? s2s_output_links_json(f, links, sas)
				       : s2s_output_links_text(f, links, sas));
}

/**
 * s2s_output_sas() - print SAs as text or as a JSON array
 * @f: where to
 * @links: to name each SA's link, or NULL (ifindex only)
 * @sas: the SAs
 * @json: a JSON array of SA objects (see s2s_sa_to_json()) instead
 *
 * Text: each SA as s2s_sa_format() writes it, first line starting with
 * its link's name.
 *
 * Return: 0, -ENOMEM, or -EIO when @f failed.
 */
int s2s_output_sas(FILE *f, const struct s2s_link_list *links,
		   const struct s2s_sa_list *sas, bool json)
{
	struct json_object *arr;
	int err;

	if (json) {
		arr = s2s_output_sas_json(sas, links, NULL);
		err = arr ? s2s_output_print_json(f, arr) : -ENOMEM;
	} else {
		err = s2s_output_text_sas(f, sas, links, NULL);
	}
	return s2s_output_done(f, err);
}
