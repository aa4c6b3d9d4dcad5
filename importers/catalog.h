/* catalog.h -- reputed-import --catalog: the known public lists, printed. */
#ifndef REPUTED_CATALOG_H
#define REPUTED_CATALOG_H

#include <stdio.h>

#include "config.h"

/*
 * Print every list of cat on out: aligned columns (name, provider,
 * format, refresh, min-refresh, terms) under a header, or with json a
 * JSON array of objects with every value of each list. 0, -ENOMEM, or
 * -EIO when out cannot be written.
 */
int	catalog_print(const struct cfg_catalog *cat, int json, FILE *out);

#endif
