#include "archml/jobs/job_record.h"

#include <csignal>
#include <fstream>
#include <functional>
#include <set>

#include "archml/core/digest.h"
#include "archml/core/error.h"
#include "archml/core/resources.h"
#include "archml/core/text_file.h"
#include "archml/jobs/artifact_upload.h"
#include "archml/model/bundle.h"
#include "archml/store/open_store.h"
#include "archml/store/pushgateway_client.h"
#include "archml/track/workspace.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

// How often the sampler looks for a pending signal between resource samples.
constexpr auto kSignalPoll = std::chrono::milliseconds(50);

// SIGINT/SIGTERM while jobs are recorded. The handler only notes the signal (nothing
// else is async-signal-safe); a sampler thread sees the note, marks every live job
// Stopped, restores the previous disposition and raises the signal again.
volatile std::sig_atomic_t pending_signal = 0;

void note_signal(int signal) {
  pending_signal = signal;
}

std::string stop_reason(int signal) {
  return std::string("stopped by ") + (signal == SIGINT ? "SIGINT" : "SIGTERM");
}

struct LiveJobs {
  std::mutex mutex;
  std::set<JobRecorder*> recorders;
  struct sigaction previous_int {};
  struct sigaction previous_term {};
  std::atomic<bool> stopping{false};
};

LiveJobs& live_jobs() {
  static LiveJobs* jobs = new LiveJobs;  // never destroyed: samplers may outlive statics
  return *jobs;
}

void register_recorder(JobRecorder* recorder) {
  LiveJobs& live = live_jobs();
  std::lock_guard lock(live.mutex);
  if (live.recorders.empty()) {
    struct sigaction action {};
    action.sa_handler = note_signal;
    // Restart interrupted reads and writes: the job should not fail on EINTR before the
    // sampler has marked it Stopped.
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &live.previous_int);
    sigaction(SIGTERM, &action, &live.previous_term);
  }
  live.recorders.insert(recorder);
}

void unregister_recorder(JobRecorder* recorder) {
  LiveJobs& live = live_jobs();
  std::lock_guard lock(live.mutex);
  live.recorders.erase(recorder);
  if (live.recorders.empty() && !live.stopping) {
    sigaction(SIGINT, &live.previous_int, nullptr);
    sigaction(SIGTERM, &live.previous_term, nullptr);
  }
  // A process that survives the signal (Python catches KeyboardInterrupt) may record
  // jobs again: the next one installs the handler afresh and must find neither the
  // signal still pending nor the stop spent (stop_all_for restored the previous
  // handlers already).
  if (live.recorders.empty() && live.stopping) {
    pending_signal = 0;
    live.stopping = false;
  }
}

// On a sampler thread: ends every live job as Stopped, then lets the signal act.
void stop_all_for(int signal) {
  LiveJobs& live = live_jobs();
  if (live.stopping.exchange(true)) return;
  {
    std::lock_guard lock(live.mutex);
    const std::string reason = stop_reason(signal);
    for (JobRecorder* recorder : live.recorders) {
      try {
        recorder->stop(reason);
      } catch (const std::exception&) {
        // The catalog is unreachable: the next open marks the job Failed instead.
      }
    }
    sigaction(SIGINT, &live.previous_int, nullptr);
    sigaction(SIGTERM, &live.previous_term, nullptr);
  }
  std::raise(signal);
}

std::string own_command_line() {
  std::ifstream file("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::string line;
  std::size_t start = 0;
  while (start < raw.size()) {
    std::size_t end = raw.find('\0', start);
    if (end == std::string::npos) end = raw.size();
    std::string argument = raw.substr(start, end - start);
    if (argument.empty() || argument.find_first_of(" \t\"'\\$") != std::string::npos) {
      std::string quoted = "'";
      for (char c : argument) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      argument = quoted + "'";
    }
    line += (line.empty() ? "" : " ") + argument;
    start = end + 1;
  }
  return line;
}

RecorderOptions recorder_options(const track::Workspace& workspace) {
  RecorderOptions options;
  const std::string gateway = workspace.pushgateway_url();
  if (!gateway.empty()) options.pushgateway = store::pushgateway_base_url(gateway);
  return options;
}

std::string experiment_for(const RunChoice& choice, const track::Workspace& workspace) {
  return choice.experiment ? *choice.experiment : workspace.config().experiment;
}

}  // namespace

nlohmann::json bundle_tracking(const track::Run& run, std::int64_t job_id) {
  return {
      {"experiment", run.experiment}, {"run", run.name}, {"run_id", run.id}, {"job_id", job_id}};
}

std::string file_uri(const fs::path& file) {
  std::error_code error;
  fs::path absolute = fs::absolute(file, error);
  return "file://" + (error ? file : absolute.lexically_normal()).string();
}

JobRecorder::JobRecorder(std::shared_ptr<track::Catalog> catalog, track::Run run,
                         track::JobKind kind, RecorderOptions options)
    : catalog_(std::move(catalog)),
      run_(std::move(run)),
      kind_(kind),
      options_(std::move(options)),
      started_(std::chrono::steady_clock::now()) {
  if (options_.command_line.empty()) options_.command_line = own_command_line();
  job_id_ = catalog_->start_job(run_.id, kind, options_.command_line, track::current_process());
  if (!options_.pushgateway.empty()) {
    JobPushState state{track::to_string(kind), job_id_, run_.experiment, run_.name, "InProgress",
                       track::now_seconds(),   {}};
    pusher_ = std::make_unique<JobMetricsPusher>(PushOptions{options_.pushgateway}, state);
  }
  register_recorder(this);
  sampler_ = std::thread([this] { sampler_loop(); });
}

JobRecorder::~JobRecorder() {
  try {
    fail("the job ended without reporting a result");
  } catch (const std::exception&) {
    // Destructors must not throw; the next open marks the job Failed.
  }
  unregister_recorder(this);
  if (sampler_.joinable()) sampler_.join();
}

void JobRecorder::log_parameters(
    const std::vector<std::pair<std::string, std::string>>& parameters) {
  catalog_->set_parameters(job_id_, parameters);
}

void JobRecorder::log_metric(const std::string& name, std::int64_t step, double value) {
  bool full = false;
  {
    std::lock_guard lock(buffer_mutex_);
    buffer_.push_back({name, step, value, track::now_seconds()});
    full = buffer_.size() >= options_.flush_threshold;
  }
  if (pusher_) pusher_->observe(name, step, value);
  if (full) flush();
}

void JobRecorder::flush() {
  std::vector<track::MetricPoint> points;
  {
    std::lock_guard lock(buffer_mutex_);
    points.swap(buffer_);
  }
  try {
    catalog_->log_metrics(job_id_, points);
  } catch (...) {
    // Not written: back in front of what arrived meanwhile, for the next flush.
    std::lock_guard lock(buffer_mutex_);
    buffer_.insert(buffer_.begin(), std::make_move_iterator(points.begin()),
                   std::make_move_iterator(points.end()));
    throw;
  }
}

std::string JobRecorder::artifact_store_uri() const {
  std::lock_guard<std::mutex> lock(store_mutex_);
  return store_ ? store_->uri() : std::string();
}

void JobRecorder::keep_artifacts_in(std::unique_ptr<store::ArtifactStore> store) {
  std::lock_guard lock(store_mutex_);
  store_ = std::move(store);
}

void JobRecorder::add_local_artifact(const std::string& name, const fs::path& file,
                                     const std::string& media_type) {
  {
    std::lock_guard lock(store_mutex_);
    if (store_) {
      const std::string key = job_artifact_prefix(run_, kind_, job_id_) + "/" + name;
      catalog_->add_artifact(job_id_, keep_artifact(*store_, key, name, file, media_type));
      return;
    }
  }
  std::error_code error;
  const auto size = fs::file_size(file, error);
  if (error) throw_io("cannot record artifact '" + file.string() + "': " + error.message());
  catalog_->add_artifact(job_id_,
                         {name, file_uri(file), media_type, static_cast<std::uint64_t>(size),
                          core::file_sha256_hex(file.string())});
}

void JobRecorder::add_lineage(const track::LineageEdge& edge) {
  catalog_->add_lineage(job_id_, edge);
}

void JobRecorder::complete() {
  finish(track::JobStatus::kCompleted, "");
}

void JobRecorder::fail(const std::string& reason) {
  // An error raised while a stop signal is pending (an interrupted call) is the stop.
  const int signal = pending_signal;
  if (signal != 0)
    finish(track::JobStatus::kStopped, stop_reason(signal));
  else
    finish(track::JobStatus::kFailed, reason);
}

void JobRecorder::stop(const std::string& reason) {
  finish(track::JobStatus::kStopped, reason);
}

void JobRecorder::finish(track::JobStatus status, const std::string& reason) {
  {
    std::lock_guard lock(state_mutex_);
    if (finished_) return;
    finished_ = true;
  }
  wake_.notify_all();
  // The last sample shows the job's final footprint; then nothing stays buffered. The
  // ending is recorded even when those points cannot be.
  try {
    sample_resources();
  } catch (const std::exception&) {
  }
  // The push never throws, so the gateway learns the ending whatever the catalog does.
  if (pusher_) pusher_->finish(track::to_string(status));
  try {
    flush();
  } catch (const std::exception&) {
  }
  catalog_->finish_job(job_id_, status, reason);
}

void JobRecorder::sample_resources() {
  static const core::ResourceMeter meter;  // CPU time is the process's, from its start
  const core::ResourceUsage usage = meter.usage();
  const std::int64_t step = samples_++;
  log_metric("resource:cpu_seconds", step, usage.cpu_user_seconds + usage.cpu_system_seconds);
  log_metric("resource:rss_mb", step, static_cast<double>(usage.current_rss_bytes) / 1e6);
  log_metric("resource:peak_rss_mb", step, static_cast<double>(usage.peak_rss_bytes) / 1e6);
  log_metric("resource:wall_seconds", step,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
}

void JobRecorder::sampler_loop() {
  auto next_sample = std::chrono::steady_clock::now();
  std::unique_lock lock(state_mutex_);
  while (!finished_) {
    if (pending_signal != 0) {
      lock.unlock();
      stop_all_for(pending_signal);
      return;
    }
    if (std::chrono::steady_clock::now() >= next_sample) {
      lock.unlock();
      try {
        sample_resources();
        flush();
      } catch (const std::exception&) {
        // A catalog busy past every retry: keep the points buffered for the next flush.
      }
      next_sample += options_.sample_interval;
      lock.lock();
      continue;
    }
    wake_.wait_for(lock, kSignalPoll);
  }
}

namespace {

// A recorder for `run` of the context's workspace, keeping its artifacts in the
// workspace's store. A malformed setting or a misconfigured store fails before anything
// is recorded.
std::unique_ptr<JobRecorder> start_recorder(
    const JobContext& context, track::JobKind kind,
    const std::function<track::Run(track::Catalog&, const track::Workspace&)>& run) {
  track::Workspace workspace = track::Workspace::open(context.workspace);
  RecorderOptions options = recorder_options(workspace);
  auto store = store::open_artifact_store(workspace.artifacts_uri(), context.store);
  auto catalog = workspace.catalog();
  auto recorder =
      std::make_unique<JobRecorder>(catalog, run(*catalog, workspace), kind, std::move(options));
  recorder->keep_artifacts_in(std::move(store));
  return recorder;
}

}  // namespace

std::unique_ptr<JobRecorder> start_job(const JobContext& context, const RunChoice& choice,
                                       track::JobKind kind) {
  return start_recorder(context, kind, [&](track::Catalog& catalog, const track::Workspace& ws) {
    const std::string experiment = experiment_for(choice, ws);
    return choice.run ? catalog.ensure_run(experiment, *choice.run)
                      : catalog.create_run(experiment, std::nullopt);
  });
}

std::unique_ptr<JobRecorder> start_job_for_bundle(const JobContext& context, const fs::path& model,
                                                  const RunChoice& choice, track::JobKind kind) {
  if (choice.experiment || choice.run) return start_job(context, choice, kind);
  std::string experiment, name;
  try {
    // Only the names are needed; the job itself loads (and checks) the whole bundle.
    auto json = nlohmann::json::parse(
        core::read_text_file(model::Bundle::locate(model) / "bundle.json", "bundle metadata"));
    const auto tracking = json.value("tracking", nlohmann::json::object());
    experiment = tracking.value("experiment", "");
    name = tracking.value("run", "");
  } catch (const std::exception&) {
    // A missing or broken bundle: the job fails on it, recorded in a new run.
  }
  if (experiment.empty() || name.empty()) return start_job(context, choice, kind);
  return start_recorder(context, kind, [&](track::Catalog& catalog, const track::Workspace&) {
    return catalog.ensure_run(experiment, name);
  });
}

}  // namespace archml::jobs
