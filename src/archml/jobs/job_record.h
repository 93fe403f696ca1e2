// Recording a job in the catalog (docs/catalog.md). A JobRecorder creates the job
// InProgress, samples the process's resource use on a background thread into the
// series resource:cpu_seconds and resource:rss_mb (about every second and at the end),
// buffers metric points and writes them in batches, and ends the job Completed, Failed
// with the error's message, or Stopped when SIGINT or SIGTERM arrives (the signal is then
// re-raised, so the process still ends as the signal intends; a process whose own handler
// survives it, Python's KeyboardInterrupt, records its next jobs the same way).
//
// With a Pushgateway in the options, every logged point also updates the job's pushed
// state (jobs/metrics_push.h); start_job fills it from the configuration.
//
// Thread-safe: several recorders may live in one process (parallel tuning trials), and
// any thread may log to any of them. A recorder destroyed without an ending marks its
// job Failed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/jobs/job_context.h"
#include "archml/jobs/metrics_push.h"
#include "archml/track/catalog.h"

namespace archml::store {
class ArtifactStore;
}

namespace archml::jobs {

struct RecorderOptions {
  std::chrono::milliseconds sample_interval{1000};
  // Points buffered before log_metric writes them itself (the sampler also flushes them
  // about every second, so a live `archml metrics` sees progress).
  std::size_t flush_threshold = 100000;
  // Empty: this process's command line (/proc/self/cmdline).
  std::string command_line;
  // Pushgateway base URL (store::pushgateway_base_url of the workspace's choice); empty:
  // nothing is pushed.
  std::string pushgateway;
};

class JobRecorder {
 public:
  JobRecorder(std::shared_ptr<track::Catalog> catalog, track::Run run, track::JobKind kind,
              RecorderOptions options = {});
  ~JobRecorder();
  JobRecorder(const JobRecorder&) = delete;
  JobRecorder& operator=(const JobRecorder&) = delete;

  std::int64_t job_id() const { return job_id_; }
  const track::Run& run() const { return run_; }
  track::Catalog& catalog() const { return *catalog_; }
  const std::shared_ptr<track::Catalog>& shared_catalog() const { return catalog_; }
  const RecorderOptions& options() const { return options_; }

  void log_parameters(const std::vector<std::pair<std::string, std::string>>& parameters);
  void log_metric(const std::string& name, std::int64_t step, double value);
  // From now on, add_local_artifact copies each file into `store` (see artifact_upload.h)
  // and records the copy's URI; without a store it records the local file's.
  void keep_artifacts_in(std::unique_ptr<store::ArtifactStore> store);
  // The URI of the store artifacts are kept in, or empty when they stay where they are.
  std::string artifact_store_uri() const;
  // An artifact on the local disk: its size and SHA-256 are measured here. Throws
  // archml::Error when the store refuses the copy.
  void add_local_artifact(const std::string& name, const std::filesystem::path& file,
                          const std::string& media_type);
  void add_lineage(const track::LineageEdge& edge);
  // Writes the buffered metric points now.
  void flush();

  // Ends the job; the first ending wins, later ones are ignored.
  void complete();
  void fail(const std::string& reason);
  void stop(const std::string& reason);

 private:
  void finish(track::JobStatus status, const std::string& reason);
  void sample_resources();
  void sampler_loop();

  std::shared_ptr<track::Catalog> catalog_;
  track::Run run_;
  track::JobKind kind_;
  std::int64_t job_id_ = 0;
  RecorderOptions options_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<std::int64_t> samples_{0};

  mutable std::mutex store_mutex_;  // a store is used from one thread at a time
  std::unique_ptr<store::ArtifactStore> store_;

  std::mutex buffer_mutex_;
  std::vector<track::MetricPoint> buffer_;

  std::mutex state_mutex_;
  std::condition_variable wake_;
  bool finished_ = false;
  std::unique_ptr<JobMetricsPusher> pusher_;
  std::thread sampler_;
};

// "file:///absolute/path" for a local file.
std::string file_uri(const std::filesystem::path& file);

// A bundle's `tracking` metadata: the run and job that trained it, by which the registry
// finds its lineage (model_registration.h).
nlohmann::json bundle_tracking(const track::Run& run, std::int64_t job_id);

// Which run a job records into: --experiment and --run as the user gave them.
struct RunChoice {
  std::optional<std::string> experiment;  // default: the workspace config's, else "default"
  std::optional<std::string> run;         // default: a new run (for training)
};

// Opens the context's workspace and catalog and starts a job in the chosen run (a new run
// when none is named), keeping its artifacts in the workspace's artifact store. Throws
// archml::Error when the workspace or catalog cannot be opened.
std::unique_ptr<JobRecorder> start_job(const JobContext& context, const RunChoice& choice,
                                       track::JobKind kind);
// For a job on a trained bundle (evaluation, transform): without --experiment/--run, the
// run the bundle's training was recorded in (its bundle.json `tracking`), created under
// the same names when this workspace lacks it; otherwise as start_job(context, choice, kind).
std::unique_ptr<JobRecorder> start_job_for_bundle(const JobContext& context,
                                                  const std::filesystem::path& model,
                                                  const RunChoice& choice, track::JobKind kind);

// Runs `body` as the recorded job: Completed when it returns, Failed with the error's
// message when it throws (the exception propagates). A null recorder just runs it.
template <typename Body>
auto run_recorded(JobRecorder* recorder, Body&& body) -> decltype(body()) {
  if (recorder == nullptr) return body();
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      recorder->complete();
    } else {
      auto result = body();
      recorder->complete();
      return result;
    }
  } catch (const std::exception& error) {
    recorder->fail(error.what());
    throw;
  }
}

}  // namespace archml::jobs
