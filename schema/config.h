/* config.h -- the one INI configuration file read by all three programs. */
#ifndef REPUTED_CONFIG_H
#define REPUTED_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CFG_MAX_LISTEN	16
#define CFG_MAX_ZONE_SOURCES	64
#define CFG_MAX_NS	8
#define CFG_NAME_MAX	63	/* a source name: [A-Za-z0-9_.-]+ */
#define CFG_DNAME_MAX	253	/* a DNS name, no final dot */
#define CFG_REFRESH_MIN	300	/* seconds, the least refresh */

/* [server] */
struct cfg_server {
	char	*listen[CFG_MAX_LISTEN];	/* "addr:port", "[v6]:port" */
	size_t	 nlisten;
	char	*database;		/* LMDB environment directory */
	char	*user;			/* run user after binding, or NULL */
	uint32_t tcp_clients;		/* concurrent TCP connections */
	int64_t	 tcp_idle_timeout;	/* seconds a TCP client may idle */
};

/* [source NAME] */
struct cfg_source {
	char		*name;
	char		*url;		/* NULL: a manual source */
	char		*format;	/* "plain" */
	int64_t		 refresh;	/* seconds between two fetches */
	uint32_t	 code;		/* IPv4 A value, network byte order */
	char		*txt;		/* TXT template, see template.h */
	int64_t		 expire;	/* seconds; 0: remove when vanished */
	unsigned	 line;		/* where the section starts */
};

/* [zone NAME] */
struct cfg_zone {
	char		*name;		/* lower case, no trailing dot */
	char		*sources[CFG_MAX_ZONE_SOURCES];
	size_t		 nsources;
	uint32_t	 ttl;
	char		*soa_mname;	/* primary name server */
	char		*soa_rname;	/* mailbox, DNS form */
	char		*ns[CFG_MAX_NS];
	size_t		 nns;
	unsigned	 line;
};

struct cfg {
	char			*path;
	struct cfg_server	 server;
	struct cfg_source	*sources;
	size_t			 nsources;
	struct cfg_zone		*zones;
	size_t			 nzones;
};

/*
 * Read and validate path. On success (0) *out is yours: cfg_free() it.
 * On failure (-EINVAL, or -errno when the file cannot be read), every
 * problem has been written to err as one "file:line: message" line and
 * *out is NULL. A relative database path is taken relative to the
 * directory of the configuration file, and so is the path of a url
 * written "file:PATH" (no "//"), stored as an absolute "file:///PATH".
 * err may be NULL.
 */
int	cfg_load(struct cfg **out, const char *path, FILE *err);
void	cfg_free(struct cfg *cfg);

/* Find a source or a zone by name; NULL when there is none. */
const struct cfg_source	*cfg_source_find(const struct cfg *cfg,
			    const char *name);
const struct cfg_zone	*cfg_zone_find(const struct cfg *cfg,
			    const char *name);

/* Parse "90", "45s", "30m", "12h", "7d", "2w" into seconds. 0 or -EINVAL. */
int	cfg_parse_duration(const char *s, int64_t *out);

/* Print seconds back in the largest exact unit ("12h"). */
char	*cfg_duration_str(int64_t secs, char *buf, size_t len);

#endif
