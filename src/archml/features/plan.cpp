#include "archml/features/plan.h"

#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "archml/core/error.h"
#include "archml/core/numbers.h"
#include "archml/core/parallel.h"

namespace archml::features {

struct Plan::Op {
  enum class Kind { kOneHot, kAffine, kFill, kLog1p, kDerive };
  Kind kind = Kind::kAffine;
  std::string label;  // "recipe step 2 (one_hot)", for messages
  std::vector<std::size_t> reads;
  std::vector<std::size_t> writes;
  // kOneHot: the text input, its categories (writes[i] is the indicator of
  // categories[i]; a last extra write is <column>_other).
  std::size_t input = 0;
  std::vector<std::string> categories;
  bool other = false;
  UnseenPolicy unseen = UnseenPolicy::kIgnore;
  // kAffine: (x - offset) / divisor. kFill: missing -> value.
  double offset = 0;
  double divisor = 1;
  double value = 0;
  Expression expression;  // kDerive
};

namespace {

using core::kNaN;
constexpr std::int32_t kZero = -1;    // all indicators 0
constexpr std::int32_t kUnseen = -2;  // unseen category under unseen: error

std::string join(const std::vector<std::string>& names, std::size_t limit = 60) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > limit) text += ", ... (" + std::to_string(names.size()) + " in all)";
  return text;
}

// Affine parameters that keep a constant column finite: it maps to 0 in training.
void affine_parameters(const FittedStep& fitted, const FittedColumn& column, double* offset,
                       double* divisor) {
  double first = column.first;
  double spread =
      fitted.step.kind == StepKind::kMinMax ? column.second - column.first : column.second;
  *offset = std::isnan(first) ? 0.0 : first;
  *divisor = spread > 0 ? spread : 1.0;
}

void load_column(const data::Column& column, std::size_t begin, std::size_t rows, double* out) {
  switch (column.type()) {
    case data::ColumnType::kInt64: {
      const std::int64_t* in = column.ints().data() + begin;
      for (std::size_t i = 0; i < rows; ++i) out[i] = static_cast<double>(in[i]);
      break;
    }
    case data::ColumnType::kFloat64: {
      const double* in = column.floats().data() + begin;
      for (std::size_t i = 0; i < rows; ++i) out[i] = in[i];
      break;
    }
    case data::ColumnType::kBool: {
      const std::uint8_t* in = column.bools().data() + begin;
      for (std::size_t i = 0; i < rows; ++i) out[i] = in[i] ? 1.0 : 0.0;
      break;
    }
    case data::ColumnType::kString:
      break;
  }
  const auto& missing = column.missing_mask();
  if (!missing.empty()) {
    const std::uint8_t* flags = missing.data() + begin;
    for (std::size_t i = 0; i < rows; ++i)
      if (flags[i]) out[i] = kNaN;
  }
}

// A text column whose values were read as numbers (a batch where every category looks
// like one) is turned back into text so one-hot lookups see the training spelling. Only
// rows [first, end) are converted (the rest read as missing), keeping row numbers.
data::Column as_text(const data::Column& column, std::size_t first, std::size_t end) {
  data::Column text(column.name(), data::ColumnType::kString);
  std::unordered_map<std::string, std::uint32_t> codes;
  auto& out = text.mutable_codes();
  out.assign(end, data::Column::kMissingCode);
  for (std::size_t row = first; row < end; ++row) {
    if (column.is_missing(row)) continue;
    std::string value = column.text(row);
    auto [it, inserted] = codes.try_emplace(value, 0);
    if (inserted) it->second = text.mutable_dictionary().append(value);
    out[row] = it->second;
  }
  return text;
}

}  // namespace

std::ptrdiff_t Plan::find(const std::string& name) const {
  for (std::size_t i = 0; i < frame_.size(); ++i)
    if (frame_[i].name == name) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

Plan::Plan(std::vector<InputColumn> inputs, std::span<const FittedStep> steps,
           const std::string& target, std::size_t first_step)
    : inputs_(std::move(inputs)) {
  input_slots_.assign(inputs_.size(), 0);
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    FrameColumn column;
    column.name = inputs_[i].name;
    if (inputs_[i].type == data::ColumnType::kString) {
      column.is_text = true;
      column.input = i;
    } else {
      column.slot = input_slots_[i] = slot_count_++;
    }
    frame_.push_back(std::move(column));
  }

  for (std::size_t k = 0; k < steps.size(); ++k) {
    const FittedStep& fitted = steps[k];
    const std::string label = "recipe " + step_label(fitted.step, first_step + k);
    auto locate = [&](const std::string& name) -> std::size_t {
      std::ptrdiff_t index = find(name);
      if (index >= 0) return static_cast<std::size_t>(index);
      if (!target.empty() && name == target)
        throw_invalid(label + ": '" + name +
                      "' is the target column; the target is never a feature");
      std::vector<std::string> names;
      for (const auto& column : frame_) names.push_back(column.name);
      throw_not_found(label + ": unknown column '" + name +
                      "'; the columns at this step are: " + join(names));
    };
    auto numeric_slot = [&](const std::string& name, std::string_view hint) {
      const FrameColumn& column = frame_[locate(name)];
      if (column.is_text)
        throw_invalid(label + ": column '" + name + "' holds text; " + std::string(hint));
      return column.slot;
    };
    auto add_op = [&](Op op) {
      op.label = label;
      ops_.push_back(std::make_shared<const Op>(std::move(op)));
    };
    constexpr std::string_view kEncodeFirst = "one_hot or drop it first";

    switch (fitted.step.kind) {
      case StepKind::kDrop:
        for (const auto& column : fitted.columns)
          frame_.erase(frame_.begin() + locate(column.name));
        break;
      case StepKind::kOneHot:
        for (const auto& column : fitted.columns) {
          std::size_t index = locate(column.name);
          if (!frame_[index].is_text)
            throw_invalid(label + ": column '" + column.name +
                          "' holds numbers; one_hot encodes text columns");
          Op op;
          op.kind = Op::Kind::kOneHot;
          op.input = frame_[index].input;
          op.categories = column.categories;
          op.other = column.other;
          op.unseen = fitted.step.unseen;
          std::vector<FrameColumn> indicators;
          std::vector<std::string> names = column.categories;
          if (column.other) names.push_back("other");
          for (const auto& category : names) {
            FrameColumn indicator;
            indicator.name = indicator_name(column.name, category);
            if (find(indicator.name) >= 0)
              throw_invalid(label + ": the indicator '" + indicator.name +
                            "' would replace an existing column; rename or drop it first");
            indicator.is_indicator = true;
            indicator.slot = slot_count_++;
            op.writes.push_back(indicator.slot);
            indicators.push_back(std::move(indicator));
          }
          frame_.erase(frame_.begin() + index);
          frame_.insert(frame_.begin() + index, indicators.begin(), indicators.end());
          add_op(std::move(op));
        }
        break;
      case StepKind::kMinMax:
      case StepKind::kStandardize:
        for (const auto& column : fitted.columns) {
          Op op;
          op.kind = Op::Kind::kAffine;
          std::size_t slot = numeric_slot(column.name, kEncodeFirst);
          op.reads = op.writes = {slot};
          affine_parameters(fitted, column, &op.offset, &op.divisor);
          add_op(std::move(op));
        }
        break;
      case StepKind::kImpute:
        for (const auto& column : fitted.columns) {
          Op op;
          op.kind = Op::Kind::kFill;
          std::size_t slot = numeric_slot(column.name, "impute fills numeric columns");
          op.reads = op.writes = {slot};
          op.value = column.first;
          add_op(std::move(op));
        }
        break;
      case StepKind::kLog1p:
        for (const auto& column : fitted.columns) {
          Op op;
          op.kind = Op::Kind::kLog1p;
          std::size_t slot = numeric_slot(column.name, kEncodeFirst);
          op.reads = op.writes = {slot};
          add_op(std::move(op));
        }
        break;
      case StepKind::kDerive: {
        if (!target.empty() && fitted.step.name == target)
          throw_invalid(label + ": '" + target + "' is the target column; derive another name");
        Op op;
        op.kind = Op::Kind::kDerive;
        op.expression = Expression::parse(fitted.step.expression, label);
        for (const auto& name : op.expression.columns())
          op.reads.push_back(numeric_slot(name, "expressions read numeric columns"));
        FrameColumn derived;
        derived.name = fitted.step.name;
        derived.slot = slot_count_++;
        op.writes = {derived.slot};
        std::ptrdiff_t existing = find(derived.name);
        if (existing >= 0)
          frame_[static_cast<std::size_t>(existing)] = derived;
        else
          frame_.push_back(derived);
        add_op(std::move(op));
        break;
      }
    }
  }
}

namespace {

// Which ops and inputs computing `wanted` needs: walk the ops backwards from the wanted
// slots, keeping every op that writes a needed slot and needing what it reads.
std::vector<bool> needed_ops(const std::vector<std::shared_ptr<const Plan::Op>>& ops,
                             std::size_t slot_count, std::span<const std::size_t> wanted,
                             std::vector<bool>* needed_slots) {
  std::vector<bool> need_slot(slot_count, false);
  for (std::size_t slot : wanted) need_slot.at(slot) = true;
  std::vector<bool> need_op(ops.size(), false);
  for (std::size_t k = ops.size(); k-- > 0;) {
    bool writes_needed = false;
    for (std::size_t slot : ops[k]->writes) writes_needed = writes_needed || need_slot[slot];
    if (!writes_needed) continue;
    need_op[k] = true;
    for (std::size_t slot : ops[k]->reads) need_slot[slot] = true;
  }
  *needed_slots = std::move(need_slot);
  return need_op;
}

}  // namespace

std::vector<bool> Plan::needed_inputs(std::span<const std::size_t> wanted) const {
  std::vector<bool> need_slot;
  std::vector<bool> need_op = needed_ops(ops_, slot_count_, wanted, &need_slot);
  std::vector<bool> need_input(inputs_.size(), false);
  for (std::size_t i = 0; i < inputs_.size(); ++i)
    if (inputs_[i].type != data::ColumnType::kString) need_input[i] = need_slot[input_slots_[i]];
  for (std::size_t k = 0; k < ops_.size(); ++k)
    if (need_op[k] && ops_[k]->kind == Op::Kind::kOneHot) need_input[ops_[k]->input] = true;
  return need_input;
}

void Plan::run(const data::Table& table, std::span<const std::size_t> wanted,
               const std::function<void(const Block&)>& sink, unsigned threads,
               std::size_t first_row, std::size_t end_row) const {
  std::vector<bool> need_slot;
  std::vector<bool> need_op = needed_ops(ops_, slot_count_, wanted, &need_slot);
  std::vector<bool> need_input = needed_inputs(wanted);

  const std::size_t rows = std::min(end_row, table.row_count());
  first_row = std::min(first_row, rows);

  // Bind inputs to the table's columns by name, reporting every missing one at once.
  std::vector<const data::Column*> columns(inputs_.size(), nullptr);
  std::vector<data::Column> converted;
  converted.reserve(inputs_.size());
  std::vector<std::string> absent;
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    if (!need_input[i]) continue;
    std::ptrdiff_t index = table.find(inputs_[i].name);
    if (index < 0) {
      absent.push_back(inputs_[i].name);
      continue;
    }
    const data::Column& column = table.column(static_cast<std::size_t>(index));
    bool want_text = inputs_[i].type == data::ColumnType::kString;
    if (!want_text && !column.is_numeric())
      throw_invalid("column '" + inputs_[i].name + "' holds text, but the recipe was fitted on " +
                    std::string(data::to_string(inputs_[i].type)) + " values");
    if (want_text && column.is_numeric()) {
      converted.push_back(as_text(column, first_row, rows));
      columns[i] = &converted.back();
    } else {
      columns[i] = &column;
    }
  }
  if (!absent.empty()) {
    std::vector<std::string> present;
    for (const auto& column : table.columns()) present.push_back(column.name());
    throw_not_found("the data lacks column" + std::string(absent.size() > 1 ? "s " : " ") +
                    join(absent) + " that the fitted recipe reads; it has: " + join(present));
  }

  // Per one-hot op, the table's dictionary codes mapped to indicator positions once, so
  // the row loop is a table lookup.
  std::vector<std::vector<std::int32_t>> lookups(ops_.size());
  for (std::size_t k = 0; k < ops_.size(); ++k) {
    const Op& op = *ops_[k];
    if (!need_op[k] || op.kind != Op::Kind::kOneHot) continue;
    std::unordered_map<std::string_view, std::int32_t> positions;
    for (std::size_t c = 0; c < op.categories.size(); ++c)
      positions.emplace(op.categories[c], static_cast<std::int32_t>(c));
    std::int32_t fallback = op.other ? static_cast<std::int32_t>(op.categories.size())
                            : op.unseen == UnseenPolicy::kError ? kUnseen
                                                                : kZero;
    const data::Column& column = *columns[op.input];
    const data::Dictionary& dictionary = column.dictionary();
    auto& lookup = lookups[k];
    lookup.resize(dictionary.size());
    bool any_unseen = false;
    for (std::uint32_t code = 0; code < dictionary.size(); ++code) {
      auto found = positions.find(dictionary.at(code));
      lookup[code] = found != positions.end() ? found->second : fallback;
      any_unseen = any_unseen || lookup[code] == kUnseen;
    }
    // Scanning in row order before the parallel part names the first bad row, whatever
    // the thread count.
    if (any_unseen) {
      const auto& codes = column.codes();
      for (std::size_t row = first_row; row < rows; ++row) {
        if (codes[row] == data::Column::kMissingCode || lookup[codes[row]] != kUnseen) continue;
        throw_invalid(op.label + ": row " + std::to_string(row + 1) + ", column '" +
                      inputs_[op.input].name + "': category '" +
                      std::string(dictionary.at(codes[row])) +
                      "' was not seen in training (known: " + join(op.categories) +
                      "); set unseen: ignore or other to accept new categories");
      }
    }
  }

  const std::size_t blocks = (rows - first_row + kBlockRows - 1) / kBlockRows;
  core::parallel_for(
      blocks,
      [&](std::size_t b) {
        Block block;
        block.index = b;
        block.begin = first_row + b * kBlockRows;
        block.end = std::min(rows, block.begin + kBlockRows);
        const std::size_t n = block.size();
        std::vector<std::vector<double>> buffers(slot_count_);
        block.slots = &buffers;
        for (std::size_t i = 0; i < inputs_.size(); ++i) {
          if (!need_input[i] || inputs_[i].type == data::ColumnType::kString) continue;
          auto& buffer = buffers[input_slots_[i]];
          buffer.resize(n);
          load_column(*columns[i], block.begin, n, buffer.data());
        }
        std::vector<const double*> arguments;
        for (std::size_t k = 0; k < ops_.size(); ++k) {
          if (!need_op[k]) continue;
          const Op& op = *ops_[k];
          switch (op.kind) {
            case Op::Kind::kOneHot: {
              for (std::size_t slot : op.writes) buffers[slot].assign(n, 0.0);
              const std::uint32_t* codes = columns[op.input]->codes().data() + block.begin;
              const std::int32_t* lookup = lookups[k].data();
              for (std::size_t i = 0; i < n; ++i) {
                if (codes[i] == data::Column::kMissingCode) continue;
                std::int32_t position = lookup[codes[i]];
                if (position >= 0) buffers[op.writes[static_cast<std::size_t>(position)]][i] = 1.0;
              }
              break;
            }
            case Op::Kind::kAffine: {
              double* values = buffers[op.writes[0]].data();
              for (std::size_t i = 0; i < n; ++i) values[i] = (values[i] - op.offset) / op.divisor;
              break;
            }
            case Op::Kind::kFill: {
              double* values = buffers[op.writes[0]].data();
              for (std::size_t i = 0; i < n; ++i)
                if (std::isnan(values[i])) values[i] = op.value;
              break;
            }
            case Op::Kind::kLog1p: {
              double* values = buffers[op.writes[0]].data();
              for (std::size_t i = 0; i < n; ++i) {
                double y = std::log1p(values[i]);
                values[i] = std::isfinite(y) ? y : kNaN;
              }
              break;
            }
            case Op::Kind::kDerive: {
              arguments.clear();
              for (std::size_t slot : op.reads) arguments.push_back(buffers[slot].data());
              auto& out = buffers[op.writes[0]];
              out.resize(n);
              op.expression.evaluate(arguments, n, out.data());
              break;
            }
          }
        }
        sink(block);
      },
      threads);
}

}  // namespace archml::features
