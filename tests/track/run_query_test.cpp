#include "archml/track/run_query.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::track {
namespace {

RunDetails make_run(std::int64_t id, const std::string& eta, double aucpr) {
  RunDetails run;
  run.run.id = id;
  run.run.name = "run-" + std::to_string(id);
  run.run.experiment = "fraud";
  run.parameters["eta"] = eta;
  run.parameters["objective"] = "binary:logistic";
  MetricSummary summary;
  summary.name = "validation:aucpr";
  summary.last = aucpr;
  summary.count = 1;
  run.metrics[summary.name] = summary;
  Job job;
  job.status = JobStatus::kCompleted;
  run.jobs.push_back(job);
  return run;
}

TEST(RunQuery, ParsesConditionsJoinedByAnd) {
  auto conditions =
      parse_filter("eta>0.1 AND validation:aucpr >= 0.9 and objective='binary:logistic'");
  ASSERT_EQ(conditions.size(), 3u);
  EXPECT_EQ(conditions[0].key, "eta");
  EXPECT_EQ(conditions[0].comparison, Comparison::kGreater);
  EXPECT_EQ(conditions[0].value, "0.1");
  EXPECT_EQ(conditions[1].key, "validation:aucpr");
  EXPECT_EQ(conditions[1].comparison, Comparison::kGreaterEqual);
  EXPECT_EQ(conditions[2].value, "binary:logistic");
  EXPECT_TRUE(parse_filter("  ").empty());
}

TEST(RunQuery, RejectsMalformedFiltersWithTheGrammar) {
  for (const char* bad : {"eta", ">0.1", "eta>", "eta=>1", "eta>0.1 and"}) {
    try {
      parse_filter(bad);
      FAIL() << "accepted '" << bad << "'";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
      EXPECT_NE(std::string(error.what()).find("KEY OP VALUE"), std::string::npos) << error.what();
    }
  }
}

TEST(RunQuery, MatchesNumbersNumericallyAndTextAsText) {
  RunDetails run = make_run(1, "0.2", 0.91);
  EXPECT_TRUE(matches(run, parse_filter("eta>0.1")));
  EXPECT_FALSE(matches(run, parse_filter("eta>0.25")));
  // 0.2 < 0.15 as text ("0.2" > "0.15"), but not as numbers.
  EXPECT_TRUE(matches(run, parse_filter("eta>=0.15")));
  EXPECT_TRUE(matches(run, parse_filter("validation:aucpr>0.9 and eta<=0.2")));
  EXPECT_FALSE(matches(run, parse_filter("validation:aucpr>0.9 and eta<0.2")));
  EXPECT_TRUE(matches(run, parse_filter("objective=binary:logistic")));
  EXPECT_TRUE(matches(run, parse_filter("status=Completed and name!=run-2")));
  EXPECT_FALSE(matches(run, parse_filter("max_depth>1")));  // a run without the key
}

TEST(RunQuery, SortsDescendingByDefaultWithMissingKeysLast) {
  std::vector<RunDetails> runs = {make_run(1, "0.3", 0.5), make_run(2, "0.1", 0.9),
                                  make_run(3, "0.2", 0.7)};
  runs.push_back(make_run(4, "0.05", 0));
  runs.back().metrics.clear();
  sort_runs(runs, parse_sort("validation:aucpr"));
  EXPECT_EQ(runs[0].run.id, 2);
  EXPECT_EQ(runs[1].run.id, 3);
  EXPECT_EQ(runs[2].run.id, 1);
  EXPECT_EQ(runs[3].run.id, 4);
  sort_runs(runs, parse_sort("eta:asc"));
  EXPECT_EQ(runs[0].run.id, 4);
  EXPECT_EQ(runs[3].run.id, 1);
  SortOrder order = parse_sort("validation:aucpr:desc");
  EXPECT_EQ(order.key, "validation:aucpr");
  EXPECT_TRUE(order.descending);
  EXPECT_THROW(parse_sort(":asc"), Error);
}

}  // namespace
}  // namespace archml::track
