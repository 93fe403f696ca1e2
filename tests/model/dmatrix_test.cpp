#include "archml/model/dmatrix.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "archml/core/error.h"
#include "synthetic_data.h"

namespace archml::model {
namespace {

using testing::make_dataset;
using testing::Task;

TEST(ModelDMatrix, FromDenseKeepsShapeLabelsAndNames) {
  const auto data = make_dataset(Task::kBinary, 100, 1, 4, /*missing=*/true);
  const DMatrix matrix = DMatrix::from_dense(data.view(), data.labels, data.names, 1);
  EXPECT_EQ(matrix.rows(), 100u);
  EXPECT_EQ(matrix.cols(), 4u);
  EXPECT_EQ(matrix.labels(), data.labels);
  EXPECT_EQ(matrix.feature_names(), data.names);
  EXPECT_FALSE(matrix.max_bin().has_value());
}

TEST(ModelDMatrix, DeferredDenseIsBuiltOnFirstUseLikeFromDense) {
  const auto data = make_dataset(Task::kBinary, 200, 3, 4, /*missing=*/true);
  DMatrix deferred = DMatrix::deferred_dense(data.view(), data.labels, data.names, 1);
  EXPECT_FALSE(deferred.built());
  EXPECT_EQ(deferred.rows(), 200u);
  EXPECT_EQ(deferred.cols(), 4u);
  EXPECT_EQ(deferred.labels(), data.labels);
  EXPECT_EQ(deferred.feature_names(), data.names);
  EXPECT_FALSE(deferred.built()) << "shape, labels and names need no XGBoost copy";
  ASSERT_NE(deferred.handle(), nullptr);
  EXPECT_TRUE(deferred.built());
  EXPECT_EQ(deferred.labels(), data.labels);
  // Moving keeps the built matrix; a plain one always counts as built.
  const DMatrix moved = std::move(deferred);
  EXPECT_TRUE(moved.built());
  EXPECT_NE(moved.handle(), nullptr);
  EXPECT_TRUE(DMatrix::from_dense(data.view(), data.labels, data.names, 1).built());
}

TEST(ModelDMatrix, DeferredDenseChecksItsInputAtOnce) {
  auto data = make_dataset(Task::kBinary, 10, 1, 3);
  const std::vector<float> short_labels(9, 0.0f);
  EXPECT_THROW(DMatrix::deferred_dense(data.view(), short_labels, {}), Error);
  const std::vector<std::string> twice = {"a", "b", "a"};
  EXPECT_THROW(DMatrix::deferred_dense(data.view(), data.labels, twice), Error);
}

TEST(ModelDMatrix, UnlabelledMatrixHasNoLabels) {
  const auto data = make_dataset(Task::kBinary, 10, 1);
  const DMatrix matrix = DMatrix::from_dense(data.view(), {}, {});
  EXPECT_TRUE(matrix.labels().empty());
}

TEST(ModelDMatrix, RejectsBadInput) {
  auto data = make_dataset(Task::kBinary, 10, 1, 3);
  const std::vector<float> short_labels(9, 0.0f);
  EXPECT_THROW(DMatrix::from_dense(data.view(), short_labels, {}), Error);
  data.labels[4] = NAN;
  try {
    DMatrix::from_dense(data.view(), data.labels, {});
    FAIL();
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), ::testing::HasSubstr("label of row 4"));
  }
  data.labels[4] = 0;
  const std::vector<std::string> duplicate = {"a", "b", "a"};
  EXPECT_THROW(DMatrix::from_dense(data.view(), data.labels, duplicate), Error);
  const std::vector<std::string> too_few = {"a"};
  EXPECT_THROW(DMatrix::from_dense(data.view(), data.labels, too_few), Error);
}

TEST(ModelDMatrix, QuantileFromBatches) {
  const auto data = make_dataset(Task::kBinary, 1000, 2, 4, /*missing=*/true);
  const std::size_t batch_rows = 300;
  int calls = 0;
  const DMatrix::BatchSource source = [&](std::size_t index) -> std::optional<DenseBatch> {
    ++calls;
    const std::size_t begin = index * batch_rows;
    if (begin >= data.rows) return std::nullopt;
    const std::size_t rows = std::min(batch_rows, data.rows - begin);
    return DenseBatch{{data.values.data() + begin * data.cols, rows, data.cols},
                      std::span<const float>(data.labels).subspan(begin, rows)};
  };
  const DMatrix matrix = DMatrix::quantile_from_batches(source, data.names, {.max_bin = 64});
  EXPECT_EQ(matrix.rows(), 1000u);
  EXPECT_EQ(matrix.cols(), 4u);
  EXPECT_EQ(matrix.labels(), data.labels);
  EXPECT_EQ(matrix.max_bin(), 64);
  EXPECT_GT(calls, 5);  // XGBoost passes over the batches more than once
}

TEST(ModelDMatrix, QuantileSourceErrorsPropagate) {
  const auto data = make_dataset(Task::kBinary, 100, 2, 3);
  const DMatrix::BatchSource failing = [&](std::size_t index) -> std::optional<DenseBatch> {
    if (index == 1) throw Error(ErrorKind::kIo, "disk on fire");
    return DenseBatch{data.view(), data.labels};
  };
  try {
    DMatrix::quantile_from_batches(failing, {}, {});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_STREQ(error.what(), "disk on fire");
  }
  const DMatrix::BatchSource empty = [](std::size_t) -> std::optional<DenseBatch> {
    return std::nullopt;
  };
  EXPECT_THROW(DMatrix::quantile_from_batches(empty, {}, {}), Error);
}

}  // namespace
}  // namespace archml::model
