// When a failed S3 request is tried again, and how long to wait first. Transient failures
// (connection refused or reset, timeouts, 5xx, 429 Slow Down) are retried with exponential
// backoff and jitter, so parallel clients do not retry in lockstep; everything else
// (403, 404, 400...) fails at once. Attempts are bounded so that an unreachable server is
// reported within a few seconds instead of hanging a job. A server that let an attempt time
// out (no connection, or no byte for the read timeout) gets fewer tries: waiting that long
// again and again is how a hang looks to the user.
#pragma once

#include <functional>

namespace archml::store {

struct RetryPolicy {
  int max_attempts = 4;             // the first try included
  double base_delay_seconds = 0.2;  // the longest wait before the second attempt
  double max_delay_seconds = 2.0;
  int max_timeouts = 2;  // attempts that timed out before giving up
};

// What one attempt came to: an HTTP status (0 when none arrived) and libcurl's code
// (0 when the transfer itself worked).
struct AttemptOutcome {
  long http_status = 0;
  int transport_error = 0;
  bool timed_out = false;  // the attempt hit the connect or read timeout
};

bool is_transient(const AttemptOutcome& outcome);

// Seconds to wait after failed attempt number `attempt` (1-based): base * 2^(attempt-1),
// capped, then scaled by a factor in [0.5, 1.0) taken from `uniform01` in [0, 1).
double backoff_seconds(const RetryPolicy& policy, int attempt, double uniform01);

// Runs `attempt` until it is not transient or the attempts run out; returns the last
// outcome. `sleep` and `uniform01` are parameters so tests script them.
AttemptOutcome run_with_retries(const RetryPolicy& policy,
                                const std::function<AttemptOutcome(int attempt)>& attempt,
                                const std::function<void(double seconds)>& sleep,
                                const std::function<double()>& uniform01);

}  // namespace archml::store
