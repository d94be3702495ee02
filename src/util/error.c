/*
 * error.c -- the thread-local error detail behind ent_errmsg(), the names of
 * the codes, and the version.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util_int.h"

/* Room for two paths of PATH_MAX (4096) and a reason: a long legal path never cuts the reason off. */
static _Thread_local char errbuf[10240];

const char *ent_errmsg(void)
{
    return errbuf;
}

/* Formatted here first, then copied: a caller may pass ent_errmsg() itself as an argument
 * ("...: %s", ent_errmsg()), and vsnprintf into the buffer it reads from is undefined. */
static _Thread_local char scratch[sizeof errbuf];

ent_err_t ent_i_verr(ent_err_t rc, const char *fmt, va_list ap)
{
    int n = vsnprintf(scratch, sizeof scratch, fmt, ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof scratch ? (size_t)n : sizeof scratch - 1;
    memcpy(errbuf, scratch, len);
    errbuf[len] = '\0';
    return rc;
}

ent_err_t ent_i_err(ent_err_t rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ent_i_verr(rc, fmt, ap);
    va_end(ap);
    return rc;
}

ent_err_t ent_i_nomem(void)
{
    return ent_i_err(ENT_ENOMEM, "out of memory");
}

const char *ent_strerror(ent_err_t rc)
{
    switch (rc) {
    case ENT_OK: return "ENT_OK";
    case ENT_ENOMEM: return "ENT_ENOMEM";
    case ENT_EINVAL: return "ENT_EINVAL";
    case ENT_ENOTFOUND: return "ENT_ENOTFOUND";
    case ENT_EPARSE: return "ENT_EPARSE";
    case ENT_EIO: return "ENT_EIO";
    case ENT_ERANGE: return "ENT_ERANGE";
    case ENT_EINTERRUPTED: return "ENT_EINTERRUPTED";
    case ENT_ESTORE: return "ENT_ESTORE";
    case ENT_EEXISTS: return "ENT_EEXISTS";
    case ENT_ELIMIT: return "ENT_ELIMIT";
    case ENT_ESOLVER: return "ENT_ESOLVER";
    }
    return "ENT_E?";
}

const char *ent_version(void)
{
    return ENT_VERSION_STRING;
}

const char *ent_i_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}
