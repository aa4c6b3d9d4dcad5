/* answer_int.h -- what answer.c shares with answer_name.c; nobody else
 * includes it. */
#ifndef REPUTED_ANSWER_INT_H
#define REPUTED_ANSWER_INT_H

#include "answer.h"

/* The configured source behind a store id; *out is NULL if none. */
int	answer_source_of(struct answer_ctx *ctx, struct store_txn *t,
	    uint16_t id, const struct cfg_source **out);

/* Add a code, a TXT (both once), the RFC 5782 test point's answer. */
void	answer_add_code(struct answer *out, uint32_t code);
void	answer_add_txt(struct answer *out, const char *txt);
void	answer_set_test_point(struct answer *out, unsigned flags);

/* The TXT of a listing source as, from its template and entry e, with
 * subject (the address queried, or the name listed) for "$ip". */
void	answer_add_source_txt(struct answer *out, const char *subject,
	    const struct answer_source *as, const struct store_entry *e);

#endif
