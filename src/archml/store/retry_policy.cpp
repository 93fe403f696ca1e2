#include "archml/store/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace archml::store {

bool is_transient(const AttemptOutcome& outcome) {
  if (outcome.transport_error != 0) return true;
  return outcome.http_status == 429 || outcome.http_status >= 500;
}

double backoff_seconds(const RetryPolicy& policy, int attempt, double uniform01) {
  double exponential = policy.base_delay_seconds * std::pow(2.0, std::max(0, attempt - 1));
  return std::min(exponential, policy.max_delay_seconds) * (0.5 + 0.5 * uniform01);
}

AttemptOutcome run_with_retries(const RetryPolicy& policy,
                                const std::function<AttemptOutcome(int)>& attempt,
                                const std::function<void(double)>& sleep,
                                const std::function<double()>& uniform01) {
  int attempts = std::max(1, policy.max_attempts);
  int timeouts = 0;
  AttemptOutcome outcome;
  for (int number = 1; number <= attempts; ++number) {
    outcome = attempt(number);
    if (outcome.timed_out) ++timeouts;
    if (!is_transient(outcome) || number == attempts || timeouts >= policy.max_timeouts) break;
    sleep(backoff_seconds(policy, number, uniform01()));
  }
  return outcome;
}

}  // namespace archml::store
