#include "archml/boost/gradient_booster.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "archml/boost/xgboost_json.h"

namespace archml::boost {
namespace {

struct Data {
  std::vector<float> values, labels;
  std::size_t rows = 0, cols = 4;
};

Data make_data(std::size_t rows, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<float> normal(0, 1);
  std::uniform_real_distribution<float> unit(0, 1);
  Data d;
  d.rows = rows;
  for (std::size_t r = 0; r < rows; ++r) {
    float x[4];
    for (float& v : x) v = normal(random);
    for (std::size_t c = 0; c < d.cols; ++c)
      d.values.push_back(c == 3 && unit(random) < 0.2f ? NAN : x[c]);
    const float p = 1 / (1 + std::exp(-(2 * x[0] - x[1] + (std::isnan(d.values.back()) ? 1 : 0))));
    d.labels.push_back(unit(random) < p ? 1.0f : 0.0f);
  }
  return d;
}

std::string train_json(const Data& d, BoostParams params, int rounds) {
  const BinnedMatrix m = BinnedMatrix::build({d.values.data(), d.rows, d.cols}, 64, params.threads);
  GradientBooster booster(m, d.labels, params);
  for (int i = 0; i < rounds; ++i) booster.boost_round();
  ModelDescription description;
  description.num_feature = d.cols;
  return xgboost_json(description, booster.trees());
}

BoostParams sampled_params(unsigned threads) {
  BoostParams p;
  p.max_depth = 4;
  p.subsample = 0.7;
  p.colsample_bynode = 0.75;
  p.threads = threads;
  p.seed = 11;
  return p;
}

// Enough rows for several histogram chunks per node, so that threads share nodes.
TEST(BoostGradientBooster, OneAndTwoThreadsGrowTheSameModel) {
  const Data d = make_data(100'000, 3);
  EXPECT_EQ(train_json(d, sampled_params(1), 5), train_json(d, sampled_params(2), 5));
}

TEST(BoostGradientBooster, TheSameSeedGivesTheSameModelAndAnotherSeedAnother) {
  const Data d = make_data(20'000, 4);
  BoostParams other = sampled_params(2);
  other.seed = 12;
  EXPECT_EQ(train_json(d, sampled_params(2), 4), train_json(d, sampled_params(2), 4));
  EXPECT_NE(train_json(d, sampled_params(2), 4), train_json(d, other, 4));
}

TEST(BoostGradientBooster, TreesStayWithinMaxDepthAndGammaPrunesSplits) {
  const Data d = make_data(20'000, 5);
  const BinnedMatrix m = BinnedMatrix::build({d.values.data(), d.rows, d.cols}, 64, 2);
  BoostParams p;
  p.max_depth = 3;
  p.threads = 2;
  GradientBooster deep(m, d.labels, p);
  const Tree& tree = deep.boost_round();
  EXPECT_LE(tree.size(), 15u);
  EXPECT_GT(tree.size(), 7u);
  for (std::size_t n = 0; n < tree.size(); ++n) {
    int depth = 0;
    for (int at = static_cast<int>(n); tree.parent[at] >= 0; at = tree.parent[at]) ++depth;
    EXPECT_LE(depth, 3);
    if (!tree.is_leaf(static_cast<int>(n))) {
      EXPECT_GE(tree.loss_change[n], 0.0f);
    }
  }
  p.gamma = 1e9;  // no split is worth that much
  GradientBooster pruned(m, d.labels, p);
  EXPECT_EQ(pruned.boost_round().size(), 1u);
}

// Boosting lowers the training loss round after round, and the engine's margins are the
// sums of its trees' values walked on the float rows.
TEST(BoostGradientBooster, MarginsAreTheTreesSumsAndTheLossFalls) {
  const Data d = make_data(20'000, 6);
  const BinnedMatrix m = BinnedMatrix::build({d.values.data(), d.rows, d.cols}, 64, 2);
  BoostParams p;
  p.threads = 2;
  GradientBooster booster(m, d.labels, p);
  double last_loss = INFINITY;
  for (int round = 0; round < 5; ++round) {
    booster.boost_round();
    double loss = 0;
    for (std::size_t r = 0; r < d.rows; ++r) {
      const double q = 1 / (1 + std::exp(-booster.training_margins()[r]));
      loss -= d.labels[r] == 1 ? std::log(q) : std::log(1 - q);
    }
    EXPECT_LT(loss, last_loss);
    last_loss = loss;
  }
  for (std::size_t r = 0; r < d.rows; r += 97) {
    float margin = booster.base_margin();
    for (const Tree& tree : booster.trees()) margin += tree.predict(&d.values[r * d.cols]);
    EXPECT_FLOAT_EQ(margin, booster.training_margins()[r]) << "row " << r;
  }
}

// The reduce callback sees every histogram before use; doubling it (as two processes
// holding the same rows would sum) doubles gradient and hessian sums, which leaves the
// split choice of an unregularised tree unchanged.
TEST(BoostGradientBooster, HistogramsPassThroughTheReduceCallback) {
  const Data d = make_data(5'000, 7);
  const BinnedMatrix m = BinnedMatrix::build({d.values.data(), d.rows, d.cols}, 64, 1);
  BoostParams p;
  p.tree.lambda = 0;
  p.tree.min_child_weight = 0;
  p.max_depth = 2;
  int calls = 0;
  GradientBooster reduced(m, d.labels, p, [&](std::span<GradStats> histogram) {
    ++calls;
    for (GradStats& s : histogram) s += s;
  });
  GradientBooster plain(m, d.labels, p);
  const Tree& a = reduced.boost_round();
  const Tree& b = plain.boost_round();
  EXPECT_GT(calls, 1);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t n = 0; n < a.size(); ++n) {
    EXPECT_EQ(a.feature[n], b.feature[n]);
    EXPECT_EQ(a.split_bin[n], b.split_bin[n]);
  }
}

}  // namespace
}  // namespace archml::boost
