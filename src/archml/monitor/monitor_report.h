// The HTML page of a monitoring run: the violations, then per feature the baseline and
// live distributions side by side (numbers: histograms over the baseline's bucket edges;
// strings: the shares of the most frequent values) with the drift distance and its
// threshold. Self-contained (report/html.h).
#pragma once

#include <string>

#include "archml/monitor/checks.h"
#include "archml/monitor/statistics.h"

namespace archml::monitor {

struct ReportContext {
  std::string title = "archml monitor";
  std::string capture;   // where the capture was read
  std::string baseline;  // the baseline folder
  std::uint64_t records = 0;
  std::uint64_t failed_records = 0;
};

std::string monitor_report_html(const ReportContext& context, const DatasetStatistics& baseline,
                                const DatasetStatistics& live, const CheckResult& result);

}  // namespace archml::monitor
