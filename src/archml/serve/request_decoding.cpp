#include "archml/serve/request_decoding.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"
#include "archml/features/feature_matrix.h"
#include "archml/serve/http_request.h"

namespace archml::serve {
namespace {

using Json = nlohmann::json;

// Calls `line(number, text)` for every non-blank line, numbered from 1.
template <typename Visit>
void for_each_line(std::string_view body, Visit line) {
  std::size_t number = 0;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view text = body.substr(start, end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (!trim_blanks(text).empty()) line(++number, text);
    start = end + 1;
  }
}

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ",") + name;
  return out;
}

std::string where(std::size_t row, std::string_view column) {
  return "row " + std::to_string(row) + ", column " + std::string(column);
}

bool is_missing_token(std::string_view field) {
  return field.empty() || field == "NA" || field == "NaN" || field == "nan" || field == "null" ||
         field == "NULL" || field == "N/A";
}

float parse_feature(std::string_view field, std::size_t row, std::string_view column) {
  field = trim_blanks(field);
  if (is_missing_token(field)) return NAN;
  double value = 0;  // non-finite numbers: the transform's rule (features/feature_matrix.h)
  if (!features::read_feature_number(field, value, column, row))
    throw_invalid(where(row, column) + ": '" + std::string(field) + "' is not a number");
  return static_cast<float>(value);
}

// One CSV line into fields; quoted fields ("a,b", "say ""hi""") are unquoted into storage.
void split_csv_line(std::string_view line, std::size_t row, std::vector<std::string_view>& out,
                    std::deque<std::string>& storage) {
  std::size_t start = 0;
  while (true) {
    if (start < line.size() && line[start] == '"') {
      std::string value;
      std::size_t i = start + 1;
      while (true) {
        if (i >= line.size()) throw_invalid("row " + std::to_string(row) + ": unclosed quote");
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            value += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        value += line[i++];
      }
      storage.push_back(std::move(value));
      out.emplace_back(storage.back());
      if (i == line.size()) return;
      if (line[i] != ',')
        throw_invalid("row " + std::to_string(row) + ": text after a closing quote");
      start = i + 1;
      continue;
    }
    const std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      out.push_back(line.substr(start));
      return;
    }
    out.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
}

class Decoder {
 public:
  Decoder(const RowLayout& layout, bool prepared, DecodedRows& rows)
      : layout_(layout), prepared_(prepared), rows_(rows) {
    rows_.prepared = prepared;
  }

  // A row given as a list of fields in CSV order.
  void add_positional(std::vector<std::string_view> fields) {
    const std::size_t row = ++rows_.count;
    if (prepared_) {
      const auto& names = layout_.feature_names;
      if (fields.size() != names.size())
        throw_invalid("row " + std::to_string(row) + " has " + std::to_string(fields.size()) +
                      " values; the prepared rows of this model have " +
                      std::to_string(names.size()) + " features (" + list(names) + ")");
      for (std::size_t c = 0; c < fields.size(); ++c)
        rows_.features.push_back(parse_feature(fields[c], row, names[c]));
      return;
    }
    const std::vector<std::string>* layout = nullptr;
    if (fields.size() == layout_.training_columns.size())
      layout = &layout_.training_columns;
    else if (fields.size() == layout_.schema_columns.size())
      layout = &layout_.schema_columns;
    else
      throw_invalid("row " + std::to_string(row) + " has " + std::to_string(fields.size()) +
                    " fields; expected " + std::to_string(layout_.training_columns.size()) + " (" +
                    list(layout_.training_columns) + ") or " +
                    std::to_string(layout_.schema_columns.size()) + " (" +
                    list(layout_.schema_columns) + ")");
    if (rows_.columns.empty()) {
      rows_.columns = *layout;
    } else if (rows_.columns.size() != layout->size()) {
      throw_invalid("row " + std::to_string(row) + " has " + std::to_string(fields.size()) +
                    " fields but the rows before it have " + std::to_string(rows_.columns.size()));
    }
    rows_.fields.push_back(std::move(fields));
  }

  void add_json(const Json& instance) {
    if (instance.is_object() && instance.size() == 1 && instance.contains("features") &&
        instance["features"].is_array()) {
      add_json(instance["features"]);
      return;
    }
    const std::size_t row = rows_.count + 1;
    if (instance.is_array()) {
      std::vector<std::string_view> fields;
      for (std::size_t i = 0; i < instance.size(); ++i)
        fields.push_back(text_of(instance[i], row, "field " + std::to_string(i + 1)));
      add_positional(std::move(fields));
      return;
    }
    if (!instance.is_object())
      throw_invalid("row " + std::to_string(row) +
                    ": an instance must be an object keyed by column name or an array, not " +
                    instance.type_name());
    const std::vector<std::string>& names =
        prepared_ ? layout_.feature_names : layout_.schema_columns;
    std::vector<std::string_view> fields;
    for (const auto& name : names) {
      const auto found = instance.find(name);
      if (found == instance.end())
        throw_invalid(where(row, name) + ": missing (use null for a missing value)");
      fields.push_back(text_of(*found, row, name));
    }
    if (!prepared_ && rows_.columns.empty() && rows_.count == 0) rows_.columns = names;
    if (!prepared_ && rows_.columns.size() != names.size())
      throw_invalid("row " + std::to_string(row) +
                    ": mixes objects and arrays of another length in one request");
    if (prepared_) {
      add_positional(std::move(fields));
    } else {
      ++rows_.count;
      rows_.fields.push_back(std::move(fields));
    }
  }

 private:
  std::string_view text_of(const Json& value, std::size_t row, std::string_view column) {
    switch (value.type()) {
      case Json::value_t::null:
        return {};
      case Json::value_t::string:
        rows_.storage.push_back(value.get<std::string>());
        break;
      case Json::value_t::boolean:
        return value.get<bool>() ? "true" : "false";
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
      case Json::value_t::number_float:
        rows_.storage.push_back(value.dump());
        break;
      default:
        throw_invalid(where(row, column) + ": expected a number, a string or null, not " +
                      value.type_name());
    }
    return rows_.storage.back();
  }

  const RowLayout& layout_;
  bool prepared_;
  DecodedRows& rows_;
};

// The first number in JSON `text` (outside strings) too large for a double, or empty.
std::string_view first_overflowing_number(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == '"') {
      for (++at; at < text.size() && text[at] != '"'; ++at)
        if (text[at] == '\\') ++at;
      ++at;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t end = text.find_first_not_of("+-0123456789.eE", at);
      const std::string_view number = text.substr(at, end - at);
      const std::string copy(number);
      if (std::isinf(std::strtod(copy.c_str(), nullptr))) return number;
      at = end;
    } else {
      ++at;
    }
  }
  return {};
}

// A JSON document; its faults in archml's words (the library's texts are not for clients).
Json parse_json(std::string_view text, std::string_view what) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& error) {
    throw_invalid(std::string(what) + " is not valid JSON: syntax error at byte " +
                  std::to_string(error.byte));
  } catch (const Json::exception&) {
    // The parser's only other failure is a number beyond a double's range.
    std::string number(first_overflowing_number(text).substr(0, 40));
    throw_invalid(std::string(what) + ": the number " + (number.empty() ? "" : number + " ") +
                  "is out of range (a double holds up to about 1.8e308)");
  }
}

void decode_libsvm(std::string_view body, const RowLayout& layout, DecodedRows& rows) {
  rows.prepared = true;
  const std::size_t width = layout.feature_names.size();
  for_each_line(body, [&](std::size_t row, std::string_view line) {
    rows.count = row;
    const std::size_t base = rows.features.size();
    rows.features.resize(base + width, NAN);
    std::size_t start = 0;
    bool first = true;
    while (start < line.size()) {
      while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
      if (start >= line.size()) break;
      std::size_t end = line.find_first_of(" \t", start);
      if (end == std::string_view::npos) end = line.size();
      const std::string_view token = line.substr(start, end - start);
      start = end;
      const std::size_t colon = token.find(':');
      if (colon == std::string_view::npos) {
        if (!first)
          throw_invalid("row " + std::to_string(row) + ": '" + std::string(token) +
                        "' is not index:value");
        first = false;  // the label, ignored as SageMaker ignores it at inference
        continue;
      }
      first = false;
      std::size_t index = 0;
      const std::string_view index_text = token.substr(0, colon);
      const auto parsed =
          std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
      if (parsed.ec != std::errc() || parsed.ptr != index_text.data() + index_text.size() ||
          index >= width)
        throw_invalid("row " + std::to_string(row) + ": feature index '" + std::string(index_text) +
                      "' is not in 0.." + std::to_string(width - 1));
      rows.features[base + index] =
          parse_feature(token.substr(colon + 1), row, layout.feature_names[index]);
    }
  });
}

}  // namespace

std::optional<BodyFormat> body_format_of(std::string_view content_type) {
  const std::string_view type = trim_blanks(content_type.substr(0, content_type.find(';')));
  if (type.empty() || equals_ignoring_case(type, "text/csv")) return BodyFormat::kCsv;
  if (equals_ignoring_case(type, "text/libsvm") || equals_ignoring_case(type, "text/x-libsvm"))
    return BodyFormat::kLibsvm;
  if (equals_ignoring_case(type, "application/json")) return BodyFormat::kJson;
  if (equals_ignoring_case(type, "application/jsonlines") ||
      equals_ignoring_case(type, "application/x-jsonlines") ||
      equals_ignoring_case(type, "application/jsonl"))
    return BodyFormat::kJsonLines;
  return std::nullopt;
}

DecodedRows decode_rows(BodyFormat format, std::string_view body, const RowLayout& layout,
                        bool prepared) {
  DecodedRows rows;
  Decoder decoder(layout, prepared, rows);
  switch (format) {
    case BodyFormat::kCsv:
      for_each_line(body, [&](std::size_t row, std::string_view line) {
        std::vector<std::string_view> fields;
        fields.reserve(layout.training_columns.size());
        split_csv_line(line, row, fields, rows.storage);
        decoder.add_positional(std::move(fields));
      });
      break;
    case BodyFormat::kLibsvm:
      decode_libsvm(body, layout, rows);
      break;
    case BodyFormat::kJson: {
      const Json json = parse_json(body, "the body");
      const Json* instances = &json;
      if (json.is_object()) {
        const auto found = json.find("instances");
        if (found == json.end() || !found->is_array())
          throw_invalid(R"(the JSON body must be {"instances": [...]} or an array of instances)");
        instances = &*found;
      } else if (!json.is_array()) {
        throw_invalid(R"(the JSON body must be {"instances": [...]} or an array of instances)");
      }
      for (const Json& instance : *instances) decoder.add_json(instance);
      break;
    }
    case BodyFormat::kJsonLines:
      for_each_line(body, [&](std::size_t row, std::string_view line) {
        decoder.add_json(parse_json(line, "line " + std::to_string(row)));
      });
      break;
  }
  return rows;
}

}  // namespace archml::serve
