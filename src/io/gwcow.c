/*
 * gwcow.c -- Gleditsch-Ward state codes to COW state codes.
 *
 * Gleditsch & Ward (1999), "Interstate System Membership: A Revised List of
 * the Independent States since 1816", International Interactions 25(4):393-413,
 * kept the COW numbers and changed the list where they judged COW wrong; their
 * table of differences, with the later additions to their list (Abkhazia and
 * South Ossetia, the Pacific microstates), is all this file holds. Every code
 * not listed is the same number in both systems (GW 2 = COW 2, ..., GW 221
 * Monaco = COW 221, GW 347 Kosovo = COW 347, GW 816 Vietnam = COW 816).
 *
 * The entries were checked against every GW code of the isard GW-COW state-year
 * panel (the crosswalk in ../shared/data/codes, used for verification only):
 * each GW code that is not identical to its COW code there is listed below.
 *
 * The lookup is a linear scan of a couple of dozen rows: O(1) in practice.
 */
#include <stddef.h>

#include "country_codes.h"

typedef struct {
    int gw;
    int from, to; /* years, inclusive */
    int cow;      /* -1: no COW counterpart */
} gw_rule_t;

static const gw_rule_t rules[] = {
    /* States of GW's list that COW does not count. */
    {89, 0, 9999, -1},  /* United Provinces of Central America, 1823-1839 */
    {99, 0, 9999, -1},  /* Great Colombia, 1821-1830 */
    {396, 0, 9999, -1}, /* Abkhazia, 2008- */
    {397, 0, 9999, -1}, /* South Ossetia, 2008- */
    {563, 0, 9999, -1}, /* Transvaal, 1852-1902 */
    {564, 0, 9999, -1}, /* Orange Free State, 1854-1902 */
    {711, 0, 9999, -1}, /* Tibet, 1913-1950 */
    {815, 0, 9999, -1}, /* Vietnam (Annam/Cochin China/Tonkin), 1816-1893 */

    /* Germany: GW 260 is the Federal Republic and, unchanged, unified Germany;
     * COW ends its 260 on 1990-10-02 and resumes 255 on 1990-10-03. The year of
     * unification stays 260 (COW's system list has both that year). */
    {260, 0, 1990, 260},
    {260, 1991, 9999, 255},

    /* Yemen: GW 678 is the Arab Republic and, unchanged, unified Yemen; COW
     * ends 678 and starts 679 on 1990-05-22. */
    {678, 0, 1989, 678},
    {678, 1990, 9999, 679},

    /* Serbia: GW 340 is Serbia before 1918 and after 2006; COW counts both as
     * 345, continuous with Yugoslavia. */
    {340, 0, 9999, 345},

    /* The Republic of Vietnam existed 1954-1975 in both lists; the code names
     * no state outside those years. */
    {817, 1954, 1975, 817},

    /* Pacific microstates, numbered differently (COW 970 is Nauru, GW 970
     * Kiribati: the identity would be silently wrong). */
    {970, 0, 9999, 946}, /* Kiribati */
    {971, 0, 9999, 970}, /* Nauru */
    {972, 0, 9999, 955}, /* Tonga */
    {973, 0, 9999, 947}, /* Tuvalu */
};

int ent_i_cow_from_gw(int gwcode, int year)
{
    if (gwcode < 1 || gwcode > 999) {
        return -1;
    }
    int listed = 0;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (rules[i].gw != gwcode) {
            continue;
        }
        listed = 1;
        if (year >= rules[i].from && year <= rules[i].to) {
            return rules[i].cow;
        }
    }
    return listed ? -1 : gwcode;
}
