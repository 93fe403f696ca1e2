#include "archml/model/xgboost_math.h"

#include <immintrin.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace archml::model {
namespace {

// glibc's expf (sysdeps/ieee754/flt-32/e_expf.c, from Arm's optimized-routines): in
// double, x N / ln 2 = k + r, exp(x) = 2^(k/N) 2^(r/N) with 2^(r/N) a cubic and 2^(k/N)
// from a 32-entry table. Its FMA build fuses four multiply-adds; the same constants and
// fused steps give the same double, rounded once to float. Valid for |x| < 88 (and for
// [88, 88.72], which takes the same path); larger, NaN and infinite inputs go to expf.
constexpr std::uint64_t kExp2Table[32] = {
    0x3ff0000000000000ull, 0x3fefd9b0d3158574ull, 0x3fefb5586cf9890full, 0x3fef9301d0125b51ull,
    0x3fef72b83c7d517bull, 0x3fef54873168b9aaull, 0x3fef387a6e756238ull, 0x3fef1e9df51fdee1ull,
    0x3fef06fe0a31b715ull, 0x3feef1a7373aa9cbull, 0x3feedea64c123422ull, 0x3feece086061892dull,
    0x3feebfdad5362a27ull, 0x3feeb42b569d4f82ull, 0x3feeab07dd485429ull, 0x3feea47eb03a5585ull,
    0x3feea09e667f3bcdull, 0x3fee9f75e8ec5f74ull, 0x3feea11473eb0187ull, 0x3feea589994cce13ull,
    0x3feeace5422aa0dbull, 0x3feeb737b0cdc5e5ull, 0x3feec49182a3f090ull, 0x3feed503b23e255dull,
    0x3feee89f995ad3adull, 0x3feeff76f2fb5e47ull, 0x3fef199bdd85529cull, 0x3fef3720dcef9069ull,
    0x3fef5818dcfba487ull, 0x3fef7c97337b9b5full, 0x3fefa4afa2a490daull, 0x3fefd0765b6e4540ull};
constexpr double kInvLn2N = 0x1.71547652b82fep+5;
constexpr double kShift = 0x1.8p+52;
constexpr double kC0 = 0x1.c6af84b912394p-20;
constexpr double kC1 = 0x1.ebfce50fac4f3p-13;
constexpr double kC2 = 0x1.62e42ff0c52d6p-6;
// Inputs whose top 12 bits (sign cleared) reach 88.0f's take glibc's special-case path.
constexpr std::uint32_t kLargeTop = 0x42b;

void sigmoid_scalar(const float* in, float* out, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) out[i] = xgboost_sigmoid(in[i]);
}

__attribute__((target("avx2,fma"))) void sigmoid_avx2(const float* in, float* out,
                                                      std::size_t count) {
  const __m128 bound = _mm_set1_ps(88.7f);
  const __m128 one_f = _mm_set1_ps(1.0f);
  const __m128 eps_f = _mm_set1_ps(1e-16f);
  const __m128 sign = _mm_set1_ps(-0.0f);
  const __m256d inv_ln2n = _mm256_set1_pd(kInvLn2N);
  const __m256d shift = _mm256_set1_pd(kShift);
  const __m256d c0 = _mm256_set1_pd(kC0);
  const __m256d c1 = _mm256_set1_pd(kC1);
  const __m256d c2 = _mm256_set1_pd(kC2);
  const __m256d one = _mm256_set1_pd(1.0);
  const __m256i index_mask = _mm256_set1_epi64x(31);
  const auto* table = reinterpret_cast<const long long*>(kExp2Table);
  std::size_t i = 0;
  for (; i + 4 <= count; i += 4) {
    const __m128 margin = _mm_loadu_ps(in + i);
    // std::min(-x, 88.7f) is (88.7f < -x) ? 88.7f : -x; minps(a, b) is a < b ? a : b.
    const __m128 x = _mm_min_ps(bound, _mm_xor_ps(margin, sign));
    const __m256d xd = _mm256_cvtps_pd(x);
    const __m256d kd_shifted = _mm256_fmadd_pd(inv_ln2n, xd, shift);
    const __m256i ki = _mm256_castpd_si256(kd_shifted);
    const __m256d kd = _mm256_sub_pd(kd_shifted, shift);
    const __m256d r = _mm256_fmsub_pd(inv_ln2n, xd, kd);
    __m256i t = _mm256_i64gather_epi64(table, _mm256_and_si256(ki, index_mask), 8);
    t = _mm256_add_epi64(t, _mm256_slli_epi64(ki, 47));
    const __m256d s = _mm256_castsi256_pd(t);
    const __m256d z = _mm256_fmadd_pd(c0, r, c1);
    const __m256d r2 = _mm256_mul_pd(r, r);
    __m256d y = _mm256_fmadd_pd(c2, r, one);
    y = _mm256_fmadd_pd(z, r2, y);
    y = _mm256_mul_pd(y, s);
    const __m128 e = _mm256_cvtpd_ps(y);
    const __m128 denominator = _mm_add_ps(_mm_add_ps(e, one_f), eps_f);
    _mm_storeu_ps(out + i, _mm_div_ps(one_f, denominator));
    // Rare lanes on glibc's special-case path: recomputed by the scalar formula. `x` is
    // read again from `in` since `out` may be `in`.
    std::uint32_t bits[4];
    _mm_storeu_si128(reinterpret_cast<__m128i*>(bits), _mm_castps_si128(x));
    for (int lane = 0; lane < 4; ++lane)
      if (((bits[lane] >> 20) & 0x7ff) >= kLargeTop) {
        const float clipped = std::min(-margin[lane], 88.7f);
        out[i + static_cast<std::size_t>(lane)] = 1.0f / (expf(clipped) + 1.0f + 1e-16f);
      }
  }
  sigmoid_scalar(in + i, out + i, count - i);
}

// The vector path must give expf's floats on this machine's libm: checked once on values
// spread over the whole range, both signs, the boundaries and the special cases.
bool vector_path_matches() {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return false;
  std::vector<float> probes;
  for (int e = -40; e <= 7; ++e)
    for (int m = 0; m < 64; ++m) {
      const float value = std::ldexp(1.0f + static_cast<float>(m) / 64.0f, e);
      probes.push_back(value);
      probes.push_back(-value);
    }
  for (float special : {0.0f, -0.0f, 88.0f, -88.0f, 88.7f, -88.7f, 88.72f, -88.72f, 103.5f, -103.5f,
                        104.0f, -104.0f, 1e30f, -1e30f, INFINITY, -INFINITY, NAN})
    probes.push_back(special);
  while (probes.size() % 4 != 0) probes.push_back(1.0f);
  std::vector<float> expected(probes.size()), got(probes.size());
  sigmoid_scalar(probes.data(), expected.data(), probes.size());
  sigmoid_avx2(probes.data(), got.data(), probes.size());
  return std::memcmp(expected.data(), got.data(), probes.size() * sizeof(float)) == 0;
}

}  // namespace

bool xgboost_sigmoid_all_is_vectorised() {
  static const bool vector = vector_path_matches();
  return vector;
}

void xgboost_sigmoid_all(const float* in, float* out, std::size_t count) {
  if (xgboost_sigmoid_all_is_vectorised())
    sigmoid_avx2(in, out, count);
  else
    sigmoid_scalar(in, out, count);
}

}  // namespace archml::model
