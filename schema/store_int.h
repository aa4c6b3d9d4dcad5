/* store_int.h -- what store.c and index.c share; not for other modules. */
#ifndef REPUTED_STORE_INT_H
#define REPUTED_STORE_INT_H

#include <lmdb.h>

#include "schema.h"
#include "store.h"

/* Above this many changed prefixes in one family and one transaction,
 * the index of that family is rebuilt in one sweep instead of per range. */
#define STORE_DIRTY_MAX		256

struct store {
	MDB_env		*env;
	MDB_dbi		 meta, entries, sources, source_ids;
	MDB_dbi		 history, history_by_entry;
	MDB_dbi		 index[2];	/* [0] IPv4, [1] IPv6 */
	uint32_t	 found_version;
	int		 rdonly;
};

struct store_count {
	uint16_t	id;
	int64_t		delta;
};

/* A read txn's copy of the chunk directory of one family: the chunks'
 * last addresses and where their values are in the map. Valid while the
 * txn sees snapshot txnid (values of a snapshot stay put while it is read). */
struct index_dir {
	int		  built;
	unsigned	  family;
	size_t		  txnid;
	size_t		  n;
	void		 *last;		/* u32 (IPv4) or u128 array */
	const void	**data;
	size_t		 *size;
};

struct store_txn {
	struct store		*st;
	MDB_txn			*txn;
	int			 write;
	MDB_cursor		*lookup[2];	/* index cursors, lazily opened */
	struct index_dir	 dir[2];	/* read txns: chunk directories */
	/* Write transactions: what store_txn_commit() must bring up to date. */
	struct rp_cidr		*dirty;
	size_t			 ndirty, dirty_cap;
	int			 full[2];	/* rebuild the whole family */
	size_t			 nfam[2];	/* dirty prefixes per family */
	struct store_count	*counts;
	size_t			 ncounts;
	int			 changed;
	uint64_t		 next_seq;	/* 0: not looked up yet */
};

/* LMDB result to 0 / negative errno; the only place LMDB codes are read. */
int	store_errno(int mdb_rc);

static inline int
store_family_slot(unsigned family)
{
	return family == RP_AF_INET ? 0 : 1;
}

/* store_source.c: write s whole, its entry count included. */
int	source_write(struct store_txn *t, const struct store_source *s);
/* store_entry.c: count one more (+1) or one less (-1) entry of a source. */
int	store_count_add(struct store_txn *t, uint16_t id, int delta);
/* The ids of every source, ascending, malloc'd. */
int	store_source_ids(struct store_txn *t, uint16_t **ids, size_t *n);

/* index.c */
int	index_lookup(struct store_txn *t, const struct rp_addr *a,
	    struct store_hit *hits, size_t max, size_t *n);
/* Bring the index up to date for the prefixes changed in t. */
int	index_update(struct store_txn *t);
/* Compare the stored index of a family with one rebuilt from entries. */
int	index_verify(struct store_txn *t, unsigned family,
	    void (*report)(const char *msg, void *), void *arg);
void	index_dir_free(struct index_dir *d);
int	index_count(struct store_txn *t, unsigned family, uint64_t *intervals,
	    uint64_t *chunks);

#endif
