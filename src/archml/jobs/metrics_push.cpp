#include "archml/jobs/metrics_push.h"

#include <atomic>
#include <cstdio>
#include <exception>
#include <vector>

#include "archml/core/prometheus_text.h"
#include "archml/track/catalog.h"

namespace archml::jobs {
namespace {

constexpr ResourceGauge kResourceGauges[] = {
    {"resource:cpu_seconds", "archml_job_cpu_seconds",
     "CPU time (user and system) the job's process has used, in seconds.", 1},
    {"resource:rss_mb", "archml_job_resident_memory_bytes",
     "Resident memory of the job's process at the latest sample, in bytes.", 1e6},
    {"resource:peak_rss_mb", "archml_job_peak_resident_memory_bytes",
     "Peak resident memory of the job's process, in bytes.", 1e6},
    {"resource:wall_seconds", "archml_job_wall_seconds", "Wall time since the job started.", 1},
    {"resource:rows_per_second", "archml_job_rows_per_second",
     "Rows the job processed per second of its run time.", 1},
};

// One warning per process: parallel tuning trials share the same unreachable gateway.
std::atomic<bool> warned{false};

}  // namespace

std::span<const ResourceGauge> resource_gauges() {
  return kResourceGauges;
}

const ResourceGauge* resource_gauge(std::string_view series) {
  for (const auto& gauge : kResourceGauges)
    if (series == gauge.series) return &gauge;
  return nullptr;
}

std::vector<core::PrometheusSample> job_status_samples(
    std::string_view current, const std::vector<core::PrometheusLabel>& labels) {
  std::vector<core::PrometheusSample> samples;
  for (const auto status : {track::JobStatus::kInProgress, track::JobStatus::kCompleted,
                            track::JobStatus::kFailed, track::JobStatus::kStopped}) {
    core::PrometheusSample sample{labels, 0};
    const std::string name = track::to_string(status);
    sample.labels.push_back({"status", name});
    sample.value = name == current ? 1 : 0;
    samples.push_back(std::move(sample));
  }
  return samples;
}

store::PushGroup job_push_group(const JobPushState& state) {
  return {"archml_" + state.kind,
          {{"instance", std::to_string(state.job_id)},
           {"experiment", state.experiment},
           {"run", state.run}}};
}

std::string job_push_body(const JobPushState& state) {
  core::PrometheusWriter writer;
  std::vector<core::PrometheusSample> values, steps;
  for (const auto& [name, latest] : state.latest) {
    if (resource_gauge(name) != nullptr) continue;
    values.push_back({{{"metric", name}}, latest.value});
    steps.push_back({{{"metric", name}}, static_cast<double>(latest.step)});
  }
  writer.gauge("archml_job_metric",
               "Latest value of each metric series the job logged (per round while training).",
               values);
  writer.gauge("archml_job_metric_step",
               "Step (boosting round, sample number) of archml_job_metric's value.", steps);
  for (const auto& gauge : kResourceGauges) {
    const auto found = state.latest.find(gauge.series);
    if (found != state.latest.end())
      writer.gauge(gauge.metric, gauge.help, {{{}, found->second.value * gauge.scale}});
  }
  writer.gauge("archml_job_status", "1 for the job's current status, 0 for the others.",
               job_status_samples(state.status));
  writer.gauge("archml_job_start_time_seconds", "When the job started, in seconds since the epoch.",
               {{{}, state.started_at}});
  return writer.text();
}

JobMetricsPusher::JobMetricsPusher(PushOptions options, JobPushState initial)
    : options_(std::move(options)),
      group_url_(store::pushgateway_group_url(options_.base_url, job_push_group(initial))),
      state_(std::move(initial)) {
  thread_ = std::thread([this] { loop(); });
}

JobMetricsPusher::~JobMetricsPusher() {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void JobMetricsPusher::observe(const std::string& name, std::int64_t step, double value) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  auto [entry, inserted] = state_.latest.try_emplace(name, JobPushState::Latest{step, value});
  if (!inserted && step >= entry->second.step) entry->second = {step, value};
  dirty_ = true;
}

void JobMetricsPusher::finish(const std::string& status) {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    state_.status = status;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  push_now();
}

std::int64_t JobMetricsPusher::pushes() const {
  std::lock_guard lock(mutex_);
  return pushes_;
}

std::int64_t JobMetricsPusher::failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

void JobMetricsPusher::loop() {
  std::unique_lock lock(mutex_);
  while (!finished_) {
    if (dirty_) {
      lock.unlock();
      push_now();
      lock.lock();
    }
    wake_.wait_for(lock, options_.interval, [this] { return finished_; });
  }
}

void JobMetricsPusher::push_now() {
  std::lock_guard pushing(push_mutex_);
  std::string body;
  {
    std::lock_guard lock(mutex_);
    body = job_push_body(state_);
    dirty_ = false;
  }
  try {
    store::pushgateway_put(group_url_, body, options_.timeout);
    std::lock_guard lock(mutex_);
    ++pushes_;
  } catch (const std::exception& error) {
    {
      std::lock_guard lock(mutex_);
      ++failures_;
    }
    if (!warned.exchange(true))
      std::fprintf(stderr,
                   "archml: warning: job metrics are not reaching the Pushgateway (%s); the job "
                   "goes on, and later push failures are not reported\n",
                   error.what());
  }
}

}  // namespace archml::jobs
