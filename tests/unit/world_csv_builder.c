/*
 * world_csv_builder.c -- the shipped world's CSV reader builds through the
 * public builder: ent_world_set_state (figures that later files fill in) and
 * its errors; a row the reader accepts but the builder refuses (an
 * organisation id differing from another only in case) is an error located at
 * file:line:column, not a second world with other rules.
 */
#include "check.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void check_set_state(void)
{
    ent_world_t *w = NULL;
    CHECK_OK(ent_world_new(&w));
    if (!w) {
        return;
    }
    ent_state_t s;
    ent_state_init(&s);
    s.ccode = 710;
    snprintf(s.abbr, sizeof s.abbr, "CHN");
    char name[32] = "China";
    s.name = name;
    int64_t i = -1;
    CHECK_OK(ent_world_add_state(&i, w, &s));
    CHECK(i == 0);

    /* a copy changed and set back: the figures are the world's, the name still the world's copy */
    ent_state_t x = *ent_world_state(w, 0);
    const char *kept = x.name;
    x.democracy = 0.07;
    x.unga_year = 2022;
    x.unga_votes = 77;
    CHECK_OK(ent_world_set_state(w, 0, &x));
    CHECK(ent_world_state(w, 0)->democracy == 0.07 && ent_world_state(w, 0)->unga_votes == 77);
    CHECK(ent_world_state(w, 0)->name == kept);
    /* a caller's string is copied: changing the caller's buffer afterwards changes nothing */
    char capital[32] = "Beijing";
    x.capital = capital;
    CHECK_OK(ent_world_set_state(w, 0, &x));
    capital[0] = 'X';
    CHECK_STR(ent_world_state(w, 0)->capital, "Beijing");

    /* refusals change nothing */
    x.ccode = 2;
    CHECK_RC(ent_world_set_state(w, 0, &x), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "COW code 710, not 2");
    x.ccode = 710;
    CHECK_RC(ent_world_set_state(w, 1, &x), ENT_ERANGE);
    CHECK_RC(ent_world_set_state(w, -1, &x), ENT_ERANGE);
    CHECK(ent_world_state(w, 0)->ccode == 710 && ent_world_state(w, 0)->democracy == 0.07);
    CHECK_OK(ent_world_finalise(w));
    CHECK_RC(ent_world_set_state(w, 0, &x), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "finalised");
    ent_world_free(w);
}

/* Copies the shipped world's files into dir, orgs.csv with one row added. */
static bool copy_world(const char *dir, const char *extra_org)
{
    static const char *const files[] = {"capabilities.csv", "coercion.csv",     "contiguity.csv", "economic.csv",
                                        "events.csv",       "org_members.csv",  "orgs.csv",       "pact_members.csv",
                                        "pacts.csv",        "partnerships.csv", "regime.csv",     "rivalries.csv",
                                        "security.csv",     "states.csv",       "tiers.csv",      "unga.csv"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        char from[4096], to[4096];
        snprintf(from, sizeof from, "%s/data/%s", ENT_SOURCE_DIR, files[k]);
        snprintf(to, sizeof to, "%s/%s", dir, files[k]);
        FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
        if (!in || !out) {
            if (in) {
                fclose(in);
            }
            if (out) {
                fclose(out);
            }
            return false;
        }
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
            fwrite(buf, 1, n, out);
        }
        if (strcmp(files[k], "orgs.csv") == 0 && extra_org) {
            fputs(extra_org, out);
        }
        fclose(in);
        fclose(out);
    }
    return true;
}

static void check_located(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/world_csv_builder", check_tmpdir());
    CHECK(mkdir(dir, 0755) == 0 || errno == EEXIST);

    /* the copy as it is loads to the shipped world's counts */
    ent_world_t *a = NULL, *b = NULL;
    CHECK(copy_world(dir, NULL));
    CHECK_OK(ent_world_load_dir(&a, dir));
    char shipped[4096];
    snprintf(shipped, sizeof shipped, "%s/data", ENT_SOURCE_DIR);
    CHECK_OK(ent_world_load_dir(&b, shipped));
    if (a && b) {
        CHECK(ent_world_nstates(a) == ent_world_nstates(b) && ent_world_nties(a) == ent_world_nties(b));
        CHECK(ent_world_norgs(a) == ent_world_norgs(b) && ent_world_ncontiguities(a) == ent_world_ncontiguities(b));
        CHECK(ent_world_max_tier(a) == ent_world_max_tier(b) && ent_world_max_tier(a) > 0);
        /* figures the later files fill in went through ent_world_set_state */
        int64_t chn;
        CHECK_OK(ent_world_find(&chn, a, "CHN"));
        const ent_state_t *s = ent_world_state(a, (size_t)chn);
        CHECK(!isnan(s->democracy) && !isnan(s->gdp_usd_bn) && !isnan(s->trade_share_usa) && s->unga_votes > 0);
        CHECK(!isnan(ent_world_cinc_near(a, (size_t)chn, 2024, 10, 0)));
    }
    ent_world_free(a);
    ent_world_free(b);

    /* "NATO" beside "nato": the reader's duplicate check is exact, the builder's ignores case */
    CHECK(copy_world(dir, "NATO,Another NATO,collective_defense,1949-04-04,test row\n"));
    a = NULL;
    CHECK_RC(ent_world_load_dir(&a, dir), ENT_EEXISTS);
    CHECK_CONTAINS(ent_errmsg(), "orgs.csv:");
    CHECK_CONTAINS(ent_errmsg(), "org_id");
    CHECK_CONTAINS(ent_errmsg(), "added twice");
    CHECK(a == NULL);
}

int main(void)
{
    check_set_state();
    check_located();
    return CHECK_DONE();
}
