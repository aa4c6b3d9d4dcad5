/* index_vec.c -- payload pools and interval vectors used while building. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

/* ---- building: payload pool and interval vectors ---- */

int
pool_init(struct pool *p)
{
	memset(p, 0, sizeof(*p));
	if ((p->buf = malloc(4096)) == NULL)
		return -ENOMEM;
	p->cap = 4096;
	p->buf[0] = 0;
	p->len = 1;
	return 0;
}

size_t
payload_size(const uint8_t *p)
{
	return 1 + (size_t)p[0] * SCHEMA_HIT_SIZE;
}

int
pay_eq(const struct pool *p, uint32_t a, uint32_t b)
{
	return a == b || (p->buf[a] == p->buf[b] &&
	    memcmp(p->buf + a, p->buf + b, payload_size(p->buf + a)) == 0);
}

/* Add a payload, reusing the newest one when equal; 0 or -ENOMEM. */
int
pool_add(struct pool *p, const uint8_t *pay, uint32_t *off)
{
	size_t sz = payload_size(pay), cap;
	uint8_t *tmp;

	if (pay[0] == 0) {
		*off = 0;
		return 0;
	}
	if (p->buf[p->last] == pay[0] &&
	    memcmp(p->buf + p->last, pay, sz) == 0) {
		*off = (uint32_t)p->last;
		return 0;
	}
	if (p->len + sz > p->cap) {
		for (cap = p->cap; cap < p->len + sz; cap *= 2)
			;
		if (cap > UINT32_MAX || (tmp = realloc(p->buf, cap)) == NULL)
			return -ENOMEM;
		p->buf = tmp;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, pay, sz);
	*off = (uint32_t)p->len;
	p->last = p->len;
	p->len += sz;
	return 0;
}

int
ivec_append(struct ivec *v, u128 start, uint32_t pay)
{
	size_t cap;
	void *a, *b;

	if (v->n == v->cap) {
		cap = v->cap ? v->cap * 2 : 1024;
		if ((a = realloc(v->start, cap * sizeof(*v->start))) == NULL)
			return -ENOMEM;
		v->start = a;
		if ((b = realloc(v->pay, cap * sizeof(*v->pay))) == NULL)
			return -ENOMEM;
		v->pay = b;
		v->cap = cap;
	}
	v->start[v->n] = start;
	v->pay[v->n] = pay;
	v->n++;
	return 0;
}

/* Append keeping the vector canonical: one interval per start, and no
 * two neighbours with equal payloads. */
int
ivec_push(struct ivec *v, const struct pool *p, u128 start, uint32_t pay)
{
	if (v->n > 0 && v->start[v->n - 1] == start) {
		v->pay[v->n - 1] = pay;
		if (v->n > 1 && pay_eq(p, v->pay[v->n - 2], pay))
			v->n--;
		return 0;
	}
	if (v->n > 0 && pay_eq(p, v->pay[v->n - 1], pay))
		return 0;
	return ivec_append(v, start, pay);
}

void
ivec_free(struct ivec *v)
{
	free(v->start);
	free(v->pay);
	memset(v, 0, sizeof(*v));
}

/* Index of the last interval starting at or before a; v->n > 0 and
 * v->start[0] <= a. */
size_t
ivec_find(const struct ivec *v, u128 a)
{
	size_t lo = 0, hi = v->n, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (v->start[mid] <= a)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}
