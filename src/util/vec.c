/*
 * vec.c -- growable arrays and size-bounded byte buffers.
 */
#include <stdio.h>
#include <string.h>

#include "util_int.h"

void ent_vec_init(ent_vec_t *v, size_t esize)
{
    v->data = NULL;
    v->len = v->cap = 0;
    v->esize = esize;
}

void ent_vec_destroy(ent_vec_t *v)
{
    ent_free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

ent_err_t ent_vec_reserve(ent_vec_t *v, size_t cap)
{
    if (cap <= v->cap) {
        return ENT_OK;
    }
    size_t ncap = v->cap ? v->cap : 8;
    while (ncap < cap) {
        if (ncap > SIZE_MAX / 2) {
            return ent_i_nomem();
        }
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / v->esize) {
        return ent_i_nomem();
    }
    void *p = ent_realloc(v->data, ncap * v->esize);
    if (!p) {
        return ent_i_nomem();
    }
    v->data = p;
    v->cap = ncap;
    return ENT_OK;
}

ent_err_t ent_vec_push(ent_vec_t *v, const void *elem)
{
    if (v->len == v->cap) {
        ent_err_t rc = ent_vec_reserve(v, v->len + 1);
        if (rc != ENT_OK) {
            return rc;
        }
    }
    memcpy((char *)v->data + v->len * v->esize, elem, v->esize);
    v->len++;
    return ENT_OK;
}

ent_err_t ent_vec_resize(ent_vec_t *v, size_t len)
{
    ent_err_t rc = ent_vec_reserve(v, len);
    if (rc != ENT_OK) {
        return rc;
    }
    if (len > v->len) {
        memset((char *)v->data + v->len * v->esize, 0, (len - v->len) * v->esize);
    }
    v->len = len;
    return ENT_OK;
}

void ent_buf_init(ent_buf_t *b, size_t max)
{
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void ent_buf_destroy(ent_buf_t *b)
{
    ent_free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

void ent_buf_clear(ent_buf_t *b)
{
    b->len = 0;
    if (b->ptr) {
        b->ptr[0] = '\0';
    }
}

static ent_err_t buf_grow(ent_buf_t *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1) {
        return ent_i_nomem();
    }
    size_t need = b->len + extra + 1;
    if (b->max && need - 1 > b->max) {
        return ent_i_err(ENT_ELIMIT, "buffer limit of %zu bytes exceeded", b->max);
    }
    if (need <= b->cap) {
        return ENT_OK;
    }
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need) {
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    }
    char *p = ent_realloc(b->ptr, ncap);
    if (!p) {
        return ent_i_nomem();
    }
    b->ptr = p;
    b->cap = ncap;
    return ENT_OK;
}

ent_err_t ent_buf_put(ent_buf_t *b, const void *data, size_t len)
{
    ent_err_t rc = buf_grow(b, len);
    if (rc != ENT_OK) {
        return rc;
    }
    if (len) {
        memcpy(b->ptr + b->len, data, len);
    }
    b->len += len;
    b->ptr[b->len] = '\0';
    return ENT_OK;
}

ent_err_t ent_buf_puts(ent_buf_t *b, const char *s)
{
    return ent_buf_put(b, s, strlen(s));
}

ent_err_t ent_buf_vprintf(ent_buf_t *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        return ent_i_err(ENT_EINVAL, "bad format string");
    }
    ent_err_t rc = buf_grow(b, (size_t)n);
    if (rc != ENT_OK) {
        return rc;
    }
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return ENT_OK;
}

ent_err_t ent_buf_printf(ent_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ent_err_t rc = ent_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *ent_buf_cstr(const ent_buf_t *b)
{
    return b->ptr ? b->ptr : "";
}
