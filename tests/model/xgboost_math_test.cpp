#include "archml/model/xgboost_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace archml::model {
namespace {

// The batch sigmoid must give the scalar formula's floats for every input: margins of
// both signs and all magnitudes, the clip at 88.7, glibc's special cases, NaN, and
// counts that leave a tail after the groups of four.
TEST(XGBoostMath, SigmoidAllEqualsTheScalarFormulaBitForBit) {
  std::mt19937 random(3);
  std::vector<float> values;
  std::uniform_int_distribution<std::uint32_t> any_bits;
  for (int i = 0; i < 200'000; ++i) {
    std::uint32_t bits = any_bits(random);
    float value;
    std::memcpy(&value, &bits, sizeof value);
    values.push_back(value);  // every exponent, NaNs and infinities included
  }
  std::normal_distribution<float> margin(0.0f, 12.0f);
  for (int i = 0; i < 200'000; ++i) values.push_back(margin(random));
  for (float edge :
       {88.0f, -88.0f, 88.7f, -88.7f, 88.72283f, -88.72283f, 103.28f, -103.28f, 103.98f, -103.98f,
        0.0f, -0.0f, std::numeric_limits<float>::infinity(),
        -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::denorm_min()})
    values.push_back(edge);
  for (std::size_t count : {values.size(), values.size() - 1, std::size_t{3}, std::size_t{0}}) {
    std::vector<float> expected(count), got(count);
    for (std::size_t i = 0; i < count; ++i) expected[i] = xgboost_sigmoid(values[i]);
    xgboost_sigmoid_all(values.data(), got.data(), count);
    std::size_t differing = 0;
    for (std::size_t i = 0; i < count; ++i)
      differing += std::memcmp(&expected[i], &got[i], sizeof(float)) != 0 ? 1 : 0;
    EXPECT_EQ(differing, 0u) << count << " values";
  }
  std::vector<float> in_place(values.begin(), values.begin() + 1001);
  xgboost_sigmoid_all(in_place.data(), in_place.data(), in_place.size());
  for (std::size_t i = 0; i < in_place.size(); ++i) {
    if (!std::isnan(values[i])) {
      EXPECT_EQ(in_place[i], xgboost_sigmoid(values[i])) << values[i];
    }
  }
}

// On Debian 12's glibc with an AVX2+FMA CPU the fast path must pass its self-check;
// elsewhere the scalar loop is the right answer and this says nothing.
TEST(XGBoostMath, FastPathIsTakenWhereGlibcUsesItsFmaExpf) {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
    GTEST_SKIP() << "SKIP: no AVX2+FMA on this CPU";
  EXPECT_TRUE(xgboost_sigmoid_all_is_vectorised());
}

}  // namespace
}  // namespace archml::model
