/*
 * sha256.c -- SHA-256 for the checksums of provenance records, on Nettle
 * (Debian nettle-dev), the hash library GnuTLS is built on; only the streaming
 * wrapper and the file and hex helpers are ours. Checked against the NIST
 * example vectors in tests/unit/util_provenance.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "entente/provenance.h"
#include "util_int.h"

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(((ent_sha256_t *)0)->state),
               "ent_sha256_t is too small for Nettle's sha256_ctx");

static struct sha256_ctx *ctx(ent_sha256_t *s)
{
    return (struct sha256_ctx *)(void *)s->state;
}

void ent_sha256_init(ent_sha256_t *s)
{
    s->nbytes = 0;
    sha256_init(ctx(s));
}

void ent_sha256_update(ent_sha256_t *s, const void *data, size_t len)
{
    s->nbytes += len;
    sha256_update(ctx(s), len, data);
}

void ent_sha256_final(ent_sha256_t *s, uint8_t digest[32])
{
    sha256_digest(ctx(s), SHA256_DIGEST_SIZE, digest);
}

void ent_sha256_hex(char hex[65], const uint8_t digest[32])
{
    static const char xd[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = xd[digest[i] >> 4];
        hex[2 * i + 1] = xd[digest[i] & 15];
    }
    hex[64] = '\0';
}

ent_err_t ent_sha256_file(char hex[65], uint64_t *size, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return ent_i_err(ENT_EIO, "%s: cannot open: %s", path, strerror(errno));
    }
    ent_sha256_t s;
    ent_sha256_init(&s);
    static _Thread_local uint8_t buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        ent_sha256_update(&s, buf, n);
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        return ent_i_err(ENT_EIO, "%s: read error", path);
    }
    uint8_t d[32];
    *size = s.nbytes;
    ent_sha256_final(&s, d);
    ent_sha256_hex(hex, d);
    return ENT_OK;
}
