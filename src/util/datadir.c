/*
 * datadir.c -- where the shipped world (data/) and scenarios live, so that a
 * built, installed or moved entente finds them without a checkout.
 *
 * The order, for each of the three directories (the world, the scenarios, and
 * the fitted parameter files, data/params):
 *   1. $ENTENTE_WORLD / $ENTENTE_SCENARIOS / $ENTENTE_PARAMS when set and non-empty: an explicit
 *      choice by the user always wins (checked on every call, not cached).
 *   2. share/entente/<sub> of the prefix the running code was installed into:
 *      first relative to the file this code lives in (libentente.so when a
 *      program or a binding loaded the shared library; the executable when the
 *      static library is linked in), then relative to the executable
 *      (/proc/self/exe). The relative paths bin/ -> share/entente and lib/ ->
 *      share/entente come from the build (GNUInstallDirs), so moving a whole
 *      prefix keeps it working.
 *   3. The checkout this build was configured from (ENT_DEFAULT_*_DIR), which
 *      is what a binary in the build tree uses (`make run`). Returned even when
 *      it does not exist, so the reader's error names the path tried.
 * Steps 2-3 are resolved once per process (pthread_once) into static buffers:
 * they depend only on where the files are, which does not change while the
 * process runs; this is the library's only lazily computed global, and it is
 * read-only once set.
 */
#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util_int.h"

#ifndef ENT_DEFAULT_WORLD_DIR
#define ENT_DEFAULT_WORLD_DIR "data"
#endif
#ifndef ENT_DEFAULT_SCENARIO_DIR
#define ENT_DEFAULT_SCENARIO_DIR "scenarios"
#endif
#ifndef ENT_DEFAULT_PARAMS_DIR
#define ENT_DEFAULT_PARAMS_DIR "data/params"
#endif
#ifndef ENT_BIN_TO_SHARE
#define ENT_BIN_TO_SHARE "../share/entente"
#endif
#ifndef ENT_LIB_TO_SHARE
#define ENT_LIB_TO_SHARE "../share/entente"
#endif

static pthread_once_t dirs_once = PTHREAD_ONCE_INIT;
static char dirs[ENT_I_DIR_COUNT][PATH_MAX];

static const struct {
    const char *env, *sub, *fallback;
} kinds[ENT_I_DIR_COUNT] = {
    [ENT_I_DIR_WORLD] = {"ENTENTE_WORLD", "data", ENT_DEFAULT_WORLD_DIR},
    [ENT_I_DIR_SCENARIOS] = {"ENTENTE_SCENARIOS", "scenarios", ENT_DEFAULT_SCENARIO_DIR},
    [ENT_I_DIR_PARAMS] = {"ENTENTE_PARAMS", "data/params", ENT_DEFAULT_PARAMS_DIR},
};

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Writes dirname(file)/rel/sub into out when that is a directory; false otherwise. */
static bool try_beside(char *out, const char *file, const char *rel, const char *sub)
{
    char real[PATH_MAX];
    if (!file || !*file || !realpath(file, real)) {
        return false;
    }
    char *slash = strrchr(real, '/');
    if (!slash) {
        return false;
    }
    *slash = '\0';
    char cand[PATH_MAX];
    int n = snprintf(cand, sizeof cand, "%s/%s/%s", real, rel, sub);
    if (n < 0 || (size_t)n >= sizeof cand || !is_dir(cand)) {
        return false;
    }
    /* Canonical, so messages and JSON name e.g. /opt/entente/share/entente/data. */
    if (!realpath(cand, out)) {
        return false;
    }
    return true;
}

static void resolve_dirs(void)
{
    /* The file holding this code: dladdr1's link map has an empty name for the main program. */
    const char *self = NULL;
    bool self_is_lib = false;
    Dl_info info;
    struct link_map *lm = NULL;
    if (dladdr1((void *)resolve_dirs, &info, (void **)&lm, RTLD_DL_LINKMAP) && lm && lm->l_name && lm->l_name[0]) {
        self = lm->l_name;
        self_is_lib = true;
    }
    for (int k = 0; k < ENT_I_DIR_COUNT; k++) {
        char *out = dirs[k];
        if (self_is_lib && try_beside(out, self, ENT_LIB_TO_SHARE, kinds[k].sub)) {
            continue;
        }
        if (try_beside(out, "/proc/self/exe", ENT_BIN_TO_SHARE, kinds[k].sub)) {
            continue;
        }
        snprintf(out, PATH_MAX, "%s", kinds[k].fallback);
    }
}

const char *ent_i_default_dir(ent_i_dir_t which)
{
    const char *env = getenv(kinds[which].env);
    if (env && *env) {
        return env;
    }
    pthread_once(&dirs_once, resolve_dirs);
    return dirs[which];
}
