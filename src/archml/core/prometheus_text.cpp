#include "archml/core/prometheus_text.h"

#include <cmath>

#include "archml/core/error.h"
#include "archml/core/numbers.h"

namespace archml::core {
namespace {

bool is_name_char(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':') return true;
  return !first && c >= '0' && c <= '9';
}

// HELP text escapes only backslash and newline (label values also escape quotes).
std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string sanitize_metric_name(std::string_view name) {
  std::string out;
  if (name.empty()) return "_";
  if (name[0] >= '0' && name[0] <= '9') out += '_';
  for (char c : name) out += is_name_char(c, false) ? c : '_';
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return shortest_text(value);
}

void PrometheusWriter::family(std::string_view name, std::string_view help, std::string_view type) {
  const std::string clean = sanitize_metric_name(name);
  text_ += "# HELP " + clean + ' ' + escape_help(help) + '\n';
  text_ += "# TYPE " + clean + ' ' + std::string(type) + '\n';
}

void PrometheusWriter::sample(std::string_view name, const std::vector<PrometheusLabel>& labels,
                              double value, const PrometheusLabel* extra) {
  text_ += sanitize_metric_name(name);
  if (!labels.empty() || extra != nullptr) {
    text_ += '{';
    bool first = true;
    auto add = [&](const PrometheusLabel& label) {
      if (!first) text_ += ',';
      first = false;
      text_ += sanitize_metric_name(label.name) + "=\"" + escape_label_value(label.value) + '"';
    };
    for (const auto& label : labels) add(label);
    if (extra != nullptr) add(*extra);
    text_ += '}';
  }
  text_ += ' ' + format_metric_value(value) + '\n';
}

void PrometheusWriter::counter(std::string_view name, std::string_view help,
                               const std::vector<PrometheusSample>& samples) {
  family(name, help, "counter");
  for (const auto& s : samples) sample(name, s.labels, s.value);
}

void PrometheusWriter::gauge(std::string_view name, std::string_view help,
                             const std::vector<PrometheusSample>& samples) {
  family(name, help, "gauge");
  for (const auto& s : samples) sample(name, s.labels, s.value);
}

void PrometheusWriter::histogram(std::string_view name, std::string_view help,
                                 const std::vector<PrometheusHistogram>& histograms) {
  family(name, help, "histogram");
  const std::string base(name);
  for (const auto& h : histograms) {
    if (h.bucket_counts.size() != h.upper_bounds.size() + 1)
      throw Error(ErrorKind::kInternal,
                  "histogram " + base + ": " + std::to_string(h.bucket_counts.size()) +
                      " bucket counts for " + std::to_string(h.upper_bounds.size()) + " bounds");
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= h.upper_bounds.size(); ++b) {
      cumulative += h.bucket_counts[b];
      const double bound = b < h.upper_bounds.size() ? h.upper_bounds[b] : INFINITY;
      const PrometheusLabel le{"le", format_metric_value(bound)};
      sample(base + "_bucket", h.labels, static_cast<double>(cumulative), &le);
    }
    sample(base + "_sum", h.labels, h.sum);
    sample(base + "_count", h.labels, static_cast<double>(cumulative));
  }
}

}  // namespace archml::core
