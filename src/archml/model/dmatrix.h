// RAII owner of an XGBoost DMatrix: the training, validation or evaluation rows with
// their labels and feature names. Two ways in:
//  - from_dense copies a dense view into XGBoost's own storage (any tree_method);
//    deferred_dense makes that copy only when XGBoost first needs the matrix, which
//    for a validation set the trainer scores itself is never (trainer.h);
//  - quantile_from_batches streams batches through XGBoost's proxy iterator into a
//    QuantileDMatrix, which keeps only the quantised bin indices (1 byte a value for
//    max_bin <= 256) and never holds the float matrix and its quantised copy at once.
//    hist only. A validation matrix passes the training matrix as `reference` so that
//    it is binned with the training cuts.
// A DMatrix is immutable once built. Several boosters may train on one handle in
// parallel threads; see trainer.h for the caveats.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "archml/model/dense_view.h"

namespace archml::model {

// One batch of rows for quantile_from_batches; labels has one value per row, or is
// empty for a matrix that is only predicted on.
struct DenseBatch {
  DenseView features;
  std::span<const float> labels;
};

class DMatrix {
 public:
  // Returns batch `index` (0, 1, 2, ...) or nullopt after the last one. XGBoost passes
  // over the batches more than once (sketch, then bin), so the source must be able to
  // restart at 0. A batch's memory must stay valid until the next call.
  using BatchSource = std::function<std::optional<DenseBatch>(std::size_t index)>;

  struct QuantileOptions {
    int max_bin = 256;                   // must equal the booster's max_bin when training
    unsigned nthread = 0;                // 0 = every core (core::hardware_threads())
    const DMatrix* reference = nullptr;  // take the bin cuts from this (training) matrix
  };

  // Labels: one per row, or empty. Feature names: one per column, unique, or empty
  // (XGBoost then says f0, f1, ...). Labels must be finite. Throws archml::Error.
  static DMatrix from_dense(const DenseView& features, std::span<const float> labels,
                            std::span<const std::string> feature_names, unsigned nthread = 0);
  // As from_dense, but the copy is made on the first call of handle() (safe from several
  // threads). `features` must stay valid until then; the labels are copied.
  static DMatrix deferred_dense(const DenseView& features, std::span<const float> labels,
                                std::span<const std::string> feature_names, unsigned nthread = 0);
  static DMatrix quantile_from_batches(const BatchSource& source,
                                       std::span<const std::string> feature_names,
                                       const QuantileOptions& options);

  DMatrix(DMatrix&& other) noexcept;
  DMatrix& operator=(DMatrix&& other) noexcept;
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  ~DMatrix();

  // XGBoost's DMatrixHandle; builds a deferred matrix first.
  void* handle() const {
    if (deferred_) build_deferred();
    return handle_;
  }
  // False while a deferred matrix has not been needed yet.
  bool built() const;
  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  // Bins of a QuantileDMatrix; nullopt for a matrix built from_dense.
  std::optional<int> max_bin() const { return max_bin_; }
  // A copy of the labels XGBoost holds (empty when none were given).
  std::vector<float> labels() const;

 private:
  DMatrix() = default;
  struct Deferred;
  void set_feature_names(std::span<const std::string> names);
  void build_deferred() const;

  // Written once, by build_deferred, for a deferred matrix.
  mutable void* handle_ = nullptr;
  std::unique_ptr<Deferred> deferred_;
  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  std::vector<std::string> feature_names_;
  std::optional<int> max_bin_;
};

}  // namespace archml::model
