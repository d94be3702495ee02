/*
 * rng.c -- xoshiro256** (Blackman & Vigna 2018) with splitmix64 seeding.
 *
 * Streams: the state of stream k of seed s is four successive splitmix64
 * outputs started from mix(s) ^ mix(k + golden); the two mixes make nearby
 * (s, k) pairs land far apart in xoshiro's 2^256 cycle.
 */
#include <math.h>

#include "util_int.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t mix(uint64_t v)
{
    uint64_t x = v;
    return splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void ent_rng_seed(ent_rng_t *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = mix(seed) ^ mix(stream + 0x632BE59BD9B4E019ull) ^ rotl(stream, 32);
    for (int i = 0; i < 4; i++) {
        r->s[i] = splitmix64(&x);
    }
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3])) {
        r->s[0] = 1; /* the all-zero state is a fixed point */
    }
    r->has_spare = 0;
    r->spare_normal = 0.0;
}

uint64_t ent_rng_u64(ent_rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double ent_rng_uniform(ent_rng_t *r)
{
    return (double)(ent_rng_u64(r) >> 11) * 0x1.0p-53;
}

uint64_t ent_rng_below(ent_rng_t *r, uint64_t n)
{
    /* Lemire (2019): multiply-shift with rejection of the biased low range. */
    unsigned __int128 m = (unsigned __int128)ent_rng_u64(r) * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = (0 - n) % n;
        while (l < t) {
            m = (unsigned __int128)ent_rng_u64(r) * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double ent_rng_normal(ent_rng_t *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare_normal;
    }
    double u, v, s;
    do {
        u = 2.0 * ent_rng_uniform(r) - 1.0;
        v = 2.0 * ent_rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    r->spare_normal = v * f;
    r->has_spare = 1;
    return u * f;
}

double ent_rng_gumbel(ent_rng_t *r)
{
    double u;
    do {
        u = ent_rng_uniform(r);
    } while (u == 0.0);
    return -log(-log(u));
}
