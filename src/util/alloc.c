/*
 * alloc.c -- the allocation hook. All library allocations pass through here so
 * an embedding program (or a test injecting failures) can replace malloc.
 */
#include <stdlib.h>
#include <string.h>

#include "util_int.h"

static void *std_malloc(size_t n, void *ctx)
{
    (void)ctx;
    return malloc(n);
}
static void *std_realloc(void *p, size_t n, void *ctx)
{
    (void)ctx;
    return realloc(p, n);
}
static void std_free(void *p, void *ctx)
{
    (void)ctx;
    free(p);
}

/* Process-wide by design (like sqlite3_config): set once before use, never while threads run. */
static ent_allocator_t allocator = {std_malloc, std_realloc, std_free, NULL};

void ent_set_allocator(const ent_allocator_t *a)
{
    if (a) {
        allocator = *a;
    } else {
        allocator.malloc_fn = std_malloc;
        allocator.realloc_fn = std_realloc;
        allocator.free_fn = std_free;
        allocator.ctx = NULL;
    }
}

void *ent_malloc(size_t size)
{
    return allocator.malloc_fn(size ? size : 1, allocator.ctx);
}

void *ent_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        return NULL;
    }
    void *p = ent_malloc(n * size);
    if (p) {
        memset(p, 0, n * size);
    }
    return p;
}

void *ent_realloc(void *ptr, size_t size)
{
    return allocator.realloc_fn(ptr, size ? size : 1, allocator.ctx);
}

void ent_free(void *ptr)
{
    if (ptr) {
        allocator.free_fn(ptr, allocator.ctx);
    }
}

char *ent_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = ent_malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *ent_strdup(const char *s)
{
    size_t len = strlen(s);
    char *p = ent_malloc(len + 1);
    if (p) {
        memcpy(p, s, len + 1);
    }
    return p;
}
