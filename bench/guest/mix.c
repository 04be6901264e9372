/*
 * Benchmark workload mixing the three kinds of code an emulator has to be fast at:
 *   integer  - a sieve of Eratosthenes and an open-addressing hash table (loads, stores, multiplies),
 *   floating - a Mandelbrot set and a small n-body simulation (double arithmetic, sqrt, compares),
 *   branchy  - a bytecode interpreter (an indirect branch per instruction) and a quicksort.
 * Prints one checksum per part so a run can be checked against qemu-aarch64. argv[1] scales the work
 * (default 1: about 1-3 s under qemu-aarch64 on a current x86-64 machine).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static uint64_t sieve(int n) {
  unsigned char *composite = calloc(n + 1, 1);
  uint64_t count = 0, sum = 0;
  for (int i = 2; i <= n; i++) {
    if (composite[i]) continue;
    count++;
    sum += (uint64_t)i;
    for (long j = (long)i * i; j <= n; j += i) composite[j] = 1;
  }
  free(composite);
  return count * 1000003u ^ sum;
}

static uint64_t hash_table(int ops) {
  enum { BITS = 16, SIZE = 1 << BITS };
  uint64_t *keys = calloc(SIZE, sizeof *keys);
  uint32_t *vals = calloc(SIZE, sizeof *vals);
  uint64_t found = 0;
  for (int i = 0; i < ops; i++) {
    uint64_t k = (next() % 40000) + 1;
    uint32_t h = (uint32_t)((k * 0x9e3779b97f4a7c15ull) >> (64 - BITS));
    while (keys[h] && keys[h] != k) h = (h + 1) & (SIZE - 1);
    if (keys[h] == k) {
      found++;
      vals[h] += (uint32_t)i;
    } else {
      keys[h] = k;
      vals[h] = (uint32_t)i;
    }
  }
  uint64_t sum = found;
  for (int i = 0; i < SIZE; i++) sum = sum * 31 + vals[i];
  free(keys);
  free(vals);
  return sum;
}

static uint64_t mandelbrot(int size, int limit) {
  uint64_t total = 0;
  for (int y = 0; y < size; y++) {
    for (int x = 0; x < size; x++) {
      double cr = -2.0 + 2.5 * x / size, ci = -1.25 + 2.5 * y / size;
      double zr = 0, zi = 0;
      int k = 0;
      while (k < limit && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        k++;
      }
      total += (uint64_t)k;
    }
  }
  return total;
}

static double nbody(int steps) {
  enum { N = 5 };
  double p[N][3], v[N][3], m[N];
  for (int i = 0; i < N; i++) {
    for (int d = 0; d < 3; d++) {
      p[i][d] = (double)(next() % 2000) / 100.0 - 10.0;
      v[i][d] = (double)(next() % 200) / 1000.0 - 0.1;
    }
    m[i] = 1.0 + (double)(next() % 100) / 10.0;
  }
  const double dt = 0.001;
  for (int s = 0; s < steps; s++) {
    for (int i = 0; i < N; i++) {
      for (int j = i + 1; j < N; j++) {
        double d[3], r2 = 0.01;
        for (int k = 0; k < 3; k++) {
          d[k] = p[i][k] - p[j][k];
          r2 += d[k] * d[k];
        }
        double mag = dt / (r2 * sqrt(r2));
        for (int k = 0; k < 3; k++) {
          v[i][k] -= d[k] * m[j] * mag;
          v[j][k] += d[k] * m[i] * mag;
        }
      }
    }
    for (int i = 0; i < N; i++)
      for (int k = 0; k < 3; k++) p[i][k] += dt * v[i][k];
  }
  double e = 0;
  for (int i = 0; i < N; i++) e += 0.5 * m[i] * (v[i][0] * v[i][0] + v[i][1] * v[i][1] + v[i][2] * v[i][2]);
  return e;
}

/* A stack machine: the program sums a Collatz-like sequence, branching on data at every step. */
enum op { PUSH, ADD, SUB, MUL, DUP, SWAP, JZ, JMP, ODD, HALF, DROP, HALT };
struct insn {
  enum op op;
  int64_t arg;
};

static int64_t interpret(const struct insn *code, int64_t start) {
  int64_t stack[64];
  int sp = 0, pc = 0;
  int64_t steps = 0;
  stack[sp++] = start;
  for (;;) {
    const struct insn *in = &code[pc++];
    steps++;
    switch (in->op) {
    case PUSH: stack[sp++] = in->arg; break;
    case ADD: sp--; stack[sp - 1] += stack[sp]; break;
    case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
    case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
    case DUP: stack[sp] = stack[sp - 1]; sp++; break;
    case SWAP: { int64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
    case JZ: if (stack[--sp] == 0) pc = (int)in->arg; break;
    case JMP: pc = (int)in->arg; break;
    case ODD: stack[sp - 1] &= 1; break;
    case HALF: stack[sp - 1] >>= 1; break;
    case DROP: sp--; break;
    case HALT: return steps * 7 + stack[sp - 1];
    }
  }
}

static int64_t collatz_programs(int count) {
  /* n: loop { if n == 1 halt; if odd n = 3n+1 else n = n/2 } */
  static const struct insn code[] = {
      /* 0 */ {DUP, 0}, {PUSH, 1}, {SUB, 0}, {JZ, 15},
      /* 4 */ {DUP, 0}, {ODD, 0}, {JZ, 12},
      /* 7 */ {PUSH, 3}, {MUL, 0}, {PUSH, 1}, {ADD, 0}, {JMP, 0},
      /* 12 */ {HALF, 0}, {JMP, 0}, {HALT, 0},
      /* 15 */ {HALT, 0},
  };
  int64_t sum = 0;
  for (int i = 1; i <= count; i++) sum += interpret(code, i);
  return sum;
}

static void quicksort(int32_t *a, long lo, long hi) {
  while (lo < hi) {
    int32_t pivot = a[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        int32_t t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

static uint64_t sorting(int n) {
  int32_t *a = malloc(n * sizeof *a);
  for (int i = 0; i < n; i++) a[i] = (int32_t)next();
  quicksort(a, 0, n - 1);
  uint64_t sum = 0;
  for (int i = 0; i < n; i++) sum = sum * 1000003 + (uint32_t)a[i] + (i && a[i - 1] > a[i] ? 1u << 31 : 0);
  free(a);
  return sum;
}

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  if (scale < 1) scale = 1;
  printf("sieve %016llx\n", (unsigned long long)sieve(2000000 * scale));
  printf("hash %016llx\n", (unsigned long long)hash_table(1000000 * scale));
  printf("mandelbrot %llu\n", (unsigned long long)mandelbrot(200 * scale, 200));
  printf("nbody %.12e\n", nbody(100000 * scale));
  printf("interpreter %lld\n", (long long)collatz_programs(10000 * scale));
  printf("quicksort %016llx\n", (unsigned long long)sorting(300000 * scale));
  return 0;
}
