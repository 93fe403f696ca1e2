// The one transform implementation: fitted steps laid out over numbered slots (a slot is
// one numeric column of the working frame) and run over a Table in blocks of rows, in
// parallel. Fitting runs the prefix of a recipe through the same plan to learn each
// step's statistics from the values it will see, and transforming runs all of it.
//
// Only the work that the wanted slots depend on is done, so a column dropped before use
// is never read and fitting one scaler does not compute unrelated features.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "archml/data/table.h"
#include "archml/features/expression.h"
#include "archml/features/fitted_step.h"

namespace archml::features {

// A column of the working frame after some steps.
struct FrameColumn {
  std::string name;
  bool is_text = false;       // a raw text column not yet one-hot encoded
  bool is_indicator = false;  // made by one_hot
  std::size_t slot = 0;       // numeric columns: the slot holding its values
  std::size_t input = 0;      // text columns: index into Plan::inputs()
};

// Rows [begin, end) of the table; slot(s) are the values of wanted slots for those rows.
struct Block {
  std::size_t index = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  const std::vector<std::vector<double>>* slots = nullptr;
  const double* slot(std::size_t s) const { return (*slots)[s].data(); }
  std::size_t size() const { return end - begin; }
};

class Plan {
 public:
  static constexpr std::size_t kBlockRows = 8192;

  // Lays out `steps` over `inputs`; throws archml::Error (invalid input or not found)
  // naming the step for an unknown column, a text column where numbers are needed, or the
  // target used as a feature. `first_step` numbers the steps in messages.
  Plan(std::vector<InputColumn> inputs, std::span<const FittedStep> steps,
       const std::string& target, std::size_t first_step = 1);

  const std::vector<InputColumn>& inputs() const { return inputs_; }
  const std::vector<FrameColumn>& frame() const { return frame_; }
  std::size_t slot_count() const { return slot_count_; }
  // Index into frame() of the named column, or -1.
  std::ptrdiff_t find(const std::string& name) const;
  // The inputs that computing `wanted` slots reads.
  std::vector<bool> needed_inputs(std::span<const std::size_t> wanted) const;

  // Calls sink(block) for every block of rows of `table` (of rows [first_row, end_row)
  // when given; blocks number rows as the table does), possibly concurrently, after
  // computing the `wanted` slots. Throws archml::Error if the table lacks a needed input
  // column, holds text where numbers are needed, or (unseen: error) an unseen category.
  // Blocks run on up to `threads` threads (0 = every core); results never depend on it.
  void run(const data::Table& table, std::span<const std::size_t> wanted,
           const std::function<void(const Block&)>& sink, unsigned threads,
           std::size_t first_row = 0,
           std::size_t end_row = std::numeric_limits<std::size_t>::max()) const;

  struct Op;

 private:
  std::vector<InputColumn> inputs_;
  std::vector<std::size_t> input_slots_;  // slot of each numeric input
  std::vector<FrameColumn> frame_;
  std::vector<std::shared_ptr<const Op>> ops_;
  std::size_t slot_count_ = 0;
};

}  // namespace archml::features
