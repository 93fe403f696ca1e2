// The catalog: what archml did, in the workspace's SQLite database (docs/catalog.md).
// Experiments hold runs (SageMaker's trials); a run holds the jobs that worked on it
// (prep, training, evaluation, tuning, transform), each with its status, parameters,
// metric series, artifacts and lineage edges. A run's view merges its jobs': the latest
// job's value wins for a parameter or a metric both name.
//
// One Catalog is one connection, safe to share between threads (calls serialise on a
// mutex). Several processes may open the same file and write at once: writes are
// BEGIN IMMEDIATE transactions retried on SQLITE_BUSY, so none is lost or fails with
// "database is locked". Opening for writing migrates the schema and marks this host's
// InProgress jobs whose process has ended as Failed (see recover_abandoned_jobs); opening
// for reading (open_read_only) writes nothing, so a catalog on read-only media can be read.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "archml/track/process_identity.h"
#include "archml/track/sqlite.h"

namespace archml::track {

enum class JobKind { kPrep, kTraining, kEvaluation, kTuning, kTransform };
enum class JobStatus { kInProgress, kCompleted, kFailed, kStopped };

// SageMaker's spellings: "training", "InProgress", ...; parse throws archml::Error
// (invalid input) naming the accepted values.
std::string to_string(JobKind kind);
std::string to_string(JobStatus status);
JobKind parse_job_kind(const std::string& text);
JobStatus parse_job_status(const std::string& text);

// The reason a job whose process vanished is marked Failed with.
inline constexpr const char* kAbandonedReason =
    "the process ended without recording a result (crashed or killed)";

struct Experiment {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  double created_at = 0;
  std::int64_t runs = 0;
};

struct Job {
  std::int64_t id = 0;
  std::int64_t run_id = 0;
  JobKind kind = JobKind::kTraining;
  JobStatus status = JobStatus::kInProgress;
  std::string failure_reason;
  double started_at = 0;
  std::optional<double> ended_at;
  std::string command_line;
  std::string archml_version;
  ProcessIdentity process;
};

struct Run {
  std::int64_t id = 0;
  std::int64_t experiment_id = 0;
  std::string experiment;
  std::string name;
  double created_at = 0;
};

struct MetricPoint {
  std::string name;
  std::int64_t step = 0;
  double value = 0;
  double timestamp = 0;  // seconds since the epoch
};

// As SageMaker summarises a trial component's metric; std is the sample standard
// deviation (0 for a single point), last the value at the highest step.
struct MetricSummary {
  std::string name;
  std::int64_t count = 0;
  double min = 0, max = 0, avg = 0, std = 0, last = 0;
  std::int64_t last_step = 0;
  double last_timestamp = 0;
};

struct Artifact {
  std::string name;  // what it is to the job: "bundle/model.json", "metrics.json"
  std::string uri;   // file:///abs/path today; s3://bucket/key with the artifact store
  std::string media_type;
  std::uint64_t size = 0;
  std::string sha256;
};

// An edge "source produced (or was used to produce) target", e.g. data xxh64:... ->
// bundle file:///.../bundle, recipe sha256:... -> bundle, bundle -> evaluation.
struct LineageEdge {
  std::string source_kind;  // data, recipe, bundle, evaluation, predictions
  std::string source;
  std::string target_kind;
  std::string target;
  std::int64_t job_id = 0;  // filled when read
};

// Everything `runs show` and `runs compare` print about one run.
struct RunDetails {
  Run run;
  std::vector<Job> jobs;
  std::map<std::string, std::string> parameters;
  std::map<std::string, MetricSummary> metrics;
  std::vector<Artifact> artifacts;
  std::vector<LineageEdge> lineage;
  // The newest job's status: what the run is doing now.
  std::optional<JobStatus> status() const;
};

// A job with its run and final metric summaries: what a /metrics exporter publishes.
struct JobReport {
  Job job;
  Run run;
  std::vector<MetricSummary> metrics;
};

// How much the catalog holds: a /metrics exporter's totals. `jobs` lists only the
// (kind, status) pairs that have jobs.
struct CatalogCounts {
  std::int64_t experiments = 0;
  std::int64_t runs = 0;
  std::int64_t metric_points = 0;
  std::map<std::pair<JobKind, JobStatus>, std::int64_t> jobs;
};

class Catalog {
 public:
  // Opens or creates the catalog file, migrates it and recovers abandoned jobs.
  static std::shared_ptr<Catalog> open(const std::filesystem::path& file);
  // For commands that only read: opens an existing catalog without writing anything (no
  // file is created, nothing migrated or recovered). An older schema is first upgraded
  // when the file can be written, else refused (unsupported). Jobs recover_abandoned_jobs
  // would mark are shown Failed with kAbandonedReason and no end time, which the next
  // writer records. Throws archml::Error (not found) when `file` does not exist; writes
  // throw archml::Error (I/O).
  static std::shared_ptr<Catalog> open_read_only(const std::filesystem::path& file);
  explicit Catalog(const std::filesystem::path& file);

  const std::string& path() const { return connection_.path(); }
  bool read_only() const { return connection_.read_only(); }

  // Experiments. ensure_* creates when missing; lookups throw archml::Error (not found)
  // naming the experiments that exist.
  Experiment ensure_experiment(const std::string& name);
  Experiment experiment(const std::string& name);
  std::vector<Experiment> experiments(std::int64_t limit = -1, std::int64_t offset = 0);
  std::int64_t experiment_count();
  // Deletes the experiment and everything recorded under it; returns the runs removed.
  std::int64_t delete_experiment(const std::string& name);

  // Runs. A run is named by the user (--run) or gets "run-<id>".
  Run create_run(const std::string& experiment, const std::optional<std::string>& name);
  Run ensure_run(const std::string& experiment, const std::string& name);
  Run run(std::int64_t id);
  // A run named by its id, its name, or EXPERIMENT/NAME; throws not found or, for a
  // name used in several experiments, invalid input asking for EXPERIMENT/NAME.
  Run find_run(const std::string& reference);
  // Every run, or those of one experiment, oldest first.
  std::vector<Run> runs(const std::optional<std::string>& experiment = std::nullopt);
  RunDetails run_details(std::int64_t run_id);
  // run_details for many runs in a few queries (for listing and filtering).
  std::vector<RunDetails> run_details(const std::vector<Run>& runs);

  // Jobs.
  std::int64_t start_job(std::int64_t run_id, JobKind kind, const std::string& command_line,
                         const ProcessIdentity& process);
  // Ends an InProgress job; a job already ended keeps its first result.
  void finish_job(std::int64_t job_id, JobStatus status, const std::string& failure_reason = "");
  Job job(std::int64_t job_id);
  // Marks InProgress jobs of this host whose process no longer runs as Failed with
  // kAbandonedReason; returns how many. open() calls it.
  int recover_abandoned_jobs();

  void set_parameters(std::int64_t job_id,
                      const std::vector<std::pair<std::string, std::string>>& parameters);
  // All points in one transaction, many rows per statement; summaries are merged.
  void log_metrics(std::int64_t job_id, std::span<const MetricPoint> points);
  void add_artifact(std::int64_t job_id, const Artifact& artifact);
  void add_lineage(std::int64_t job_id, const LineageEdge& edge);

  // The points of one series of a run in step order, or of every series when `name` is
  // empty. Each series comes from the newest job of the run that logged it (as in
  // RunDetails::metrics), or from job `job_id` when given.
  std::vector<MetricPoint> metric_points(std::int64_t run_id, const std::string& name = "",
                                         std::optional<std::int64_t> job_id = std::nullopt);
  std::vector<MetricSummary> metric_summaries(std::int64_t job_id);

  // The newest `limit` jobs with their runs and metric summaries, newest first.
  std::vector<JobReport> recent_jobs(std::int64_t limit);
  // Counts in one read transaction, so they agree with each other.
  CatalogCounts counts();

 private:
  // Inside a write transaction; non-finite values are skipped.
  void insert_metric_points(std::int64_t job_id, std::span<const MetricPoint> points);
  friend class ModelRegistry;  // the registry's tables live in this database
  friend class MonitoringLog;  // and the model monitor's executions

  // One statement in its own write transaction, its values bound to ?1, ?2, ...
  template <typename... Values>
  void write_one(const std::string& sql, const Values&... values) {
    std::lock_guard lock(mutex_);
    connection_.write_transaction(
        [&] { Statement(connection_.handle(), sql).bind_all(values...).run(); });
  }
  Run run_where(const std::string& condition, const std::function<void(Statement&)>& bind,
                const std::string& missing);
  struct ReadOnly {};
  Catalog(const std::filesystem::path& file, ReadOnly);
  // A job row as this connection presents it: for a reader, a job recover_abandoned_jobs
  // would mark is shown as it will be recorded.
  Job read_job(const Statement& row) const;
  // For a reader: counts such jobs as Failed, as read_job shows them.
  void count_abandoned_as_failed(CatalogCounts& counts);

  std::recursive_mutex mutex_;  // public calls nest (run_details calls run)
  Connection connection_;
};

// The current time as the catalog records it: seconds since the epoch.
double now_seconds();

// Names for a not-found message: "a, b, c", or "none yet" when there are none.
std::string join_names(const std::vector<std::string>& names);

}  // namespace archml::track
