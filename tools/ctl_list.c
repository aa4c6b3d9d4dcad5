/* ctl_list.c -- reputectl list add|del: manual entries of a source,
 * written in one transaction with their history event. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

/* What `list add` or `list del` is asked to do, and what it did. */
struct ctl_list_op {
	int			 add;
	const struct cfg_source	*src;
	struct rp_cidr		 prefix;
	int			 exclude;	/* "!PREFIX" */
	int64_t			 duration;	/* --expires; 0: never */
	struct store_entry	 e;		/* the entry written/removed */
	int			 inserted;
	int			 was_manual;
};

/* --expires: list add only, a positive duration. */
static int
ctl_list_expires(const struct ctl *ctl, struct ctl_list_op *op)
{
	if (ctl->expires == NULL)
		return 0;
	if (!op->add) {
		log_warnx("list del: --expires is for list add only");
		return -EINVAL;
	}
	if (cfg_parse_duration(ctl->expires, &op->duration) != 0 ||
	    op->duration <= 0) {
		log_warnx("--expires %s: not a duration such as 30d",
		    ctl->expires);
		return -EINVAL;
	}
	return 0;
}

/* The [!]PREFIX of list add|del into op; errors printed. */
static int
ctl_list_prefix(struct ctl_list_op *op, const char *p)
{
	char buf[RP_CIDR_STRLEN];
	int host_bits;

	if ((op->exclude = *p == '!') != 0)
		p++;
	if (cidr_parse_listing(p, &op->prefix, &host_bits) != 0) {
		log_warnx("%s: not an address, a CIDR prefix, an ASN "
		    "(AS64496) or a country (CC:XX)", p);
		return -EINVAL;
	}
	/* The answers pass over such an entry (answer.h): refuse it
	 * rather than store one that does nothing. */
	if (op->add && op->exclude &&
	    op->prefix.addr.family != RP_AF_INET &&
	    op->prefix.addr.family != RP_AF_INET6) {
		log_warnx("!%s: an ASN or a country cannot be excluded; "
		    "exclude addresses (!PREFIX) or list del it", p);
		return -EINVAL;
	}
	/* A typo in the length must not list a wider range than meant. */
	if (host_bits) {
		log_warnx("%s: host bits set past the length (prefix %s?)",
		    p, cidr_str(&op->prefix, buf));
		return -EINVAL;
	}
	return 0;
}

/* "list add|del [!]PREFIX" and its options into op; errors printed. */
static int
ctl_list_parse(const struct ctl *ctl, struct ctl_list_op *op)
{
	const char *verb = ctl->argv[1];

	memset(op, 0, sizeof(*op));
	op->add = strcmp(verb, "add") == 0;
	if (!op->add && strcmp(verb, "del") != 0) {
		log_warnx("list %s: say list add or list del", verb);
		return -EINVAL;
	}
	if (ctl->source == NULL || ctl->reason == NULL ||
	    ctl->reason[0] == '\0') {
		log_warnx("list %s needs --source NAME and --reason TEXT",
		    verb);
		return -EINVAL;
	}
	if ((op->src = cfg_source_find(ctl->cfg, ctl->source)) == NULL) {
		log_warnx("no source %s in %s", ctl->source, ctl->conf);
		return -EINVAL;
	}
	if (ctl_list_expires(ctl, op) != 0)
		return -EINVAL;
	return ctl_list_prefix(op, ctl->argv[2]);
}

/* Write the manual entry, keeping what an existing one had first. */
static int
ctl_list_add(const struct ctl *ctl, struct store_txn *t, uint16_t id,
    struct ctl_list_op *op)
{
	struct store_entry old;
	size_t rlen = strlen(ctl->reason);
	int rc;

	memset(&op->e, 0, sizeof(op->e));
	op->e.first_seen = ctl->now;
	if ((rc = store_entry_get(t, id, &op->prefix, &old)) == 0) {
		op->was_manual = (old.flags & STORE_F_MANUAL) != 0;
		if (old.first_seen != 0)
			op->e.first_seen = old.first_seen;
		if ((old.flags & STORE_F_CODE) && !op->exclude) {
			op->e.flags |= STORE_F_CODE;
			op->e.code = old.code;
		}
	} else if (rc != -ENOENT)
		return rc;
	op->e.prefix = op->prefix;
	op->e.source_id = id;
	op->e.flags |= STORE_F_MANUAL | (op->exclude ? STORE_F_EXCLUDE : 0);
	op->e.last_seen = ctl->now;
	op->e.expires = op->duration != 0 ? ctl->now + op->duration : 0;
	op->e.reason = ctl->reason;
	op->e.reason_len = rlen;
	if ((rc = store_entry_put(t, &op->e, &op->inserted)) != 0)
		return rc;
	return store_history_add(t, STORE_EV_MANUAL_ADD, id, &op->prefix,
	    ctl->reason, rlen, ctl->now);
}

/* Remove the entry; -ENOENT or -EEXIST (wrong kind) are printed. */
static int
ctl_list_del(const struct ctl *ctl, struct store_txn *t, uint16_t id,
    struct ctl_list_op *op)
{
	char buf[CTL_PREFIX_LEN], plain[RP_CIDR_STRLEN];
	int rc, excl;

	if ((rc = store_entry_get(t, id, &op->prefix, &op->e)) == -ENOENT) {
		log_warnx("%s: no entry %s%s", op->src->name,
		    op->exclude ? "!" : "", cidr_str(&op->prefix, plain));
		return rc;
	}
	if (rc != 0)
		return rc;
	op->e.reason = NULL;	/* it goes with the entry */
	op->e.reason_len = 0;
	op->was_manual = (op->e.flags & STORE_F_MANUAL) != 0;
	excl = (op->e.flags & STORE_F_EXCLUDE) != 0;
	if (excl != op->exclude) {
		log_warnx("%s: %s is %s: write %s", op->src->name,
		    cidr_str(&op->prefix, plain), excl ? "an exclusion" :
		    "a listing, not an exclusion", ctl_entry_prefix(&op->e,
		    buf));
		return -EEXIST;
	}
	if ((rc = store_entry_del(t, id, &op->prefix)) != 0)
		return rc;
	return store_history_add(t, STORE_EV_MANUAL_DEL, id, &op->prefix,
	    ctl->reason, strlen(ctl->reason), ctl->now);
}

static void
ctl_list_text(const struct ctl_list_op *op)
{
	char buf[CTL_PREFIX_LEN], tb[CTL_TIME_LEN];
	const char *p = ctl_entry_prefix(&op->e, buf);

	if (!op->add) {
		printf("%s: removed %s\n", op->src->name, p);
		/* An import brings an imported prefix back; say how not. */
		if (!op->was_manual && op->src->url != NULL &&
		    !op->exclude)
			printf("note: the next import of %s lists %s again if "
			    "its list still has it; `list add !%s` keeps it "
			    "out\n", op->src->name, p, p);
		return;
	}
	printf("%s: %s %s (manual %s, %s%s)\n", op->src->name,
	    op->inserted ? "added" : "updated", p,
	    op->exclude ? "exclusion" : "listing",
	    op->e.expires != 0 ? "expires " : "never expires",
	    ctl_time(op->e.expires, "", tb));
}

/* An ASN or a country listing answers only with its database. */
static void
ctl_list_geo_note(const struct ctl *ctl, const struct ctl_list_op *op)
{
	char buf[RP_CIDR_STRLEN];
	unsigned fam = op->prefix.addr.family;

	if (!op->add || op->exclude)
		return;
	if ((fam == RP_AF_ASN && ctl->cfg->geoip.asn_db == NULL) ||
	    (fam == RP_AF_COUNTRY && ctl->cfg->geoip.country_db == NULL))
		printf("note: %s has no %s in [geoip]: no zone answers for "
		    "%s until one is set\n", ctl->conf, fam == RP_AF_ASN ?
		    "asn-db" : "country-db", cidr_str(&op->prefix, buf));
}

static int
ctl_list_json(const struct ctl *ctl, const struct ctl_list_op *op)
{
	const char *action = !op->add ? "removed" :
	    op->inserted ? "added" : "updated";

	return ctl_json_print(json_pack("{s:s, s:s, s:o, s:b, s:b, s:o, "
	    "s:s}", "source", op->src->name, "action", action,
	    "prefix", ctl_json_prefix(&op->prefix), "exclusion", op->exclude,
	    "manual", op->add || op->was_manual,
	    "expires", ctl_json_time(op->add ? op->e.expires : 0),
	    "reason", ctl->reason));
}

/* list add|del PREFIX --source NAME --reason TEXT [--expires DUR] */
int
ctl_list(struct ctl *ctl)
{
	struct ctl_list_op op;
	struct store_source s;
	struct store_txn *t = NULL;
	int rc;

	if (ctl_list_parse(ctl, &op) != 0)
		return CTL_ERR;
	/* A manual source may need a store before any import made one. */
	if (ctl_open_store(ctl, op.add ? STORE_CREATE : 0) != 0)
		return CTL_ERR;
	if ((rc = store_txn_begin(ctl->st, 1, &t)) != 0 ||
	    (rc = store_source_ensure(t, op.src->name, &s)) != 0)
		goto fail;
	rc = op.add ? ctl_list_add(ctl, t, s.id, &op) :
	    ctl_list_del(ctl, t, s.id, &op);
	if (rc == -ENOENT || rc == -EEXIST) {
		store_txn_abort(t);	/* already said why */
		return CTL_ERR;
	}
	if (rc != 0)
		goto fail;
	rc = store_txn_commit(t);
	t = NULL;
	if (rc != 0)
		goto fail;
	if (ctl->json)
		return ctl_list_json(ctl, &op) == 0 ? CTL_OK : CTL_ERR;
	ctl_list_text(&op);
	ctl_list_geo_note(ctl, &op);
	return CTL_OK;
fail:
	store_txn_abort(t);
	log_warnx("list %s: %s", ctl->argv[1], store_strerror(rc));
	return CTL_ERR;
}
