/* catalog.c -- print the catalog of public lists as a table or as JSON. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <jansson.h>

#include "catalog.h"

/* The columns of the table; terms come last and are not cut. */
enum { COL_NAME, COL_PROVIDER, COL_FORMAT, COL_REFRESH, COL_MIN, NCOLS };

static const char *const catalog_heads[NCOLS] = {
	"NAME", "PROVIDER", "FORMAT", "REFRESH", "MIN"
};

/* The text of one cell; dur is a buffer for durations. */
static const char *
catalog_cell(const struct cfg_list *l, int col, char *dur, size_t len)
{
	switch (col) {
	case COL_NAME:
		return l->name;
	case COL_PROVIDER:
		return l->provider ? l->provider : "-";
	case COL_FORMAT:
		return l->src.format ? l->src.format : "plain";
	case COL_REFRESH:
		return cfg_duration_str(l->src.refresh, dur, len);
	default:
		return l->min_refresh ? cfg_duration_str(l->min_refresh, dur,
		    len) : "-";
	}
}

static void
catalog_row(FILE *out, const int *w, const char *const *cells,
    const char *terms)
{
	int c;

	for (c = 0; c < NCOLS; c++)
		fprintf(out, "%-*s  ", w[c], cells[c]);
	fprintf(out, "%s\n", terms);
}

static int
catalog_text(const struct cfg_catalog *cat, FILE *out)
{
	const char *cells[NCOLS];
	char dur[NCOLS][32];
	int w[NCOLS], c, n;
	size_t i;

	for (c = 0; c < NCOLS; c++)
		w[c] = (int)strlen(catalog_heads[c]);
	for (i = 0; i < cat->nlists; i++)
		for (c = 0; c < NCOLS; c++) {
			n = (int)strlen(catalog_cell(&cat->lists[i], c,
			    dur[c], sizeof(dur[c])));
			w[c] = n > w[c] ? n : w[c];
		}
	catalog_row(out, w, catalog_heads, "TERMS");
	for (i = 0; i < cat->nlists; i++) {
		for (c = 0; c < NCOLS; c++)
			cells[c] = catalog_cell(&cat->lists[i], c, dur[c],
			    sizeof(dur[c]));
		catalog_row(out, w, cells, cat->lists[i].terms ?
		    cat->lists[i].terms : "-");
	}
	fprintf(out, "\n%zu lists in %s. Use one with:\n"
	    "  [source NAME]\n  catalog = NAME\n", cat->nlists, cat->path);
	return ferror(out) ? -EIO : 0;
}

/* One list with every value a source would take from it. */
static json_t *
catalog_json_list(const struct cfg_list *l)
{
	char code[INET_ADDRSTRLEN], ref[32], min[32];
	const struct cfg_source *s = &l->src;

	inet_ntop(AF_INET, &s->code, code, sizeof(code));
	return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:s, s:s, "
	    "s:b, s:s?, s:s?, s:i, s:i, s:f, s:f}",
	    "name", l->name, "provider", l->provider,
	    "description", l->description, "url", s->url,
	    "format", s->format,
	    "refresh", cfg_duration_str(s->refresh, ref, sizeof(ref)),
	    "min_refresh", cfg_duration_str(l->min_refresh, min, sizeof(min)),
	    "code", code, "contact_required", l->contact_required,
	    "txt", s->txt, "terms", l->terms,
	    "max_prefix4", (int)s->max_prefix4,
	    "max_prefix6", (int)s->max_prefix6,
	    "max_rejected", s->max_rejected, "max_shrink", s->max_shrink);
}

static int
catalog_json(const struct cfg_catalog *cat, FILE *out)
{
	json_t *arr = json_array(), *o;
	size_t i;
	int rc = 0;

	for (i = 0; arr != NULL && i < cat->nlists && rc == 0; i++)
		if ((o = catalog_json_list(&cat->lists[i])) == NULL ||
		    json_array_append_new(arr, o) != 0)
			rc = -ENOMEM;
	if (arr == NULL)
		return -ENOMEM;
	if (rc == 0 && (json_dumpf(arr, out, JSON_INDENT(2)) != 0 ||
	    fputc('\n', out) == EOF))
		rc = -EIO;
	json_decref(arr);
	return rc;
}

int
catalog_print(const struct cfg_catalog *cat, int json, FILE *out)
{
	return json ? catalog_json(cat, out) : catalog_text(cat, out);
}
