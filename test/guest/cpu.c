/*
 * User-level computation whose results are fixed by the architecture and the C library: integer and
 * 64-bit arithmetic including the signed edge cases (via inline assembly where C leaves them
 * undefined), bit operations, double and float arithmetic and conversions printed with %.17g / %a,
 * libm, strtod, qsort, memcpy/strlen over unaligned buffers, setjmp/longjmp, atomics and Advanced SIMD
 * loops from cpu-vec.c. Everything printed is deterministic; a runner must reproduce it exactly.
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu-vec.h"

/* xorshift64*: a reproducible stream of test inputs. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}

static int64_t sdiv64(int64_t a, int64_t b) {
  int64_t r;
  __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
static uint64_t udiv64(uint64_t a, uint64_t b) {
  uint64_t r;
  __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
static int32_t sdiv32(int32_t a, int32_t b) {
  int32_t r;
  __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
static uint64_t rbit64(uint64_t x) {
  uint64_t r;
  __asm__("rbit %0, %1" : "=r"(r) : "r"(x));
  return r;
}
static uint32_t rbit32(uint32_t x) {
  uint32_t r;
  __asm__("rbit %w0, %w1" : "=r"(r) : "r"(x));
  return r;
}
static uint64_t clz64(uint64_t x) {
  uint64_t r;
  __asm__("clz %0, %1" : "=r"(r) : "r"(x)); /* defined for 0, unlike __builtin_clzll */
  return r;
}
static uint64_t cls64(uint64_t x) {
  uint64_t r;
  __asm__("cls %0, %1" : "=r"(r) : "r"(x));
  return r;
}
static int64_t fcvtzs_d(double d) {
  int64_t r;
  __asm__("fcvtzs %0, %d1" : "=r"(r) : "w"(d)); /* saturates; a C cast of an out-of-range value is undefined */
  return r;
}
static uint32_t fcvtzu_s(float f) {
  uint32_t r;
  __asm__("fcvtzu %w0, %s1" : "=r"(r) : "w"(f));
  return r;
}

static void integers(void) {
  static const int64_t s[] = {0, 1, -1, 2, -2, 7, -7, 1000000007, INT64_MAX, INT64_MIN, INT64_MIN + 1, INT32_MIN, INT32_MAX};
  const int ns = sizeof s / sizeof s[0];
  printf("-- integer division (sdiv/udiv, including by zero and INT64_MIN / -1)\n");
  for (int i = 0; i < ns; i++) {
    for (int j = 0; j < ns; j++) {
      printf("%" PRId64 "/%" PRId64 "=%" PRId64 " u=%" PRIu64 "\n", s[i], s[j], sdiv64(s[i], s[j]),
             udiv64((uint64_t)s[i], (uint64_t)s[j]));
    }
  }
  printf("sdiv32 INT32_MIN/-1=%" PRId32 " 5/0=%" PRId32 " -9/2=%" PRId32 "\n", sdiv32(INT32_MIN, -1), sdiv32(5, 0), sdiv32(-9, 2));

  printf("-- remainders, products and high halves\n");
  uint64_t acc = 0;
  for (int i = 0; i < 2000; i++) {
    uint64_t a = rnd(), b = rnd() | 1;
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    unsigned __int128 up = (unsigned __int128)a * b;
    __int128 sp = (__int128)sa * sb;
    acc = acc * 1099511628211ull ^ (a % b) ^ (uint64_t)(up >> 64) ^ (uint64_t)(sp >> 64) ^ (uint64_t)(sb == -1 ? 0 : sa % sb);
    acc += (uint64_t)((int32_t)a * (int64_t)(int32_t)b) + (uint32_t)a * (uint64_t)(uint32_t)b;
    if (i < 6) {
      printf("%016" PRIx64 " * %016" PRIx64 " = %016" PRIx64 ":%016" PRIx64 " signed hi %016" PRIx64 "\n", a, b,
             (uint64_t)(up >> 64), (uint64_t)up, (uint64_t)(sp >> 64));
    }
  }
  printf("mul/rem checksum %016" PRIx64 "\n", acc);

  printf("-- shifts, rotates, sign/zero extension\n");
  uint64_t v = 0xf00dfacecafebeefull;
  for (int k = 0; k < 64; k += 7) {
    printf("k=%2d lsl %016" PRIx64 " lsr %016" PRIx64 " asr %016" PRIx64 " ror %016" PRIx64 "\n", k, v << k, v >> k,
           (uint64_t)((int64_t)v >> k), (v >> k) | (v << ((64 - k) & 63)));
  }
  printf("sxtb %" PRId64 " sxth %" PRId64 " sxtw %" PRId64 " uxtb %" PRIu64 "\n", (int64_t)(int8_t)v, (int64_t)(int16_t)v,
         (int64_t)(int32_t)v, (uint64_t)(uint8_t)v);

  printf("-- bit operations\n");
  static const uint64_t b[] = {0, 1, 0x80, 0x8000000000000000ull, 0x00ff00ff00ff00ffull, 0x0123456789abcdefull, ~0ull, 0x7fffffffffffffffull};
  for (unsigned i = 0; i < sizeof b / sizeof b[0]; i++) {
    uint64_t x = b[i];
    printf("%016" PRIx64 " clz %2" PRIu64 " cls %2" PRIu64 " ctz %2d pop %2d rbit %016" PRIx64 " rbit32 %08" PRIx32
           " rev %016" PRIx64 " rev32 %08" PRIx32 " rev16 %04x\n",
           x, clz64(x), cls64(x), x ? __builtin_ctzll(x) : 64, __builtin_popcountll(x), rbit64(x), rbit32((uint32_t)x),
           __builtin_bswap64(x), __builtin_bswap32((uint32_t)x), __builtin_bswap16((uint16_t)x));
  }
  uint64_t flags = 0;
  for (int i = 0; i < 1000; i++) {
    uint64_t a = rnd(), c = rnd();
    flags = flags * 3 + (a < c) + 2 * ((int64_t)a < (int64_t)c) + 4 * (a == c) + 8 * ((a & c) == 0) + 16 * (a + c < a);
  }
  printf("compare/carry checksum %016" PRIx64 "\n", flags);
}

static void doubles(void) {
  static const double d[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3.0, 2.5, 3.5, -2.5, 1e308, 1e-308, 4.9e-324, DBL_MAX, DBL_MIN,
                              DBL_EPSILON, 123456789.123456789, M_PI, M_E, INFINITY, -INFINITY};
  const int n = sizeof d / sizeof d[0];
  printf("-- double arithmetic (%%.17g and %%a)\n");
  for (int i = 0; i < n; i++) {
    double x = d[i], y = d[(i * 7 + 3) % n];
    printf("x=%.17g y=%.17g + %.17g - %.17g * %.17g / %.17g\n", x, y, x + y, x - y, x * y, x / y);
    printf("  sqrt %.17g fma %a floor %g ceil %g trunc %g round %g rint %g nearbyint %g\n", sqrt(x), fma(x, y, 0.25), floor(x),
           ceil(x), trunc(x), round(x), rint(x), nearbyint(x));
    printf("  fmin %g fmax %g fabs %g neg %g copysign %g isnan %d isinf %d signbit %d fcvtzs %" PRId64 "\n", fmin(x, y),
           fmax(x, y), fabs(x), -x, copysign(1.0, x), isnan(x), isinf(x), signbit(x) != 0, fcvtzs_d(x));
  }
  volatile double zero = 0.0;
  double qnan = zero / zero;
  printf("0/0 %g (sign %d) inf-inf %g nan+1 %g nan==nan %d nan<1 %d\n", qnan, signbit(qnan) != 0, INFINITY - INFINITY, qnan + 1,
         qnan == qnan, qnan < 1);
  printf("fcvtzs nan %" PRId64 " 1e300 %" PRId64 " -1e300 %" PRId64 "\n", fcvtzs_d(qnan), fcvtzs_d(1e300), fcvtzs_d(-1e300));

  printf("-- conversions\n");
  for (int i = 0; i < 12; i++) {
    int64_t k = (int64_t)(rnd() >> (i * 5));
    uint64_t u = rnd() >> i;
    printf("%" PRId64 " -> %.17g, %" PRIu64 " -> %.17g (float %.9g), (int32)%.3f = %d\n", k, (double)k, u, (double)u, (float)u,
           (double)k / 1e12, (int)((double)k / 1e12 / 1e3));
  }

  printf("-- libm\n");
  for (int i = -4; i <= 12; i++) {
    double x = i * 0.37 + 0.01;
    printf("x=%.2f sin %.17g cos %.17g tan %.17g exp %.17g log %.17g pow %.17g atan2 %.17g cbrt %.17g\n", x, sin(x), cos(x), tan(x),
           exp(x), log(fabs(x)), pow(fabs(x), 1.7), atan2(x, 1.3), cbrt(x));
  }
  double h = 0;
  for (int i = 1; i <= 100000; i++) h += 1.0 / i;
  printf("harmonic(1e5) %.17g\n", h);
}

static void floats(void) {
  static const float f[] = {0.0f, -0.0f, 1.0f, 0.1f, -3.75f, 1e38f, 1e-38f, 1e-45f, FLT_MAX, FLT_MIN, FLT_EPSILON, 16777217.0f, 2.5f, -0.5f};
  const int n = sizeof f / sizeof f[0];
  printf("-- float arithmetic\n");
  for (int i = 0; i < n; i++) {
    float x = f[i], y = f[(i * 5 + 2) % n];
    printf("x=%.9g y=%.9g + %.9g - %.9g * %.9g / %.9g sqrt %.9g fma %a (double)%.17g fcvtzu %" PRIu32 " rint %g\n", x, y, x + y,
           x - y, x * y, x / y, sqrtf(x), fmaf(x, y, 1.0f), (double)x, fcvtzu_s(x), rintf(x));
  }
  float s = 0;
  for (int i = 0; i < 100000; i++) s += (float)(i % 97) * 0.01f;
  printf("float sum %.9g sinf %.9g expf %.9g logf %.9g\n", s, sinf(1.25f), expf(3.5f), logf(7.0f));
}

static void parsing(void) {
  static const char *in[] = {"0", "-0", "1", "0.1", "1e-5", "3.14159265358979323846264338327950288", "1.7976931348623157e308",
                             "2.2250738585072014e-308", "4.9406564584124654e-324", "1e400", "-1e-400", "0x1.8p3", "inf", "-Infinity",
                             "nan", "  42.5xyz", "1_000", ".5", "5.", "123456789012345678901234567890"};
  printf("-- strtod\n");
  for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
    char *end;
    double v = strtod(in[i], &end);
    float fv = strtof(in[i], NULL);
    printf("\"%s\" -> %.17g %a (float %.9g) consumed %d\n", in[i], v, v, fv, (int)(end - in[i]));
  }
  printf("strtol %ld %ld %lu strtoll %lld\n", strtol("-12345", NULL, 10), strtol("7fffffff", NULL, 16), strtoul("0777", NULL, 0),
         strtoll("-9223372036854775808", NULL, 10));
  char buf[64];
  snprintf(buf, sizeof buf, "%08.3f|%-6d|%+e|%x|%o|%5.1s|%%", -3.14159, 42, 12345.678, 0xbeefu, 8u, "abc");
  printf("snprintf %s\n", buf);
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void sorting(void) {
  enum { N = 5000 };
  static uint64_t v[N];
  for (int i = 0; i < N; i++) v[i] = rnd() % 100000;
  qsort(v, N, sizeof v[0], cmp_u64);
  int sorted = 1;
  uint64_t sum = 0;
  for (int i = 0; i < N; i++) {
    if (i && v[i - 1] > v[i]) sorted = 0;
    sum = sum * 31 + v[i];
  }
  printf("-- qsort\nqsort %d numbers sorted %d checksum %016" PRIx64 " min %" PRIu64 " max %" PRIu64 "\n", N, sorted, sum, v[0], v[N - 1]);
  static char words[300][8];
  char *ptrs[300];
  for (int i = 0; i < 300; i++) {
    for (int k = 0; k < 7; k++) words[i][k] = (char)('a' + rnd() % 26);
    ptrs[i] = words[i];
  }
  qsort(ptrs, 300, sizeof ptrs[0], cmp_str);
  printf("qsort strings first %s last %s\n", ptrs[0], ptrs[299]);
}

static void strings(void) {
  static unsigned char src[512], dst[512];
  int bad = 0;
  uint32_t sum = 0;
  for (int i = 0; i < 512; i++) src[i] = (unsigned char)(rnd() | 1); /* no NUL bytes, so strlen stops where we put one */
  for (int so = 0; so < 16; so++) {
    for (int d = 0; d < 16; d++) {
      for (int len = 0; len < 200; len += 3) {
        memset(dst, 0, sizeof dst);
        memcpy(dst + d, src + so, len);
        for (int k = 0; k < len; k++) bad += dst[d + k] != src[so + k];
        bad += dst[d + len] != 0 || (d && dst[d - 1] != 0); /* nothing written outside */
        dst[d + len] = 0;
        bad += strlen((char *)dst + d) != (size_t)len;
        memmove(dst + d + 1, dst + d, len);
        bad += len && memcmp(dst + d + 1, src + so, len) != 0;
        sum += (uint32_t)memcmp(src + so, src + d, len + 1 > 40 ? 40 : len + 1) > 0;
      }
    }
  }
  printf("-- memcpy/strlen/memmove over unaligned buffers\nmismatches %d memcmp-sign sum %" PRIu32 "\n", bad, sum);
  char text[] = "The quick brown fox jumps over the lazy dog";
  printf("strchr %s strrchr %s strstr %s memchr %d strncmp>0 %d\n", strchr(text, 'q'), strrchr(text, 'o'), strstr(text, "lazy"),
         (int)((char *)memchr(text, 'z', sizeof text) - text), strncmp(text, "The quack", 7) > 0);
}

static jmp_buf env;
static int depth_reached;
/*
 * Recurses 50 calls deep (with a live frame each) and unwinds them all with one longjmp. It never
 * returns normally, which GCC reports as infinite recursion.
 */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static void dive(int depth) {
  volatile char pad[64];
  pad[depth % 64] = (char)depth;
  depth_reached = pad[depth % 64];
  if (depth < 50) dive(depth + 1);
  else longjmp(env, depth);
  pad[0] = 0; /* keeps the frame alive across the call, so the recursion is not turned into a loop */
}

static void jumps(void) {
  volatile int counter = 0;
  volatile double fp = 1.5;
  int r = setjmp(env);
  counter++;
  fp *= 2;
  if (r == 0) dive(0);
  printf("-- setjmp/longjmp\nlongjmp value %d counter %d fp %g depth %d\n", r, counter, fp, depth_reached);
  r = setjmp(env);
  if (r == 0) longjmp(env, 0); /* longjmp(env, 0) makes setjmp return 1 */
  printf("longjmp 0 returns %d\n", r);
}

static void atomics(void) {
  static int64_t counter;
  static uint32_t word = 5;
  for (int i = 0; i < 1000; i++) __atomic_fetch_add(&counter, i, __ATOMIC_SEQ_CST);
  uint32_t expected = 5;
  int swapped = __atomic_compare_exchange_n(&word, &expected, 9, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
  int swapped2 = __atomic_compare_exchange_n(&word, &expected, 11, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
  uint32_t old = __atomic_exchange_n(&word, 77, __ATOMIC_SEQ_CST);
  uint32_t before_or = __atomic_fetch_or(&word, 0x100, __ATOMIC_RELAXED);
  printf("-- atomics\nfetch_add %" PRId64 " cas %d cas-fail %d expected %" PRIu32 " exchange old %" PRIu32 " now %" PRIu32
         " fetch_or returned %" PRIu32 "\n",
         counter, swapped, swapped2, expected, old, word, before_or);
}

static void vectors(void) {
  enum { N = 1003 }; /* not a multiple of the vector width, so the scalar tail runs too */
  static int32_t a[N], b[N], o[N];
  static uint8_t ba[N], bb[N], bo[N];
  static int16_t ha[N], hb[N];
  static float x[N], y[N];
  static double dx[N], dy[N];
  for (int i = 0; i < N; i++) {
    uint64_t r = rnd();
    a[i] = (int32_t)r;
    b[i] = (int32_t)(r >> 32);
    ba[i] = (uint8_t)r;
    bb[i] = (uint8_t)(r >> 8);
    ha[i] = (int16_t)(r >> 16);
    hb[i] = (int16_t)(r >> 40);
    x[i] = (float)(int32_t)(r >> 20) / 4096.0f;
    y[i] = (float)i * 0.25f;
    dx[i] = (double)(int64_t)r / 1e15;
    dy[i] = i * 1.5;
  }
  printf("-- SIMD loops (-O3)\nint %08" PRIx32 " bytes %08" PRIx32 " dot16 %" PRId64 "\n", vec_int(N, a, b, o), vec_bytes(N, ba, bb, bo),
         vec_dot16(N, ha, hb));
  vec_saxpy(N, 1.75f, x, y);
  vec_daxpy(N, -0.3, dx, dy);
  double fs = 0, ds = 0;
  for (int i = 0; i < N; i++) {
    fs += y[i];
    ds += dy[i];
  }
  printf("saxpy sum %.17g y[1002] %.9g daxpy sum %.17g fmin %.9g\n", fs, y[N - 1], ds, vec_fmin(N, x));
}

int main(void) {
  integers();
  doubles();
  floats();
  parsing();
  sorting();
  strings();
  jumps();
  atomics();
  vectors();
  printf("done\n");
  return 0;
}
