/*
 * date.c -- calendar dates as yyyymmdd integers: compact, ordered by value,
 * and readable in the store. Partial dates (a year, a month) widen to the
 * earliest day for starts and the latest for ends, so spells stay inclusive.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util_int.h"

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return d[m - 1];
}

ent_err_t ent_date_make(ent_date_t *out, int year, int month, int day, bool end)
{
    if (year < 1 || year > 9999) {
        return ent_i_err(ENT_ERANGE, "year %d out of range 1..9999", year);
    }
    if (month > 12) {
        return ent_i_err(ENT_ERANGE, "month %d out of range 1..12", month);
    }
    if (month <= 0) {
        month = end ? 12 : 1;
        day = 0;
    }
    int dim = days_in_month(year, month);
    if (day > dim) {
        return ent_i_err(ENT_ERANGE, "day %d out of range for %04d-%02d", day, year, month);
    }
    if (day <= 0) {
        day = end ? dim : 1;
    }
    *out = (ent_date_t)(year * 10000 + month * 100 + day);
    return ENT_OK;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

ent_err_t ent_date_parse(ent_date_t *out, const char *s, bool end)
{
    size_t n = strlen(s);
    int y = 0, m = 0, d = 0;
    if (n == 4 && digits(s, 4)) {
        sscanf(s, "%4d", &y);
    } else if (n == 7 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2)) {
        sscanf(s, "%4d-%2d", &y, &m);
        if (m == 0) {
            return ent_i_err(ENT_ERANGE, "month 0 in date '%s'", s);
        }
    } else if (n == 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2)) {
        sscanf(s, "%4d-%2d-%2d", &y, &m, &d);
        if (m == 0 || d == 0) {
            return ent_i_err(ENT_ERANGE, "month or day 0 in date '%s'", s);
        }
    } else {
        return ent_i_err(ENT_EPARSE, "expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '%.40s'", s);
    }
    return ent_date_make(out, y, m, d, end);
}

void ent_date_format(char *buf, ent_date_t d)
{
    unsigned u = d > 0 ? (unsigned)d : 0u;
    snprintf(buf, 11, "%04u-%02u-%02u", (u / 10000) % 10000, (u / 100) % 100, u % 100);
}
