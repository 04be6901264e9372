/*
 * Loops the compiler vectorises at -O3 (the Makefile builds this file alone at -O3): they exercise
 * Advanced SIMD loads/stores, integer and floating-point lanes, widening and reductions. Each returns
 * a checksum that cpu.c prints.
 */
#include <stddef.h>
#include <stdint.h>

#include "cpu-vec.h"

uint32_t vec_int(size_t n, const int32_t *a, const int32_t *b, int32_t *out) {
  for (size_t i = 0; i < n; i++) out[i] = a[i] * b[i] + (a[i] >> 3) - (b[i] ^ 0x55);
  uint32_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += (uint32_t)out[i];
  return sum;
}

uint32_t vec_bytes(size_t n, const uint8_t *a, const uint8_t *b, uint8_t *out) {
  for (size_t i = 0; i < n; i++) {
    unsigned s = (unsigned)a[i] + b[i];
    uint8_t sat = s > 255 ? 255 : (uint8_t)s;
    out[i] = (uint8_t)((a[i] > b[i] ? a[i] : b[i]) ^ sat);
  }
  uint32_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += out[i];
  return sum;
}

/* Widening: 16-bit products summed into 64 bits. */
int64_t vec_dot16(size_t n, const int16_t *a, const int16_t *b) {
  int64_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += (int32_t)a[i] * b[i];
  return sum;
}

void vec_saxpy(size_t n, float k, const float *x, float *y) {
  for (size_t i = 0; i < n; i++) y[i] = k * x[i] + y[i];
}

void vec_daxpy(size_t n, double k, const double *x, double *y) {
  for (size_t i = 0; i < n; i++) y[i] = k * x[i] + y[i] * 0.5;
}

float vec_fmin(size_t n, const float *x) {
  float m = x[0];
  for (size_t i = 1; i < n; i++) m = x[i] < m ? x[i] : m;
  return m;
}
