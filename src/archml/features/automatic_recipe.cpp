#include "archml/features/automatic_recipe.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace archml::features {
namespace {

bool named_like_id(const std::string& name) {
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "id" || lower.ends_with("_id")) return true;
  // camelCase: customerId, accountID (but not "paid").
  return name.size() > 2 && (name.ends_with("Id") || name.ends_with("ID")) &&
         std::islower(static_cast<unsigned char>(name[name.size() - 3]));
}

std::size_t distinct_codes(const data::Column& column) {
  std::vector<bool> used(column.dictionary().size(), false);
  std::size_t distinct = 0;
  for (std::uint32_t code : column.codes()) {
    if (code == data::Column::kMissingCode || used[code]) continue;
    used[code] = true;
    ++distinct;
  }
  return distinct;
}

// Why a whole-number column is an identifier rather than a measurement, or "".
std::string id_reason(const data::Column& column) {
  const auto& values = column.ints();
  if (values.size() < 2 || column.missing_count() > 0) return "";
  bool counts_rows = true;
  for (std::size_t i = 1; i < values.size() && counts_rows; ++i)
    counts_rows = values[i] == values[i - 1] + 1;
  if (counts_rows) return column.name() + " counts rows";
  if (!named_like_id(column.name())) return "";
  std::vector<std::int64_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return "";
  return column.name() + " is named like an ID and every value is distinct";
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : std::string(separator)) + part;
  return text;
}

}  // namespace

Recipe automatic_recipe(const data::Table& table, std::string_view target,
                        const AutomaticRecipeOptions& options) {
  Step drop;
  drop.kind = StepKind::kDrop;
  Step one_hot;
  one_hot.kind = StepKind::kOneHot;
  Step capped;
  capped.kind = StepKind::kOneHot;
  capped.unseen = UnseenPolicy::kOther;
  capped.max_categories = options.max_one_hot;
  std::vector<std::string> drop_reasons, one_hot_counts, capped_counts;
  const std::size_t rows = table.row_count();

  for (const auto& column : table.columns()) {
    if (column.name() == target) continue;
    if (column.type() == data::ColumnType::kString) {
      std::size_t present = rows - column.missing_count();
      std::size_t distinct = distinct_codes(column);
      std::string counted = column.name() + " (" + std::to_string(distinct) + ")";
      if (distinct == 0) {
        drop.columns.push_back(column.name());
        drop_reasons.push_back(column.name() + " has no values");
      } else if (distinct <= options.max_one_hot) {
        one_hot.columns.push_back(column.name());
        one_hot_counts.push_back(counted);
      } else if (distinct <= options.max_categories &&
                 static_cast<double>(distinct) <=
                     options.max_category_fraction * static_cast<double>(present)) {
        capped.columns.push_back(column.name());
        capped_counts.push_back(counted);
      } else {
        drop.columns.push_back(column.name());
        drop_reasons.push_back(column.name() + " has " + std::to_string(distinct) +
                               " distinct values in " + std::to_string(present) + " rows");
      }
    } else if (column.type() == data::ColumnType::kInt64) {
      std::string reason = id_reason(column);
      if (!reason.empty()) {
        drop.columns.push_back(column.name());
        drop_reasons.push_back(reason);
      }
    }
  }

  Recipe recipe;
  if (!drop.columns.empty()) {
    drop.comment = "ID-like columns: " + join(drop_reasons, "; ");
    recipe.add(drop);
  }
  if (!one_hot.columns.empty()) {
    one_hot.comment = "categories (distinct values): " + join(one_hot_counts, ", ");
    recipe.add(one_hot);
  }
  if (!capped.columns.empty()) {
    capped.comment = "many categories (distinct values): " + join(capped_counts, ", ") + "; the " +
                     std::to_string(options.max_one_hot) +
                     " most frequent get indicators, the rest share _other";
    recipe.add(capped);
  }
  return recipe;
}

}  // namespace archml::features
