/* guard.h -- a clear last word when reading a damaged store faults. */
#ifndef REPUTED_GUARD_H
#define REPUTED_GUARD_H

#include <stddef.h>

/*
 * LMDB has no checksums: a store damaged behind its back (a bad copy, a
 * disk error) can make reading the map fault. After the store is open,
 * call this once with the map's range (store_map_range()): a SIGBUS or
 * SIGSEGV at an address inside it then prints one line naming the store
 * and what to do, and exits with status 2 instead of dumping core. Any
 * other fault is a bug and keeps its default action (a core dump).
 * prog and store_path are copied.
 */
void	guard_store_faults(const char *prog, const char *store_path,
	    const void *map, size_t map_len);

#endif
