// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The proc files: /proc/net/cnxx, /proc/net/connector, /proc/net/cnxx_stats,
 * /proc/net/cnxx_proc.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static bool cnxx_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits off the next line of [*p, end); NULL at the end. */
static const char *cnxx_line(const char **p, const char *end, size_t *n)
{
	const char *line = *p;
	const char *nl;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', end - line);
	*n = (nl ? nl : end) - line;
	*p = nl ? nl + 1 : end;
	/* trailing blanks never belong to a field */
	while (*n && cnxx_blank(line[*n - 1]))
		(*n)--;
	return line;
}

/* A decimal number of @n digits, at most @max. */
static int cnxx_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return -EBADMSG;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int cnxx_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v;
	int ret = cnxx_uint(s, n, UINT32_MAX, &v);

	if (!ret)
		*out = (uint32_t)v;
	return ret;
}

static int cnxx_id(const char *s, size_t n, struct cb_id *id)
{
	const char *colon = memchr(s, ':', n);

	if (!colon)
		return -EBADMSG;
	if (cnxx_u32(s, colon - s, &id->idx) ||
	    cnxx_u32(colon + 1, n - (colon - s) - 1, &id->val))
		return -EBADMSG;
	return 0;
}

struct cnxx_field {
	const char *s;
	size_t n;
};

/*
 * Takes the last @count fields of the line [s, s + *n), last one first,
 * and shortens *n to what is left before them.
 */
static int cnxx_tail_fields(const char *s, size_t *n, struct cnxx_field *f,
			    size_t count)
{
	size_t end = *n;
	size_t i;

	for (i = 0; i < count; i++) {
		size_t start;

		while (end && cnxx_blank(s[end - 1]))
			end--;
		start = end;
		while (start && !cnxx_blank(s[start - 1]))
			start--;
		if (start == end)
			return -EBADMSG;
		f[i].s = s + start;
		f[i].n = end - start;
		end = start;
	}
	*n = end;
	return 0;
}

static void cnxx_copy_trimmed(char *dst, size_t size, const char *s, size_t n)
{
	while (n && cnxx_blank(*s)) {
		s++;
		n--;
	}
	while (n && cnxx_blank(s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int cnxx_cb_line(const char *s, size_t n, bool counters,
			bool replies, struct cnxx_cb_entry *e)
{
	/* last first: [replies_dropped,] send_errors .. id */
	struct cnxx_field f[6], *c;
	size_t nf = counters ? 5 + replies : 1;
	uint64_t group;

	memset(e, 0, sizeof(*e));
	if (cnxx_tail_fields(s, &n, f, nf) || cnxx_id(f[nf - 1].s,
						       f[nf - 1].n, &e->id))
		return -EBADMSG;
	if (counters) {
		c = f + (replies ? 1 : 0);
		if (cnxx_uint(c[3].s, c[3].n, UINT32_MAX, &group) ||
		    cnxx_uint(c[2].s, c[2].n, UINT64_MAX, &e->delivered) ||
		    cnxx_uint(c[1].s, c[1].n, UINT64_MAX, &e->dropped) ||
		    cnxx_uint(c[0].s, c[0].n, UINT64_MAX, &e->send_errors) ||
		    (replies && cnxx_uint(f[0].s, f[0].n, UINT64_MAX,
					  &e->replies_dropped)))
			return -EBADMSG;
		e->group = (uint32_t)group;
		e->has_counters = true;
	}
	cnxx_copy_trimmed(e->name, sizeof(e->name), s, n);
	return 0;
}

/* Appends @item to the array *@arr of *@count items, growing it. */
static int cnxx_append(void **arr, size_t *count, size_t *cap,
		       const void *item, size_t size)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *p = realloc(*arr, ncap * size);

		if (!p)
			return -ENOMEM;
		*arr = p;
		*cap = ncap;
	}
	memcpy((char *)*arr + *count * size, item, size);
	(*count)++;
	return 0;
}

static bool cnxx_contains(const char *s, size_t n, const char *word)
{
	size_t wn = strlen(word);
	size_t i;

	for (i = 0; i + wn <= n; i++)
		if (!memcmp(s + i, word, wn))
			return true;
	return false;
}

int cnxx_parse_callbacks(const char *text, size_t len,
			 struct cnxx_cb_entry **entries, size_t *count)
{
	const char *p = text, *end = text + len, *line;
	bool header = false, counters = false, replies = false;
	void *arr = NULL;
	size_t n, used = 0, cap = 0;
	struct cnxx_cb_entry e;
	int ret = 0;

	while ((line = cnxx_line(&p, end, &n))) {
		if (!n)
			continue;
		if (!header) {
			if (n < 4 || memcmp(line, "Name", 4)) {
				ret = -EBADMSG;
				break;
			}
			counters = cnxx_contains(line, n, "Delivered");
			replies = cnxx_contains(line, n, "RepliesDropped");
			header = true;
			continue;
		}
		ret = cnxx_cb_line(line, n, counters, replies, &e);
		if (!ret)
			ret = cnxx_append(&arr, &used, &cap, &e, sizeof(e));
		if (ret)
			break;
	}
	if (!ret && !header)
		ret = -EBADMSG;
	if (ret) {
		free(arr);
		return ret;
	}
	*entries = arr;
	*count = used;
	return 0;
}

int cnxx_parse_stats(const char *text, size_t len, struct cnxx_stat **stats,
		     size_t *count)
{
	const char *p = text, *end = text + len, *line;
	void *arr = NULL;
	size_t n, used = 0, cap = 0;
	struct cnxx_field f[2];	/* value, key */
	struct cnxx_stat st;
	int ret = 0;

	while ((line = cnxx_line(&p, end, &n))) {
		if (!n)
			continue;
		memset(&st, 0, sizeof(st));
		ret = cnxx_tail_fields(line, &n, f, 2);
		if (!ret)
			ret = cnxx_uint(f[0].s, f[0].n, UINT64_MAX, &st.value);
		/* nothing may precede the key */
		while (!ret && n && cnxx_blank(line[n - 1]))
			n--;
		if (!ret && n)
			ret = -EBADMSG;
		if (!ret) {
			cnxx_copy_trimmed(st.key, sizeof(st.key), f[1].s,
					  f[1].n);
			ret = cnxx_append(&arr, &used, &cap, &st, sizeof(st));
		}
		if (ret)
			break;
	}
	if (ret) {
		free(arr);
		return ret;
	}
	*stats = arr;
	*count = used;
	return 0;
}

int cnxx_stat_get(const struct cnxx_stat *stats, size_t count,
		  const char *key, uint64_t *value)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (!strcmp(stats[i].key, key)) {
			*value = stats[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

int cnxx_read_stat(const char *path, const char *key, uint64_t *value)
{
	struct cnxx_stat *stats = NULL;
	size_t len, count;
	char *text;
	int err;

	err = cnxx_read_file(path, &text, &len);
	if (err)
		return err;
	err = cnxx_parse_stats(text, len, &stats, &count);
	if (!err)
		err = cnxx_stat_get(stats, count, key, value);
	free(stats);
	free(text);
	return err;
}

/* Takes the first field of [*s, *s + *n) and moves past it. */
static bool cnxx_head_field(const char **s, size_t *n, struct cnxx_field *f)
{
	while (*n && cnxx_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	f->s = *s;
	while (*n && !cnxx_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	f->n = *s - f->s;
	return f->n != 0;
}

static bool cnxx_field_is(const struct cnxx_field *f, const char *word)
{
	return f->n == strlen(word) && !memcmp(f->s, word, f->n);
}

/* "EVENT HOOK SENT" or "EVENT - - (WHY)"; @s, @n: after EVENT. */
static int cnxx_proc_source_line(const char *s, size_t n,
				 struct cnxx_proc_source *src)
{
	struct cnxx_field hook, sent, rest;

	if (!cnxx_head_field(&s, &n, &hook) || !cnxx_head_field(&s, &n, &sent))
		return -EBADMSG;
	cnxx_copy_trimmed(src->hook, sizeof(src->hook), hook.s, hook.n);
	if (cnxx_field_is(&sent, "-")) {
		/* the reason, in parentheses, may hold blanks */
		if (!cnxx_field_is(&hook, "-") ||
		    !cnxx_head_field(&s, &n, &rest) || rest.s[0] != '(' ||
		    s[n - 1] != ')')
			return -EBADMSG;
		src->available = false;
		return 0;
	}
	src->available = true;
	if (cnxx_head_field(&s, &n, &rest))
		return -EBADMSG;
	return cnxx_uint(sent.s, sent.n, UINT64_MAX, &src->sent);
}

static int cnxx_int64(const struct cnxx_field *f, int64_t *out)
{
	bool neg = f->n && f->s[0] == '-';
	uint64_t v;

	if (cnxx_uint(f->s + neg, f->n - neg, (uint64_t)INT64_MAX, &v))
		return -EBADMSG;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int cnxx_parse_proc_status(const char *text, size_t len,
			   struct cnxx_proc_status *status)
{
	const char *p = text, *end = text + len, *line;
	bool header = false, listeners = false, misses = false;
	struct cnxx_field key, value, rest;
	size_t n;
	int ret;

	memset(status, 0, sizeof(*status));
	while ((line = cnxx_line(&p, end, &n))) {
		if (!cnxx_head_field(&line, &n, &key))
			continue;
		if (!header) {
			if (!cnxx_field_is(&key, "Event"))
				return -EBADMSG;
			header = true;
			continue;
		}
		if (cnxx_field_is(&key, "listeners") ||
		    cnxx_field_is(&key, "probe_misses")) {
			if (!cnxx_head_field(&line, &n, &value) ||
			    cnxx_head_field(&line, &n, &rest))
				return -EBADMSG;
			if (key.s[0] == 'l') {
				ret = cnxx_int64(&value, &status->listeners);
				listeners = true;
			} else {
				ret = cnxx_uint(value.s, value.n, UINT64_MAX,
						&status->probe_misses);
				misses = true;
			}
			if (ret)
				return -EBADMSG;
			continue;
		}
		if (status->n_sources == CNXX_PROC_MAX_SOURCES)
			return -E2BIG;
		cnxx_copy_trimmed(status->sources[status->n_sources].event,
				  sizeof(status->sources[0].event), key.s,
				  key.n);
		ret = cnxx_proc_source_line(line, n,
					    &status->sources[status->n_sources]);
		if (ret)
			return ret;
		status->n_sources++;
	}
	return header && listeners && misses ? 0 : -EBADMSG;
}

int cnxx_read_proc_status(const char *path, struct cnxx_proc_status *status)
{
	size_t len;
	char *text;
	int err;

	err = cnxx_read_file(path, &text, &len);
	if (err)
		return err;
	err = cnxx_parse_proc_status(text, len, status);
	free(text);
	return err;
}

const struct cnxx_proc_source *
cnxx_proc_source_find(const struct cnxx_proc_status *status,
		      const char *event)
{
	size_t i;

	for (i = 0; i < status->n_sources; i++)
		if (!strcmp(status->sources[i].event, event))
			return &status->sources[i];
	return NULL;
}

int cnxx_read_file(const char *path, char **text, size_t *len)
{
	size_t used = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd, ret = 0;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto err_free;
	}
	/* proc files report size 0: read until EOF */
	for (;;) {
		if (cap - used < 2) {
			char *p = realloc(buf, cap * 2);

			if (!p) {
				ret = -ENOMEM;
				goto err_close;
			}
			buf = p;
			cap *= 2;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto err_close;
		}
		if (n == 0)
			break;
		used += n;
	}
	close(fd);
	buf[used] = '\0';
	*text = buf;
	*len = used;
	return 0;

err_close:
	close(fd);
err_free:
	free(buf);
	return ret;
}
