#include "archml/track/schema.h"

#include <string>
#include <vector>

#include "archml/core/error.h"

namespace archml::track {
namespace {

// Times are seconds since the Unix epoch (REAL, sub-second). Parameters, metrics,
// artifacts and lineage hang off jobs, the unit of work; a run's view merges its jobs'.
const char* const kVersion1 = R"sql(
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_at REAL NOT NULL
);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at REAL NOT NULL,
  UNIQUE (experiment_id, name)
);
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  failure_reason TEXT,
  started_at REAL NOT NULL,
  ended_at REAL,
  command_line TEXT NOT NULL,
  archml_version TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  pid_start TEXT NOT NULL
);
CREATE INDEX jobs_by_run ON jobs (run_id);
CREATE INDEX jobs_by_status ON jobs (status);
CREATE TABLE parameters (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (job_id, name)
);
CREATE TABLE metrics (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  step INTEGER NOT NULL,
  value REAL NOT NULL,
  timestamp REAL NOT NULL
);
CREATE INDEX metrics_by_series ON metrics (job_id, name, step);
CREATE TABLE artifacts (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  uri TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL
);
CREATE INDEX artifacts_by_job ON artifacts (job_id);
CREATE TABLE lineage (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  source_kind TEXT NOT NULL,
  source TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target TEXT NOT NULL
);
CREATE INDEX lineage_by_job ON lineage (job_id);
CREATE INDEX lineage_by_source ON lineage (source);
CREATE INDEX lineage_by_target ON lineage (target);
)sql";

// Summaries kept up to date at each metric flush (count, mean and the sum of squared
// deviations merged as Chan et al. do), so listing runs never rescans every point; the
// existing points are summarised once here.
const char* const kVersion2 = R"sql(
CREATE TABLE metric_summaries (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  count INTEGER NOT NULL,
  min REAL NOT NULL,
  max REAL NOT NULL,
  mean REAL NOT NULL,
  m2 REAL NOT NULL,
  last_step INTEGER NOT NULL,
  last_value REAL NOT NULL,
  last_timestamp REAL NOT NULL,
  PRIMARY KEY (job_id, name)
);
INSERT INTO metric_summaries
SELECT m.job_id, m.name, count(*), min(m.value), max(m.value), s.mean,
       sum((m.value - s.mean) * (m.value - s.mean)),
       l.step, l.value, l.timestamp
FROM metrics m
JOIN (SELECT job_id, name, avg(value) AS mean FROM metrics GROUP BY job_id, name) s
  ON s.job_id = m.job_id AND s.name = m.name
JOIN metrics l ON l.rowid = (SELECT rowid FROM metrics x
                             WHERE x.job_id = m.job_id AND x.name = m.name
                             ORDER BY x.step DESC, x.timestamp DESC, x.rowid DESC LIMIT 1)
GROUP BY m.job_id, m.name;
)sql";

// The model registry (docs/registry.md): groups of numbered versions, each pointing at a
// training job's bundle in the artifact store with a snapshot of its lineage (so deleting
// the experiment leaves the version's record whole), and aliases naming versions.
// `last_version` only grows: a deleted version's number is never given again.
const char* const kVersion3 = R"sql(
CREATE TABLE model_groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at REAL NOT NULL,
  last_version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE model_versions (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES model_groups(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  status_note TEXT NOT NULL DEFAULT '',
  status_changed_at REAL NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  bundle_uri TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  experiment TEXT NOT NULL,
  run_name TEXT NOT NULL,
  data_digest TEXT NOT NULL,
  data_uri TEXT NOT NULL,
  recipe_digest TEXT NOT NULL,
  recipe_source TEXT NOT NULL,
  parameters TEXT NOT NULL,
  metrics TEXT NOT NULL,
  created_at REAL NOT NULL,
  UNIQUE (group_id, version)
);
CREATE INDEX model_versions_by_status ON model_versions (group_id, status, version);
CREATE TABLE model_aliases (
  group_id INTEGER NOT NULL REFERENCES model_groups(id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
  updated_at REAL NOT NULL,
  PRIMARY KEY (group_id, alias)
);
CREATE INDEX model_aliases_by_version ON model_aliases (version_id);
)sql";

// Model monitor executions (docs/monitor.md): one row per check `archml monitor schedule`
// ran, with SageMaker's execution statuses (Completed, CompletedWithViolations, Failed),
// the capture window it read and what it found.
const char* const kVersion4 = R"sql(
CREATE TABLE monitoring_executions (
  id INTEGER PRIMARY KEY,
  schedule TEXT NOT NULL,
  started_at REAL NOT NULL,
  ended_at REAL NOT NULL,
  status TEXT NOT NULL,
  window_start TEXT NOT NULL,
  window_end TEXT NOT NULL,
  records INTEGER NOT NULL,
  violations INTEGER NOT NULL,
  output TEXT NOT NULL,
  failure_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitoring_executions_by_schedule ON monitoring_executions (schedule, started_at);
)sql";

const std::vector<const char*>& migrations() {
  static const std::vector<const char*> list = {kVersion1, kVersion2, kVersion3, kVersion4};
  return list;
}

}  // namespace

int latest_schema_version() {
  return static_cast<int>(migrations().size());
}

int schema_version(Connection& connection) {
  Statement statement(connection.handle(), "PRAGMA user_version");
  statement.step();
  return static_cast<int>(statement.int64(0));
}

namespace {

void refuse_newer_schema(Connection& connection, int version) {
  if (version > latest_schema_version())
    throw Error(ErrorKind::kUnsupported,
                "the catalog " + connection.path() + " has schema version " +
                    std::to_string(version) + ", newer than this archml knows (" +
                    std::to_string(latest_schema_version()) + "); upgrade archml");
}

}  // namespace

void require_latest_schema(Connection& connection) {
  const int version = schema_version(connection);
  refuse_newer_schema(connection, version);
  if (version < latest_schema_version())
    throw Error(ErrorKind::kUnsupported,
                "the catalog " + connection.path() + " has schema version " +
                    std::to_string(version) + ", older than this archml's (" +
                    std::to_string(latest_schema_version()) +
                    ") and it cannot be upgraded where it is (read-only); copy the workspace "
                    "to writable storage and read it there with --home DIR");
}

void migrate(Connection& connection, int target) {
  if (schema_version(connection) == target) return;
  connection.write_transaction([&] {
    // Read again under the write lock: another process may have migrated meanwhile.
    const int current = schema_version(connection);
    refuse_newer_schema(connection, current);
    for (int version = current + 1; version <= target; ++version) {
      connection.execute(migrations()[static_cast<std::size_t>(version - 1)]);
      connection.execute("PRAGMA user_version = " + std::to_string(version));
    }
  });
}

}  // namespace archml::track
