/*
 * provenance.h -- what produced an output: the engine (version, git commit,
 * a "dirty" marker), the input files (size and SHA-256), the scenario, the
 * seed, the number of runs and threads, the command line, the parameters
 * that matter, and the citation keys of the datasets and methods used.
 *
 * A provenance record is built by the caller (the CLI knows the command
 * line and which files it read) and rendered three ways:
 *   - JSON text, for a "provenance" member of JSON outputs;
 *   - '# '-prefixed comment lines, for the head of CSV outputs;
 *   - a one-line caption, for figures and reports.
 * No render contains the time of day: the same inputs, seed and command give
 * the same provenance, so outputs stay byte-for-byte reproducible.
 *
 * This header also carries the SHA-256 (FIPS 180-4) the records use and the
 * library's one citation table.
 */
#ifndef ENTENTE_PROVENANCE_H
#define ENTENTE_PROVENANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "store.h"
#include "util.h"

ENT_BEGIN_DECLS

/* ---------------------------------------------------------------- SHA-256 */

/* A SHA-256 state (Nettle's, held opaquely so this header does not need Nettle's). */
typedef struct {
    uint64_t nbytes;                            /* message length so far */
    _Alignas(16) unsigned char state[256 - 16]; /* Nettle's struct sha256_ctx */
} ent_sha256_t;

void ent_sha256_init(ent_sha256_t *s);
void ent_sha256_update(ent_sha256_t *s, const void *data, size_t len);
/* Finishes the hash: 32 bytes into digest. The state must be re-initialised before reuse. */
void ent_sha256_final(ent_sha256_t *s, uint8_t digest[32]);
/* Lower-case hex of a 32-byte digest into hex (65 bytes with the NUL). */
void ent_sha256_hex(char hex[65], const uint8_t digest[32]);
/*
 * Hashes a whole file: hex digest and size in bytes. ENT_EIO (naming the file)
 * when it cannot be opened or read. Reads in 64 KiB blocks; O(size).
 */
ent_err_t ent_sha256_file(char hex[65], uint64_t *size, const char *path);

/* ---------------------------------------------------------------- the build */

/* The git commit the library was built from ("unknown" outside a checkout); static. */
const char *ent_build_commit(void);
/* True when the checkout had uncommitted changes to tracked files at build time. */
bool ent_build_dirty(void);

/* ---------------------------------------------------------------- citations */

typedef enum { ENT_CITE_DATA = 0, ENT_CITE_METHOD = 1 } ent_cite_kind_t;

typedef struct {
    const char *key; /* "atop5", "signorino-ritter-1999": the BibTeX key */
    ent_cite_kind_t kind;
    const char *brief;  /* "ATOP 5.1 (Leeds et al. 2002)": for captions and tables */
    const char *text;   /* the reference in author-date style, one line */
    const char *bibtex; /* a complete BibTeX entry */
} ent_cite_t;

/* The whole table, in a fixed order (datasets first); *n receives its length. Static. */
const ent_cite_t *ent_cite_table(size_t *n);
/* The entry of a key, or NULL. */
const ent_cite_t *ent_cite_lookup(const char *key);

/* ---------------------------------------------------------------- provenance */

typedef struct ent_prov ent_prov_t;

/*
 * A new record for `command` ("forecast", "world"); free with ent_prov_free().
 * The engine version and commit are filled in.
 */
ent_err_t ent_prov_new(ent_prov_t **out, const char *command);
void ent_prov_free(ent_prov_t *p);

/* Records the command line (copied). */
ent_err_t ent_prov_set_argv(ent_prov_t *p, int argc, char *const *argv);

/*
 * Hashes a file and records it with its role ("store", "world", "scenario",
 * "dataset"). A path already recorded is not hashed twice. ENT_EIO when the
 * file cannot be read.
 */
ent_err_t ent_prov_add_file(ent_prov_t *p, const char *role, const char *path);
/*
 * Records a store: its path and size (not a hash: see provenance.c) and its import log
 * (format, path, rows and date of each import; the originals are not re-read, they may
 * have moved), and cites the datasets the log names. ENT_EIO/ENT_ESTORE on failure.
 */
ent_err_t ent_prov_add_store(ent_prov_t *p, ent_store_t *st);
/* Records every *.csv file of a directory (sorted by name) under `role`. */
ent_err_t ent_prov_add_dir(ent_prov_t *p, const char *role, const char *dir);

/* Seed, runs and threads of a stochastic computation (runs/threads < 0: not recorded). */
void ent_prov_set_run(ent_prov_t *p, uint64_t seed, int64_t runs, int threads);

/* A named parameter ("date", "measure"); a key set twice keeps the last value. */
ent_err_t ent_prov_set_param(ent_prov_t *p, const char *key, const char *value);

/* A citation key; ENT_ENOTFOUND unless it is in the table. Duplicates are ignored. */
ent_err_t ent_prov_cite(ent_prov_t *p, const char *key);
/* The recorded keys, in the order first cited. */
size_t ent_prov_ncites(const ent_prov_t *p);
const char *ent_prov_cite_key(const ent_prov_t *p, size_t i);

/*
 * Renders the record as a JSON object (UTF-8 text, no trailing newline):
 *   {"engine": {"name", "version", "commit", "dirty"}, "command": "...", "argv": [...],
 *    "inputs": [{"role", "path", "bytes", "sha256"}...], "seed", "runs", "threads",
 *    "params": {...}, "cite": [...]}
 * Appends to out.
 */
ent_err_t ent_prov_render_json(ent_buf_t *out, const ent_prov_t *p);
/* Renders '# key: value' lines (each ends in a newline), appended to out. */
ent_err_t ent_prov_render_comments(ent_buf_t *out, const ent_prov_t *p);
/* Renders one line without a newline: "entente 0.1.0 (abc1234), seed 1, 2000 runs; data: ...; cite: ...". */
ent_err_t ent_prov_render_caption(ent_buf_t *out, const ent_prov_t *p);

ENT_END_DECLS
#endif
