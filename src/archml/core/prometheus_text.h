// Prometheus text exposition format 0.0.4: the page a /metrics endpoint answers with.
// A writer collects metric families (HELP and TYPE lines, then their samples) and
// renders them; names are sanitised to [a-zA-Z_:][a-zA-Z0-9_:]*, label values escaped
// (backslash, double quote, newline), values written in their shortest round-trip form
// with +Inf, -Inf and NaN spelled as Prometheus reads them. Generic: it knows nothing of
// what is measured.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace archml::core {

struct PrometheusLabel {
  std::string name;
  std::string value;
};

struct PrometheusSample {
  std::vector<PrometheusLabel> labels;
  double value = 0;
};

// One labelled histogram: counts per bucket (not cumulative; the writer accumulates),
// one per upper bound plus a last one for values above every bound (+Inf).
struct PrometheusHistogram {
  std::vector<PrometheusLabel> labels;
  std::vector<double> upper_bounds;  // ascending
  std::vector<std::uint64_t> bucket_counts;
  double sum = 0;
};

class PrometheusWriter {
 public:
  void counter(std::string_view name, std::string_view help,
               const std::vector<PrometheusSample>& samples);
  void gauge(std::string_view name, std::string_view help,
             const std::vector<PrometheusSample>& samples);
  // Throws archml::Error (internal) when bucket_counts does not match upper_bounds.
  void histogram(std::string_view name, std::string_view help,
                 const std::vector<PrometheusHistogram>& histograms);

  const std::string& text() const { return text_; }

  // The content type of text(), for the HTTP response.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  void family(std::string_view name, std::string_view help, std::string_view type);
  void sample(std::string_view name, const std::vector<PrometheusLabel>& labels, double value,
              const PrometheusLabel* extra = nullptr);

  std::string text_;
};

// Replaces characters a metric or label name may not hold with '_' (and prefixes '_' to
// a leading digit), e.g. "model-name.v2" -> "model_name_v2".
std::string sanitize_metric_name(std::string_view name);
std::string escape_label_value(std::string_view value);
std::string format_metric_value(double value);

}  // namespace archml::core
