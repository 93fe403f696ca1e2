#include "archml/model/dmatrix.h"

#include <xgboost/c_api.h>

#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <unordered_set>
#include <utility>

#include "archml/core/error.h"
#include "archml/core/parallel.h"
#include "archml/model/xgb_error.h"

namespace archml::model {
namespace {

unsigned resolve_threads(unsigned nthread) {
  return nthread == 0 ? core::hardware_threads() : nthread;
}

void check_labels(std::span<const float> labels, std::size_t rows, std::size_t first_row) {
  if (!labels.empty() && labels.size() != rows) {
    throw_invalid("got " + std::to_string(labels.size()) + " labels for " + std::to_string(rows) +
                  " rows; give one label per row");
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!std::isfinite(labels[i])) {
      throw_invalid("label of row " + std::to_string(first_row + i) +
                    " is not a finite number; drop or impute rows with a missing target");
    }
  }
}

void set_labels(DMatrixHandle handle, std::span<const float> labels) {
  if (labels.empty()) return;
  // Type 1 is float32 in XGBoost's DataType enum.
  check_xgb(XGDMatrixSetDenseInfo(handle, "label", labels.data(), labels.size(), 1),
            "set the labels");
}

// State shared with XGBoost's C callbacks. Exceptions must not unwind through XGBoost's
// frames, so they are parked here and rethrown once XGBoost returns.
struct BatchIterator {
  const DMatrix::BatchSource* source = nullptr;
  DMatrixHandle proxy = nullptr;
  std::size_t next_index = 0;
  std::size_t cols = 0;
  bool cols_known = false;
  std::size_t rows_seen = 0;
  bool labelled = false;
  std::string interface;  // kept alive while XGBoost reads the batch
  std::exception_ptr error;

  int next() {
    try {
      const std::size_t index = next_index;
      std::optional<DenseBatch> batch = (*source)(index);
      if (!batch) return 0;
      ++next_index;
      const DenseView& features = batch->features;
      if (!cols_known) {
        cols = features.cols;
        cols_known = true;
        labelled = !batch->labels.empty();
      } else if (features.cols != cols) {
        throw_invalid("batch " + std::to_string(index) + " has " + std::to_string(features.cols) +
                      " columns where batch 0 had " + std::to_string(cols));
      } else if (batch->labels.empty() == labelled) {
        throw_invalid("batch " + std::to_string(index) +
                      (labelled ? " has no labels" : " has labels") + " unlike batch 0");
      }
      if (index == 0) rows_seen = 0;
      check_labels(batch->labels, features.rows, rows_seen);
      rows_seen += features.rows;
      interface = array_interface(features);
      check_xgb(XGProxyDMatrixSetDataDense(proxy, interface.c_str()), "read a batch of rows");
      set_labels(proxy, batch->labels);
      return 1;
    } catch (...) {
      error = std::current_exception();
      return 0;
    }
  }

  void reset() { next_index = 0; }
};

int iterator_next(DataIterHandle handle) {
  return static_cast<BatchIterator*>(handle)->next();
}
void iterator_reset(DataIterHandle handle) {
  static_cast<BatchIterator*>(handle)->reset();
}

// A copy of dense rows in XGBoost's own storage, with their labels.
DMatrixHandle create_dense(const DenseView& features, std::span<const float> labels,
                           unsigned nthread) {
  const std::string data = array_interface(features);
  const std::string config = std::string(R"({"missing": )") + kMissingNaN + R"(, "nthread": )" +
                             std::to_string(resolve_threads(nthread)) + "}";
  DMatrixHandle handle = nullptr;
  check_xgb(XGDMatrixCreateFromDense(data.c_str(), config.c_str(), &handle),
            "build a matrix from dense rows");
  try {
    set_labels(handle, labels);
  } catch (...) {
    XGDMatrixFree(handle);
    throw;
  }
  return handle;
}

// Checks that names are one per column, non-empty and unique; returns them for XGBoost.
std::vector<const char*> checked_feature_names(std::span<const std::string> names,
                                               std::size_t cols) {
  std::vector<const char*> pointers;
  if (names.empty()) return pointers;
  if (names.size() != cols) {
    throw_invalid("got " + std::to_string(names.size()) + " feature names for " +
                  std::to_string(cols) + " columns");
  }
  std::unordered_set<std::string_view> seen;
  for (const std::string& name : names) {
    if (name.empty()) throw_invalid("a feature name is empty; every column needs a name");
    if (!seen.insert(name).second) throw_invalid("feature name '" + name + "' appears twice");
    pointers.push_back(name.c_str());
  }
  return pointers;
}

std::size_t query_rows(DMatrixHandle handle) {
  bst_ulong rows = 0;
  check_xgb(XGDMatrixNumRow(handle, &rows), "count the rows of a matrix", ErrorKind::kInternal);
  return rows;
}

}  // namespace

struct DMatrix::Deferred {
  DenseView features;
  std::vector<float> labels;
  unsigned nthread = 0;
  std::once_flag once;
  std::atomic<bool> built = false;
};

DMatrix DMatrix::from_dense(const DenseView& features, std::span<const float> labels,
                            std::span<const std::string> feature_names, unsigned nthread) {
  check_labels(labels, features.rows, 0);
  DMatrix matrix;
  matrix.handle_ = create_dense(features, labels, nthread);
  // XGBoost infers the column count from the last non-missing value of each row; an
  // all-NaN trailing column would shrink it, so the shape comes from the view.
  matrix.rows_ = features.rows;
  matrix.cols_ = features.cols;
  matrix.set_feature_names(feature_names);
  return matrix;
}

DMatrix DMatrix::deferred_dense(const DenseView& features, std::span<const float> labels,
                                std::span<const std::string> feature_names, unsigned nthread) {
  check_labels(labels, features.rows, 0);
  checked_feature_names(feature_names, features.cols);
  DMatrix matrix;
  matrix.rows_ = features.rows;
  matrix.cols_ = features.cols;
  matrix.feature_names_.assign(feature_names.begin(), feature_names.end());
  matrix.deferred_ = std::make_unique<Deferred>();
  matrix.deferred_->features = features;
  matrix.deferred_->labels.assign(labels.begin(), labels.end());
  matrix.deferred_->nthread = nthread;
  return matrix;
}

void DMatrix::build_deferred() const {
  Deferred& deferred = *deferred_;
  std::call_once(deferred.once, [&] {
    DMatrixHandle handle = create_dense(deferred.features, deferred.labels, deferred.nthread);
    std::vector<const char*> names = checked_feature_names(feature_names_, cols_);
    if (!names.empty()) {
      const int rc = XGDMatrixSetStrFeatureInfo(handle, "feature_name", names.data(), names.size());
      if (rc != 0) XGDMatrixFree(handle);
      check_xgb(rc, "set the feature names");
    }
    handle_ = handle;
    deferred.built.store(true, std::memory_order_release);
  });
}

bool DMatrix::built() const {
  return !deferred_ || deferred_->built.load(std::memory_order_acquire);
}

DMatrix DMatrix::quantile_from_batches(const BatchSource& source,
                                       std::span<const std::string> feature_names,
                                       const QuantileOptions& options) {
  if (options.max_bin < 2) {
    throw_invalid("max_bin must be at least 2, got " + std::to_string(options.max_bin));
  }
  BatchIterator iterator;
  iterator.source = &source;
  check_xgb(XGProxyDMatrixCreate(&iterator.proxy), "create a proxy matrix", ErrorKind::kInternal);
  struct ProxyGuard {
    DMatrixHandle proxy;
    ~ProxyGuard() { XGDMatrixFree(proxy); }
  } proxy_guard{iterator.proxy};

  const std::string config = std::string(R"({"missing": )") + kMissingNaN + R"(, "nthread": )" +
                             std::to_string(resolve_threads(options.nthread)) + R"(, "max_bin": )" +
                             std::to_string(options.max_bin) + "}";
  DMatrix matrix;
  const int rc = XGQuantileDMatrixCreateFromCallback(
      &iterator, iterator.proxy,
      options.reference != nullptr ? options.reference->handle() : nullptr, iterator_reset,
      iterator_next, config.c_str(), &matrix.handle_);
  if (iterator.error) std::rethrow_exception(iterator.error);
  if (!iterator.cols_known) throw_invalid("the batch source gave no rows to build a matrix from");
  check_xgb(rc, "build a quantile matrix from batches");
  matrix.rows_ = query_rows(matrix.handle_);
  matrix.cols_ = iterator.cols;
  if (options.reference != nullptr && options.reference->cols() != matrix.cols_) {
    throw_invalid("the matrix has " + std::to_string(matrix.cols_) +
                  " columns but its reference has " + std::to_string(options.reference->cols()));
  }
  matrix.max_bin_ = options.max_bin;
  matrix.set_feature_names(feature_names);
  return matrix;
}

void DMatrix::set_feature_names(std::span<const std::string> names) {
  std::vector<const char*> pointers = checked_feature_names(names, cols_);
  if (pointers.empty()) return;
  check_xgb(XGDMatrixSetStrFeatureInfo(handle_, "feature_name", pointers.data(), pointers.size()),
            "set the feature names");
  feature_names_.assign(names.begin(), names.end());
}

std::vector<float> DMatrix::labels() const {
  if (deferred_) return deferred_->labels;  // what XGBoost holds once built
  bst_ulong length = 0;
  const float* values = nullptr;
  check_xgb(XGDMatrixGetFloatInfo(handle_, "label", &length, &values), "read the labels",
            ErrorKind::kInternal);
  return std::vector<float>(values, values + length);
}

DMatrix::DMatrix(DMatrix&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      deferred_(std::move(other.deferred_)),
      rows_(other.rows_),
      cols_(other.cols_),
      feature_names_(std::move(other.feature_names_)),
      max_bin_(other.max_bin_) {}

DMatrix& DMatrix::operator=(DMatrix&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    rows_ = other.rows_;
    cols_ = other.cols_;
    deferred_ = std::move(other.deferred_);
    feature_names_ = std::move(other.feature_names_);
    max_bin_ = other.max_bin_;
  }
  return *this;
}

DMatrix::~DMatrix() {
  if (handle_ != nullptr) XGDMatrixFree(handle_);
}

}  // namespace archml::model
