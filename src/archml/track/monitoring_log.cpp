#include "archml/track/monitoring_log.h"

#include <mutex>

namespace archml::track {

std::int64_t MonitoringLog::record(const MonitoringExecution& e) {
  std::lock_guard lock(catalog_->mutex_);
  std::int64_t id = 0;
  catalog_->connection_.write_transaction([&] {
    Statement(catalog_->connection_.handle(),
              "INSERT INTO monitoring_executions (schedule, started_at, ended_at, status, "
              "window_start, window_end, records, violations, output, failure_reason) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind_all(e.schedule, e.started_at, e.ended_at, e.status, e.window_start, e.window_end,
                  e.records, e.violations, e.output, e.failure_reason)
        .run();
    id = catalog_->connection_.last_insert_id();
  });
  return id;
}

std::vector<MonitoringExecution> MonitoringLog::executions(const std::string& schedule,
                                                           std::int64_t limit) {
  std::lock_guard lock(catalog_->mutex_);
  Statement statement(catalog_->connection_.handle(),
                      "SELECT id, schedule, started_at, ended_at, status, window_start, "
                      "window_end, records, violations, output, failure_reason FROM "
                      "monitoring_executions WHERE ? = '' OR schedule = ? "
                      "ORDER BY started_at DESC, id DESC LIMIT ?");
  statement.bind_all(schedule, schedule, limit);
  std::vector<MonitoringExecution> out;
  while (statement.step()) {
    MonitoringExecution e;
    e.id = statement.int64(0);
    e.schedule = statement.text(1);
    e.started_at = statement.real(2);
    e.ended_at = statement.real(3);
    e.status = statement.text(4);
    e.window_start = statement.text(5);
    e.window_end = statement.text(6);
    e.records = statement.int64(7);
    e.violations = statement.int64(8);
    e.output = statement.text(9);
    e.failure_reason = statement.text(10);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace archml::track
