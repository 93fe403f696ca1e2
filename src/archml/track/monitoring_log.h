// The model monitor's executions in the catalog (schema version 4, docs/monitor.md): each
// check `archml monitor schedule` runs is one row, with SageMaker's execution statuses.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "archml/track/catalog.h"

namespace archml::track {

struct MonitoringExecution {
  std::int64_t id = 0;
  std::string schedule;
  double started_at = 0;  // seconds since the Unix epoch
  double ended_at = 0;
  std::string status;  // Completed, CompletedWithViolations, Failed
  std::string window_start;
  std::string window_end;
  std::int64_t records = 0;
  std::int64_t violations = 0;
  std::string output;  // the folder the execution wrote
  std::string failure_reason;
};

class MonitoringLog {
 public:
  explicit MonitoringLog(std::shared_ptr<Catalog> catalog) : catalog_(std::move(catalog)) {}

  // Records an execution; returns its id.
  std::int64_t record(const MonitoringExecution& execution);
  // The newest `limit` executions of a schedule (all schedules when empty), newest first.
  std::vector<MonitoringExecution> executions(const std::string& schedule, std::int64_t limit);

 private:
  std::shared_ptr<Catalog> catalog_;
};

}  // namespace archml::track
