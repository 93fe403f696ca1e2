// Pushing a job's metrics to a Prometheus Pushgateway while it runs (docs/monitoring.md).
// The pusher keeps the latest value of every metric series the job logs (per-round
// metrics of training, final metrics, resource samples) and PUTs the whole state to the
// group job=archml_<kind>, instance=<job id>, experiment, run: at most once per interval
// from its own thread, so the job's hot path only updates a map, plus a final push with
// the job's ending. A gateway that fails never fails the job: the first failure in the
// process prints one warning on stderr, later ones are only counted.
//
// The Prometheus way: one gauge per quantity with the series name as a label, never the
// round or a timestamp as a label (the step is its own gauge), so label sets stay bounded.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "archml/core/prometheus_text.h"
#include "archml/store/pushgateway_client.h"

namespace archml::jobs {

// A resource series the job recorder samples and the gauge it becomes, in the base units
// Prometheus names (seconds, bytes): value * scale.
struct ResourceGauge {
  const char* series;  // "resource:cpu_seconds"
  const char* metric;  // "archml_job_cpu_seconds"
  const char* help;
  double scale;
};
std::span<const ResourceGauge> resource_gauges();
// The gauge of a series, or null when the series is not a sampled resource.
const ResourceGauge* resource_gauge(std::string_view series);

// One sample per job status (InProgress, Completed, Failed, Stopped) labelled `status`
// after `labels`: 1 for `current`, 0 for the others, as Prometheus exposes an enum.
std::vector<core::PrometheusSample> job_status_samples(
    std::string_view current, const std::vector<core::PrometheusLabel>& labels = {});

struct JobPushState {
  std::string kind;  // "training", as track::to_string(JobKind) spells it
  std::int64_t job_id = 0;
  std::string experiment;
  std::string run;
  std::string status = "InProgress";
  double started_at = 0;  // seconds since the epoch
  struct Latest {
    std::int64_t step = 0;
    double value = 0;
  };
  std::map<std::string, Latest> latest;  // series name -> its value at the highest step
};

// The grouping key: job archml_<kind>, instance <job id>, experiment, run.
store::PushGroup job_push_group(const JobPushState& state);
// The text-format body: archml_job_metric{metric=...}, archml_job_metric_step{metric=...},
// the resource gauges (archml_job_cpu_seconds, ..._resident_memory_bytes,
// ..._peak_resident_memory_bytes, ..._wall_seconds, ..._rows_per_second),
// archml_job_status{status=...} (1 for the current one) and archml_job_start_time_seconds.
std::string job_push_body(const JobPushState& state);

struct PushOptions {
  std::string base_url;  // as store::pushgateway_base_url gives it
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds timeout{2000};  // per push, connection included
};

class JobMetricsPusher {
 public:
  JobMetricsPusher(PushOptions options, JobPushState initial);
  // Stops the thread; a job that did not finish() gets no final push.
  ~JobMetricsPusher();
  JobMetricsPusher(const JobMetricsPusher&) = delete;
  JobMetricsPusher& operator=(const JobMetricsPusher&) = delete;

  // Keeps the value when `step` is at least the series' latest step.
  void observe(const std::string& name, std::int64_t step, double value);
  // Sets the ending status and pushes once more, on the calling thread (bounded by the
  // timeout). The first call wins; observe() after it is ignored.
  void finish(const std::string& status);

  std::int64_t pushes() const;    // successful pushes so far
  std::int64_t failures() const;  // failed pushes so far

 private:
  void loop();
  void push_now();

  PushOptions options_;
  std::string group_url_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  JobPushState state_;
  bool dirty_ = true;  // the job's start is worth a push of its own
  bool finished_ = false;
  std::int64_t pushes_ = 0;
  std::int64_t failures_ = 0;
  std::mutex push_mutex_;  // one PUT at a time, so the final state is the last one sent
  std::thread thread_;
};

}  // namespace archml::jobs
