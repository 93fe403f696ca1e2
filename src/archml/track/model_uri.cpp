#include "archml/track/model_uri.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "archml/core/error.h"

namespace archml::track {
namespace {

constexpr std::size_t kMaxNameLength = 63;

const char* const kUriForms =
    "expected models:/GROUP/VERSION (e.g. models:/fraud/3), models:/GROUP@ALIAS (e.g. "
    "models:/fraud@production) or models:/GROUP@latest-approved";

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::optional<std::int64_t> parse_positive(std::string_view text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

}  // namespace

std::string ModelUri::text() const {
  std::string text = std::string(kModelUriScheme) + group;
  return version ? text + "/" + std::to_string(*version) : text + "@" + alias;
}

bool is_model_uri(std::string_view text) {
  return text.substr(0, kModelUriScheme.size()) == kModelUriScheme;
}

void check_group_name(std::string_view name) {
  const bool valid = !name.empty() && name.size() <= kMaxNameLength && is_alnum(name.front()) &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return is_alnum(c) || c == '.' || c == '_' || c == '-';
                     });
  if (!valid)
    throw_invalid("model group name '" + std::string(name) + "': use 1 to " +
                  std::to_string(kMaxNameLength) +
                  " letters, digits, '.', '_' or '-', starting with a letter or digit "
                  "(e.g. fraud, fraud-v2)");
}

void check_alias_name(std::string_view name) {
  const bool valid = !name.empty() && name.size() <= kMaxNameLength &&
                     std::isalpha(static_cast<unsigned char>(name.front())) != 0 &&
                     std::all_of(name.begin(), name.end(),
                                 [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
  if (!valid)
    throw_invalid("alias '" + std::string(name) + "': use 1 to " + std::to_string(kMaxNameLength) +
                  " letters, digits, '_' or '-', starting with a letter (e.g. production, "
                  "staging, champion)");
  if (name == "latest" || name == kLatestApproved)
    throw_invalid("alias '" + std::string(name) +
                  "' is reserved: models:/GROUP@latest-approved always names the highest "
                  "Approved version; choose another name (e.g. production)");
}

ModelUri parse_version_reference(const std::string& group, std::string_view reference) {
  ModelUri uri;
  uri.group = group;
  if (!reference.empty() && reference.front() == '@') reference.remove_prefix(1);
  if (auto number = parse_positive(reference)) {
    uri.version = number;
    return uri;
  }
  if (!reference.empty() && reference.front() >= '0' && reference.front() <= '9')
    throw_invalid("version '" + std::string(reference) +
                  "': a version is a number from 1 (e.g. 3) or an alias (e.g. production)");
  if (reference != kLatestApproved) check_alias_name(reference);
  uri.alias = std::string(reference);
  return uri;
}

ModelUri parse_model_uri(std::string_view text) {
  if (!is_model_uri(text))
    throw_invalid("'" + std::string(text) + "' is not a model URI; " + kUriForms);
  const std::string_view rest = text.substr(kModelUriScheme.size());
  const std::size_t at = rest.find('@');
  const std::size_t slash = rest.find('/');
  const std::size_t cut = std::min(at, slash);
  if (cut == std::string_view::npos ||
      (at != std::string_view::npos && slash != std::string_view::npos))
    throw_invalid("model URI '" + std::string(text) + "': " + kUriForms);
  const std::string group(rest.substr(0, cut));
  const std::string_view reference = rest.substr(cut + 1);
  try {
    check_group_name(group);
    if (cut == slash && !parse_positive(reference))
      throw_invalid("'" + std::string(reference) + "' is not a version number from 1");
    return parse_version_reference(
        group, cut == at ? "@" + std::string(reference) : std::string(reference));
  } catch (const Error& error) {
    throw_invalid("model URI '" + std::string(text) + "': " + error.what() + "; " + kUriForms);
  }
}

}  // namespace archml::track
