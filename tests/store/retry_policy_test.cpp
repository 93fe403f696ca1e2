#include "archml/store/retry_policy.h"

#include <gtest/gtest.h>

#include <curl/curl.h>

#include <vector>

namespace archml::store {
namespace {

// Plays back scripted outcomes and records what the retry loop did with them.
struct Script {
  explicit Script(std::vector<AttemptOutcome> scripted) : outcomes(std::move(scripted)) {}

  std::vector<AttemptOutcome> outcomes;
  std::vector<double> sleeps;
  int attempts = 0;

  AttemptOutcome run(const RetryPolicy& policy) {
    return run_with_retries(
        policy,
        [&](int number) {
          EXPECT_EQ(number, attempts + 1);
          return outcomes.at(attempts++);
        },
        [&](double seconds) { sleeps.push_back(seconds); }, [] { return 0.5; });
  }
};

TEST(RetryPolicy, TransientMeansNetwork5xxAnd429) {
  EXPECT_TRUE(is_transient({0, CURLE_COULDNT_CONNECT}));
  EXPECT_TRUE(is_transient({0, CURLE_OPERATION_TIMEDOUT}));
  EXPECT_TRUE(is_transient({0, CURLE_RECV_ERROR}));
  EXPECT_TRUE(is_transient({500, 0}));
  EXPECT_TRUE(is_transient({503, 0}));
  EXPECT_TRUE(is_transient({429, 0}));
  EXPECT_FALSE(is_transient({200, 0}));
  EXPECT_FALSE(is_transient({403, 0}));
  EXPECT_FALSE(is_transient({404, 0}));
  EXPECT_FALSE(is_transient({400, 0}));
}

TEST(RetryPolicy, RetriesTransientFailuresUntilSuccess) {
  Script script({{503, 0}, {0, CURLE_COULDNT_CONNECT}, {200, 0}, {200, 0}});
  AttemptOutcome last = script.run(RetryPolicy{});
  EXPECT_EQ(last.http_status, 200);
  EXPECT_EQ(script.attempts, 3);
  ASSERT_EQ(script.sleeps.size(), 2u);
  EXPECT_LT(script.sleeps[0], script.sleeps[1]);  // exponential
}

TEST(RetryPolicy, PermanentFailuresAreNotRetried) {
  Script script({{403, 0}, {200, 0}});
  EXPECT_EQ(script.run(RetryPolicy{}).http_status, 403);
  EXPECT_EQ(script.attempts, 1);
  EXPECT_TRUE(script.sleeps.empty());
}

TEST(RetryPolicy, GivesUpAfterMaxAttemptsWithBoundedWaits) {
  RetryPolicy policy;
  Script script(std::vector<AttemptOutcome>(10, AttemptOutcome{0, CURLE_COULDNT_CONNECT}));
  AttemptOutcome last = script.run(policy);
  EXPECT_EQ(last.transport_error, CURLE_COULDNT_CONNECT);
  EXPECT_EQ(script.attempts, policy.max_attempts);
  EXPECT_EQ(script.sleeps.size(), static_cast<std::size_t>(policy.max_attempts - 1));
  double waited = 0;
  for (double s : script.sleeps) waited += s;
  // "Server down" must be reported within seconds, not minutes.
  EXPECT_LE(waited, policy.max_delay_seconds * policy.max_attempts);
}

TEST(RetryPolicy, BackoffDoublesCapsAndJitters) {
  RetryPolicy policy{6, 0.2, 1.0};
  EXPECT_DOUBLE_EQ(backoff_seconds(policy, 1, 1.0 - 1e-12), 0.2 * (1.0 - 0.5e-12));
  EXPECT_DOUBLE_EQ(backoff_seconds(policy, 2, 0.0), 0.2);  // 0.4 scaled by 0.5
  EXPECT_DOUBLE_EQ(backoff_seconds(policy, 3, 0.0), 0.4);  // 0.8 scaled by 0.5
  EXPECT_DOUBLE_EQ(backoff_seconds(policy, 5, 0.0), 0.5);  // 3.2 capped to 1.0, halved
  EXPECT_DOUBLE_EQ(backoff_seconds(policy, 5, 0.999), 1.0 * (0.5 + 0.5 * 0.999));
}

TEST(RetryPolicy, AtLeastOneAttemptEvenIfMisconfigured) {
  Script script({{503, 0}});
  script.run(RetryPolicy{0, 0.1, 0.1});
  EXPECT_EQ(script.attempts, 1);
}

TEST(RetryPolicy, TimeoutsGetFewerAttemptsThanOtherFailures) {
  // A server that accepts and never answers costs a read timeout per attempt: two are
  // enough to tell, four would make a user wait minutes.
  RetryPolicy policy;
  AttemptOutcome timeout{0, CURLE_OPERATION_TIMEDOUT, true};
  Script script(std::vector<AttemptOutcome>(10, timeout));
  EXPECT_TRUE(script.run(policy).timed_out);
  EXPECT_EQ(script.attempts, policy.max_timeouts);
  EXPECT_LT(policy.max_timeouts, policy.max_attempts);

  // Other transient failures around a timeout keep their own budget.
  Script mixed({{503, 0}, timeout, {503, 0}, {200, 0}});
  EXPECT_EQ(mixed.run(policy).http_status, 200);
  EXPECT_EQ(mixed.attempts, 4);
}

}  // namespace
}  // namespace archml::store
