#include "archml/track/catalog.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "archml/core/error.h"
#include "archml/track/schema.h"
#include "archml/version.h"

namespace archml::track {
namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

const char* const kJobColumns =
    "id, run_id, kind, status, failure_reason, started_at, ended_at, command_line, "
    "archml_version, host, pid, pid_start";

Job job_from_row(const Statement& row) {
  Job job;
  job.id = row.int64(0);
  job.run_id = row.int64(1);
  job.kind = parse_job_kind(row.text(2));
  job.status = parse_job_status(row.text(3));
  job.failure_reason = row.text(4);
  job.started_at = row.real(5);
  if (!row.is_null(6)) job.ended_at = row.real(6);
  job.command_line = row.text(7);
  job.archml_version = row.text(8);
  job.process.host = row.text(9);
  job.process.pid = static_cast<long>(row.int64(10));
  job.process.start = row.text(11);
  return job;
}

// An InProgress job of this host whose process is gone: what recover_abandoned_jobs marks.
bool abandoned_here(const ProcessIdentity& owner) {
  return owner.host == current_process().host && !is_running(owner);
}

const char* const kRunSelect =
    "SELECT r.id, r.experiment_id, e.name, r.name, r.created_at FROM runs r "
    "JOIN experiments e ON e.id = r.experiment_id ";

Run read_run(const Statement& row) {
  return {row.int64(0), row.int64(1), row.text(2), row.text(3), row.real(4)};
}

const char* const kSummaryColumns =
    "name, count, min, max, mean, m2, last_step, last_value, last_timestamp";

MetricSummary read_summary(const Statement& row, int first) {
  MetricSummary summary;
  summary.name = row.text(first);
  summary.count = row.int64(first + 1);
  summary.min = row.real(first + 2);
  summary.max = row.real(first + 3);
  summary.avg = row.real(first + 4);
  const double m2 = row.real(first + 5);
  summary.std = summary.count > 1 ? std::sqrt(std::max(0.0, m2 / double(summary.count - 1))) : 0;
  summary.last_step = row.int64(first + 6);
  summary.last = row.real(first + 7);
  summary.last_timestamp = row.real(first + 8);
  return summary;
}

// The statistics of one series within a flush, merged into the stored summary in SQL.
struct BatchSummary {
  std::int64_t count = 0;
  double min = 0, max = 0, mean = 0, m2 = 0;
  std::int64_t last_step = 0;
  double last_value = 0, last_timestamp = 0;

  void add(const MetricPoint& point) {
    ++count;
    if (count == 1) {
      min = max = point.value;
      last_step = point.step;
      last_value = point.value;
      last_timestamp = point.timestamp;
    }
    min = std::min(min, point.value);
    max = std::max(max, point.value);
    // Welford's update: stable where a sum of squares would cancel.
    const double delta = point.value - mean;
    mean += delta / double(count);
    m2 += delta * (point.value - mean);
    if (point.step > last_step || (point.step == last_step && point.timestamp >= last_timestamp)) {
      last_step = point.step;
      last_value = point.value;
      last_timestamp = point.timestamp;
    }
  }
};

// Chan et al.'s pairwise combination of (count, mean, m2) with the stored row; the last
// value moves only to a higher (or equal, later) step.
const char* const kMergeSummary = R"sql(
INSERT INTO metric_summaries
  (job_id, name, count, min, max, mean, m2, last_step, last_value, last_timestamp)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
ON CONFLICT (job_id, name) DO UPDATE SET
  m2 = m2 + excluded.m2 + (excluded.mean - mean) * (excluded.mean - mean)
       * count * excluded.count / (count + excluded.count),
  mean = mean + (excluded.mean - mean) * excluded.count / (count + excluded.count),
  count = count + excluded.count,
  min = min(min, excluded.min),
  max = max(max, excluded.max),
  last_value = CASE WHEN excluded.last_step > last_step OR (excluded.last_step = last_step
               AND excluded.last_timestamp >= last_timestamp) THEN excluded.last_value
               ELSE last_value END,
  last_timestamp = CASE WHEN excluded.last_step > last_step OR (excluded.last_step = last_step
               AND excluded.last_timestamp >= last_timestamp) THEN excluded.last_timestamp
               ELSE last_timestamp END,
  last_step = max(last_step, excluded.last_step)
)sql";

}  // namespace

std::string join_names(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none yet" : text;
}

std::string to_string(JobKind kind) {
  switch (kind) {
    case JobKind::kPrep:
      return "prep";
    case JobKind::kTraining:
      return "training";
    case JobKind::kEvaluation:
      return "evaluation";
    case JobKind::kTuning:
      return "tuning";
    case JobKind::kTransform:
      return "transform";
  }
  return "?";
}

std::string to_string(JobStatus status) {
  switch (status) {
    case JobStatus::kInProgress:
      return "InProgress";
    case JobStatus::kCompleted:
      return "Completed";
    case JobStatus::kFailed:
      return "Failed";
    case JobStatus::kStopped:
      return "Stopped";
  }
  return "?";
}

JobKind parse_job_kind(const std::string& text) {
  for (auto kind : {JobKind::kPrep, JobKind::kTraining, JobKind::kEvaluation, JobKind::kTuning,
                    JobKind::kTransform})
    if (to_string(kind) == text) return kind;
  throw_invalid("unknown job kind '" + text +
                "'; expected prep, training, evaluation, tuning or transform");
}

JobStatus parse_job_status(const std::string& text) {
  for (auto status :
       {JobStatus::kInProgress, JobStatus::kCompleted, JobStatus::kFailed, JobStatus::kStopped})
    if (to_string(status) == text) return status;
  throw_invalid("unknown job status '" + text +
                "'; expected InProgress, Completed, Failed or Stopped");
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<JobStatus> RunDetails::status() const {
  if (jobs.empty()) return std::nullopt;
  return jobs.back().status;
}

std::shared_ptr<Catalog> Catalog::open(const std::filesystem::path& file) {
  auto catalog = std::make_shared<Catalog>(file);
  catalog->recover_abandoned_jobs();
  return catalog;
}

std::shared_ptr<Catalog> Catalog::open_read_only(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error))
    throw_not_found("no catalog at " + file.string() +
                    "; run a job first or pass --home DIR (or set ARCHML_HOME)");
  bool older = false;
  {
    Connection probe(file.string(), Connection::Access::kReadOnly);
    older = schema_version(probe) < latest_schema_version();
  }
  // An older archml's catalog is upgraded once where that is possible at all; on
  // read-only media the reader refuses it below.
  if (older && ::access(file.c_str(), W_OK) == 0 &&
      ::access(file.parent_path().empty() ? "." : file.parent_path().c_str(), W_OK) == 0)
    Catalog upgraded(file);
  return std::shared_ptr<Catalog>(new Catalog(file, ReadOnly{}));
}

Catalog::Catalog(const std::filesystem::path& file) : connection_(file.string()) {
  migrate(connection_);
}

Catalog::Catalog(const std::filesystem::path& file, ReadOnly)
    : connection_(file.string(), Connection::Access::kReadOnly) {
  require_latest_schema(connection_);
}

Job Catalog::read_job(const Statement& row) const {
  Job job = job_from_row(row);
  if (read_only() && job.status == JobStatus::kInProgress && abandoned_here(job.process)) {
    job.status = JobStatus::kFailed;
    job.failure_reason = kAbandonedReason;
  }
  return job;
}

Experiment Catalog::ensure_experiment(const std::string& name) {
  Lock lock(mutex_);
  if (name.empty()) throw_invalid("an experiment needs a name");
  write_one(
      "INSERT INTO experiments (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
      name, now_seconds());
  return experiment(name);
}

Experiment Catalog::experiment(const std::string& name) {
  Lock lock(mutex_);
  Statement select(connection_.handle(),
                   "SELECT e.id, e.name, e.description, e.created_at, "
                   "(SELECT count(*) FROM runs r WHERE r.experiment_id = e.id) "
                   "FROM experiments e WHERE e.name = ?1");
  select.bind(1, name);
  if (!select.step()) {
    std::vector<std::string> names;
    for (const auto& e : experiments(20)) names.push_back(e.name);
    throw_not_found("no experiment '" + name +
                    "' in the catalog (experiments: " + join_names(names) + ")");
  }
  return {select.int64(0), select.text(1), select.text(2), select.real(3), select.int64(4)};
}

std::vector<Experiment> Catalog::experiments(std::int64_t limit, std::int64_t offset) {
  Lock lock(mutex_);
  Statement select(connection_.handle(),
                   "SELECT e.id, e.name, e.description, e.created_at, "
                   "(SELECT count(*) FROM runs r WHERE r.experiment_id = e.id) "
                   "FROM experiments e ORDER BY e.id LIMIT ?1 OFFSET ?2");
  select.bind(1, limit).bind(2, offset);
  std::vector<Experiment> list;
  while (select.step())
    list.push_back(
        {select.int64(0), select.text(1), select.text(2), select.real(3), select.int64(4)});
  return list;
}

std::int64_t Catalog::experiment_count() {
  Lock lock(mutex_);
  Statement select(connection_.handle(), "SELECT count(*) FROM experiments");
  select.step();
  return select.int64(0);
}

std::int64_t Catalog::delete_experiment(const std::string& name) {
  Lock lock(mutex_);
  Experiment found = experiment(name);
  write_one("DELETE FROM experiments WHERE id = ?1", found.id);
  return found.runs;
}

Run Catalog::create_run(const std::string& experiment_name,
                        const std::optional<std::string>& name) {
  Lock lock(mutex_);
  if (name && name->empty()) throw_invalid("--run needs a name");
  if (name && name->find('/') != std::string::npos)
    throw_invalid("run name '" + *name + "' may not contain '/' (it separates EXPERIMENT/RUN)");
  const std::int64_t experiment_id = ensure_experiment(experiment_name).id;
  std::int64_t id = 0;
  connection_.write_transaction([&] {
    // An unnamed run is named after its id, known only once inserted.
    Statement insert(connection_.handle(),
                     "INSERT INTO runs (experiment_id, name, created_at) VALUES (?1, ?2, ?3)");
    const std::string placeholder = name ? *name : "\x01new-" + std::to_string(now_seconds());
    insert.bind(1, experiment_id).bind(2, placeholder).bind(3, now_seconds()).run();
    id = connection_.last_insert_id();
    if (!name) {
      Statement rename(connection_.handle(), "UPDATE runs SET name = ?1 WHERE id = ?2");
      rename.bind(1, "run-" + std::to_string(id)).bind(2, id).run();
    }
  });
  return run(id);
}

Run Catalog::ensure_run(const std::string& experiment_name, const std::string& name) {
  Lock lock(mutex_);
  const std::int64_t experiment_id = ensure_experiment(experiment_name).id;
  Statement select(connection_.handle(),
                   std::string(kRunSelect) + "WHERE r.experiment_id = ?1 AND r.name = ?2");
  select.bind(1, experiment_id).bind(2, name);
  if (select.step()) return read_run(select);
  try {
    return create_run(experiment_name, name);
  } catch (const Error&) {
    // Another process created it between the lookup and the insert.
    select.reset();
    select.bind(1, experiment_id).bind(2, name);
    if (select.step()) return read_run(select);
    throw;
  }
}

Run Catalog::run_where(const std::string& condition, const std::function<void(Statement&)>& bind,
                       const std::string& missing) {
  Lock lock(mutex_);
  Statement select(connection_.handle(), std::string(kRunSelect) + "WHERE " + condition);
  bind(select);
  if (!select.step()) throw_not_found(missing);
  Run found = read_run(select);
  if (select.step())
    throw_invalid("several runs match: name one as EXPERIMENT/RUN (e.g. " + found.experiment + "/" +
                  found.name + ") or by its id");
  return found;
}

Run Catalog::run(std::int64_t id) {
  return run_where(
      "r.id = ?1", [&](Statement& s) { s.bind(1, id); },
      "no run with id " + std::to_string(id) + " in the catalog; 'archml runs list' shows them");
}

Run Catalog::find_run(const std::string& reference) {
  const std::string hint = "; 'archml runs list' shows the runs";
  if (!reference.empty() &&
      std::all_of(reference.begin(), reference.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return run(std::stoll(reference));
  auto slash = reference.find('/');
  if (slash != std::string::npos) {
    const std::string experiment = reference.substr(0, slash), name = reference.substr(slash + 1);
    return run_where(
        "e.name = ?1 AND r.name = ?2", [&](Statement& s) { s.bind(1, experiment).bind(2, name); },
        "no run '" + name + "' in experiment '" + experiment + "'" + hint);
  }
  return run_where(
      "r.name = ?1", [&](Statement& s) { s.bind(1, reference); },
      "no run named '" + reference + "'" + hint);
}

std::vector<Run> Catalog::runs(const std::optional<std::string>& experiment_name) {
  Lock lock(mutex_);
  std::optional<std::int64_t> experiment_id;
  if (experiment_name) experiment_id = experiment(*experiment_name).id;
  Statement select(connection_.handle(), std::string(kRunSelect) +
                                             (experiment_id ? "WHERE r.experiment_id = ?1 " : "") +
                                             "ORDER BY r.id");
  if (experiment_id) select.bind(1, *experiment_id);
  std::vector<Run> list;
  while (select.step()) list.push_back(read_run(select));
  return list;
}

RunDetails Catalog::run_details(std::int64_t run_id) {
  return run_details({run(run_id)}).front();
}

std::vector<RunDetails> Catalog::run_details(const std::vector<Run>& runs) {
  Lock lock(mutex_);
  std::vector<RunDetails> details(runs.size());
  std::unordered_map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    details[i].run = runs[i];
    index[runs[i].id] = i;
  }
  if (runs.empty()) return details;
  // One query per table over every run asked for; rows of runs not asked for are skipped.
  // Jobs come oldest first, so a later job's parameter or metric overwrites an earlier's.
  const std::string only_runs =
      runs.size() == 1 ? "WHERE j.run_id = " + std::to_string(runs[0].id) : std::string();
  Statement jobs(connection_.handle(), "SELECT " + std::string(kJobColumns) + " FROM jobs j " +
                                           only_runs + " ORDER BY j.id");
  while (jobs.step()) {
    Job job = read_job(jobs);
    auto found = index.find(job.run_id);
    if (found != index.end()) details[found->second].jobs.push_back(std::move(job));
  }
  Statement parameters(connection_.handle(),
                       "SELECT j.run_id, p.name, p.value FROM parameters p JOIN jobs j ON j.id = "
                       "p.job_id " +
                           only_runs + " ORDER BY p.job_id");
  while (parameters.step()) {
    auto found = index.find(parameters.int64(0));
    if (found != index.end())
      details[found->second].parameters[parameters.text(1)] = parameters.text(2);
  }
  Statement summaries(connection_.handle(), "SELECT j.run_id, " + std::string(kSummaryColumns) +
                                                " FROM metric_summaries s JOIN jobs j ON j.id = "
                                                "s.job_id " +
                                                only_runs + " ORDER BY s.job_id");
  while (summaries.step()) {
    auto found = index.find(summaries.int64(0));
    if (found == index.end()) continue;
    MetricSummary summary = read_summary(summaries, 1);
    details[found->second].metrics[summary.name] = summary;
  }
  Statement artifacts(connection_.handle(),
                      "SELECT j.run_id, a.name, a.uri, a.media_type, a.size, a.sha256 FROM "
                      "artifacts a JOIN jobs j ON j.id = a.job_id " +
                          only_runs + " ORDER BY a.id");
  while (artifacts.step()) {
    auto found = index.find(artifacts.int64(0));
    if (found == index.end()) continue;
    details[found->second].artifacts.push_back(
        {artifacts.text(1), artifacts.text(2), artifacts.text(3),
         static_cast<std::uint64_t>(artifacts.int64(4)), artifacts.text(5)});
  }
  Statement lineage(connection_.handle(),
                    "SELECT j.run_id, l.source_kind, l.source, l.target_kind, l.target, l.job_id "
                    "FROM lineage l JOIN jobs j ON j.id = l.job_id " +
                        only_runs + " ORDER BY l.id");
  while (lineage.step()) {
    auto found = index.find(lineage.int64(0));
    if (found == index.end()) continue;
    details[found->second].lineage.push_back(
        {lineage.text(1), lineage.text(2), lineage.text(3), lineage.text(4), lineage.int64(5)});
  }
  return details;
}

std::int64_t Catalog::start_job(std::int64_t run_id, JobKind kind, const std::string& command_line,
                                const ProcessIdentity& process) {
  Lock lock(mutex_);
  std::int64_t id = 0;
  connection_.write_transaction([&] {
    Statement insert(connection_.handle(),
                     "INSERT INTO jobs (run_id, kind, status, started_at, command_line, "
                     "archml_version, host, pid, pid_start) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                     "?8, ?9)");
    insert
        .bind_all(run_id, to_string(kind), to_string(JobStatus::kInProgress), now_seconds(),
                  command_line, std::string_view(ARCHML_VERSION), process.host,
                  static_cast<std::int64_t>(process.pid), process.start)
        .run();
    id = connection_.last_insert_id();
  });
  return id;
}

void Catalog::finish_job(std::int64_t job_id, JobStatus status, const std::string& failure_reason) {
  const std::optional<std::string> reason =
      failure_reason.empty() ? std::nullopt : std::optional(failure_reason);
  write_one(
      "UPDATE jobs SET status = ?1, failure_reason = ?2, ended_at = ?3 "
      "WHERE id = ?4 AND status = 'InProgress'",
      to_string(status), reason, now_seconds(), job_id);
}

Job Catalog::job(std::int64_t job_id) {
  Lock lock(mutex_);
  Statement select(connection_.handle(),
                   "SELECT " + std::string(kJobColumns) + " FROM jobs WHERE id = ?1");
  select.bind(1, job_id);
  if (!select.step()) throw_not_found("no job with id " + std::to_string(job_id));
  return read_job(select);
}

int Catalog::recover_abandoned_jobs() {
  Lock lock(mutex_);
  const ProcessIdentity self = current_process();
  std::vector<std::int64_t> abandoned;
  {
    Statement select(
        connection_.handle(),
        "SELECT id, pid, pid_start FROM jobs WHERE status = 'InProgress' AND host = ?1");
    select.bind(1, self.host);
    while (select.step()) {
      ProcessIdentity owner{self.host, static_cast<long>(select.int64(1)), select.text(2)};
      if (!is_running(owner)) abandoned.push_back(select.int64(0));
    }
  }
  for (std::int64_t id : abandoned) finish_job(id, JobStatus::kFailed, kAbandonedReason);
  return static_cast<int>(abandoned.size());
}

void Catalog::set_parameters(std::int64_t job_id,
                             const std::vector<std::pair<std::string, std::string>>& parameters) {
  Lock lock(mutex_);
  connection_.write_transaction([&] {
    Statement upsert(connection_.handle(),
                     "INSERT INTO parameters (job_id, name, value) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (job_id, name) DO UPDATE SET value = excluded.value");
    for (const auto& [name, value] : parameters) upsert.bind_all(job_id, name, value).run();
  });
}

namespace {

// "INSERT INTO metrics ... VALUES (?, ?, ?, ?, ?), ..." with `rows` rows.
std::string metrics_insert_sql(std::size_t rows) {
  std::string sql = "INSERT INTO metrics (job_id, name, step, value, timestamp) VALUES ";
  for (std::size_t row = 0; row < rows; ++row) sql += row ? ",(?,?,?,?,?)" : "(?,?,?,?,?)";
  return sql;
}

}  // namespace

// Points go in statements of kRowsPerInsert rows (then one at a time): a statement's step
// costs about as much as a row, so 100,000 points take a fraction of the time.
void Catalog::insert_metric_points(std::int64_t job_id, std::span<const MetricPoint> points) {
  constexpr std::size_t kRowsPerInsert = 64;
  std::vector<const MetricPoint*> finite;
  finite.reserve(points.size());
  for (const auto& point : points)
    if (std::isfinite(point.value)) finite.push_back(&point);  // SQLite stores NaN as NULL
  std::size_t next = 0;
  auto bind_row = [&](Statement& insert, int first, const MetricPoint& point) {
    insert.bind(first, job_id)
        .bind(first + 1, point.name)
        .bind(first + 2, point.step)
        .bind(first + 3, point.value)
        .bind(first + 4, point.timestamp);
  };
  if (finite.size() >= kRowsPerInsert) {
    Statement many(connection_.handle(), metrics_insert_sql(kRowsPerInsert));
    for (; next + kRowsPerInsert <= finite.size(); next += kRowsPerInsert) {
      for (std::size_t row = 0; row < kRowsPerInsert; ++row)
        bind_row(many, static_cast<int>(row * 5 + 1), *finite[next + row]);
      many.run();
    }
  }
  if (next == finite.size()) return;
  Statement one(connection_.handle(), metrics_insert_sql(1));
  for (; next < finite.size(); ++next) {
    bind_row(one, 1, *finite[next]);
    one.run();
  }
}

void Catalog::log_metrics(std::int64_t job_id, std::span<const MetricPoint> points) {
  if (points.empty()) return;
  Lock lock(mutex_);
  std::map<std::string, BatchSummary> batch;
  for (const auto& point : points) {
    if (!std::isfinite(point.value)) continue;  // SQLite stores NaN as NULL; skip, not fail
    batch[point.name].add(point);
  }
  connection_.write_transaction([&] {
    insert_metric_points(job_id, points);
    Statement merge(connection_.handle(), kMergeSummary);
    for (const auto& [name, s] : batch) {
      merge
          .bind_all(job_id, name, s.count, s.min, s.max, s.mean, s.m2, s.last_step, s.last_value,
                    s.last_timestamp)
          .run();
    }
  });
}

void Catalog::add_artifact(std::int64_t job_id, const Artifact& artifact) {
  write_one(
      "INSERT INTO artifacts (job_id, name, uri, media_type, size, sha256) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      job_id, artifact.name, artifact.uri, artifact.media_type,
      static_cast<std::int64_t>(artifact.size), artifact.sha256);
}

void Catalog::add_lineage(std::int64_t job_id, const LineageEdge& edge) {
  write_one(
      "INSERT INTO lineage (job_id, source_kind, source, target_kind, target) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      job_id, edge.source_kind, edge.source, edge.target_kind, edge.target);
}

std::vector<MetricPoint> Catalog::metric_points(std::int64_t run_id, const std::string& name,
                                                std::optional<std::int64_t> job_id) {
  Lock lock(mutex_);
  const std::string owner =
      job_id ? "m.job_id = ?3"
             : "m.job_id = (SELECT max(s.job_id) FROM metric_summaries s JOIN jobs k ON k.id = "
               "s.job_id WHERE k.run_id = ?1 AND s.name = m.name)";
  Statement select(connection_.handle(),
                   "SELECT m.name, m.step, m.value, m.timestamp FROM metrics m JOIN jobs j ON "
                   "j.id = m.job_id WHERE j.run_id = ?1 AND " +
                       owner + (name.empty() ? "" : " AND m.name = ?2") +
                       " ORDER BY m.name, m.step, m.timestamp");
  select.bind(1, run_id);
  if (!name.empty()) select.bind(2, name);
  if (job_id) select.bind(3, *job_id);
  std::vector<MetricPoint> points;
  while (select.step())
    points.push_back({select.text(0), select.int64(1), select.real(2), select.real(3)});
  return points;
}

std::vector<MetricSummary> Catalog::metric_summaries(std::int64_t job_id) {
  Lock lock(mutex_);
  Statement select(connection_.handle(), "SELECT " + std::string(kSummaryColumns) +
                                             " FROM metric_summaries WHERE job_id = ?1 "
                                             "ORDER BY name");
  select.bind(1, job_id);
  std::vector<MetricSummary> list;
  while (select.step()) list.push_back(read_summary(select, 0));
  return list;
}

std::vector<JobReport> Catalog::recent_jobs(std::int64_t limit) {
  Lock lock(mutex_);
  std::vector<JobReport> reports;
  {
    Statement select(connection_.handle(),
                     "SELECT " + std::string(kJobColumns) + " FROM jobs ORDER BY id DESC LIMIT ?1");
    select.bind(1, limit);
    while (select.step()) reports.push_back({read_job(select), {}, {}});
  }
  for (auto& report : reports) {
    report.run = run(report.job.run_id);
    report.metrics = metric_summaries(report.job.id);
  }
  return reports;
}

CatalogCounts Catalog::counts() {
  Lock lock(mutex_);
  CatalogCounts counts;
  connection_.execute("BEGIN");  // a read transaction: one snapshot for every count
  try {
    Statement totals(connection_.handle(),
                     "SELECT (SELECT count(*) FROM experiments), (SELECT count(*) FROM runs), "
                     "(SELECT coalesce(sum(count), 0) FROM metric_summaries)");
    totals.step();
    counts.experiments = totals.int64(0);
    counts.runs = totals.int64(1);
    counts.metric_points = totals.int64(2);
    Statement jobs(connection_.handle(),
                   "SELECT kind, status, count(*) FROM jobs GROUP BY kind, status");
    while (jobs.step())
      counts.jobs[{parse_job_kind(jobs.text(0)), parse_job_status(jobs.text(1))}] = jobs.int64(2);
    if (read_only()) count_abandoned_as_failed(counts);
  } catch (...) {
    connection_.execute("ROLLBACK");
    throw;
  }
  connection_.execute("COMMIT");
  return counts;
}

void Catalog::count_abandoned_as_failed(CatalogCounts& counts) {
  Statement live(connection_.handle(),
                 "SELECT kind, host, pid, pid_start FROM jobs WHERE status = 'InProgress'");
  while (live.step()) {
    if (!abandoned_here({live.text(1), static_cast<long>(live.int64(2)), live.text(3)})) continue;
    const JobKind kind = parse_job_kind(live.text(0));
    if (--counts.jobs[{kind, JobStatus::kInProgress}] == 0)
      counts.jobs.erase({kind, JobStatus::kInProgress});
    ++counts.jobs[{kind, JobStatus::kFailed}];
  }
}

}  // namespace archml::track
