/* Vectorised loops from cpu-vec.c (built at -O3), called from cpu.c (built at -O2). */
#include <stddef.h>
#include <stdint.h>

uint32_t vec_int(size_t n, const int32_t *a, const int32_t *b, int32_t *out);
uint32_t vec_bytes(size_t n, const uint8_t *a, const uint8_t *b, uint8_t *out);
int64_t vec_dot16(size_t n, const int16_t *a, const int16_t *b);
void vec_saxpy(size_t n, float k, const float *x, float *y);
void vec_daxpy(size_t n, double k, const double *x, double *y);
float vec_fmin(size_t n, const float *x);
