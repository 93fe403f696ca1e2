#include "archml/jobs/command_objective.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"
#include "archml/core/text_file.h"

namespace archml::jobs {
namespace {

class RecordingReporter : public tune::TrialReporter {
 public:
  explicit RecordingReporter(std::size_t stop_after = 0) : stop_after_(stop_after) {}
  bool report(std::size_t step, double value) override {
    values.emplace_back(step, value);
    return stop_after_ == 0 || values.size() < stop_after_;
  }
  std::vector<std::pair<std::size_t, double>> values;

 private:
  std::size_t stop_after_;
};

tune::TrialRequest request(std::vector<std::pair<std::string, std::string>> parameters) {
  tune::TrialRequest r;
  r.trial_number = 3;
  r.parameters = std::move(parameters);
  r.max_steps = 5;
  return r;
}

TEST(CommandObjectiveTest, SplitsWordsLikeAShell) {
  EXPECT_EQ(split_command_words("  a 'b c'  \"d \\\"e\\\"\" f\\ g "),
            (std::vector<std::string>{"a", "b c", "d \"e\"", "f g"}));
  EXPECT_THROW(split_command_words("a 'b"), Error);
}

TEST(CommandObjectiveTest, SubstitutesValuesAsSingleArgumentsWithoutAShell) {
  // The value carries spaces and a shell metacharacter; it must arrive as one argument,
  // never interpreted: printf prints it back verbatim.
  CommandSpec spec{
      "/bin/sh -c 'printf \"%s|%s|%s\\nobjective: %s\\n\" \"$1\" \"$2\" \"$3\" 0.25' sh "
      "{name} {{literal}} {trial_number}",
      "objective: ([-+0-9.eE]+)",
      30,
      {}};
  auto objective = make_command_objective(spec, {"name"});
  RecordingReporter reporter;
  auto outcome = objective(request({{"name", "a b; rm -rf /"}}), reporter);
  EXPECT_DOUBLE_EQ(outcome.objective, 0.25);
  EXPECT_EQ(outcome.steps, 1u);
  EXPECT_FALSE(outcome.stopped_early);
}

TEST(CommandObjectiveTest, EveryMatchIsAStepAndTheLastIsTheObjective) {
  const auto dir = std::filesystem::temp_directory_path() / "archml_command_objective";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  CommandSpec spec{
      "/bin/sh -c 'for v in 0.5 0.6 0.7; do echo \"auc=$v\"; done' sh {x}", "auc=([0-9.]+)", 0, {}};
  auto objective = make_command_objective(spec, {"x"});
  RecordingReporter reporter;
  auto r = request({{"x", "1"}});
  r.trial_dir = dir;
  auto outcome = objective(r, reporter);
  EXPECT_DOUBLE_EQ(outcome.objective, 0.7);
  EXPECT_EQ(outcome.steps, 3u);
  ASSERT_EQ(reporter.values.size(), 3u);
  EXPECT_EQ(reporter.values[1], (std::pair<std::size_t, double>{2, 0.6}));
  EXPECT_NE(core::read_text_file(dir / "output.log").find("auc=0.6"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(CommandObjectiveTest, StoppingTerminatesTheProgram) {
  // Without the stop this would print forever.
  CommandSpec spec{"/bin/sh -c 'i=0; while true; do i=$((i+1)); echo \"v $i\"; sleep 0.01; done'",
                   "v ([0-9]+)",
                   60,
                   {}};
  auto objective = make_command_objective(spec, {});
  RecordingReporter reporter(3);
  auto outcome = objective(request({}), reporter);
  EXPECT_TRUE(outcome.stopped_early);
  EXPECT_EQ(outcome.steps, 3u);
  EXPECT_DOUBLE_EQ(outcome.objective, 3);
}

void expect_failure(const CommandSpec& spec, const std::string& fragment) {
  auto objective = make_command_objective(spec, {"x"});
  RecordingReporter reporter;
  try {
    objective(request({{"x", "1"}}), reporter);
    FAIL() << "expected a failure mentioning " << fragment;
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

TEST(CommandObjectiveTest, FailuresBecomeTrialErrorsWithTheOutputTail) {
  expect_failure({"/bin/sh -c 'echo boom; exit 3'", "v=([0-9]+)", 0, {}}, "exited with status 3");
  expect_failure({"/bin/sh -c 'echo boom; exit 3'", "v=([0-9]+)", 0, {}}, "| boom");
  expect_failure({"/bin/echo nothing here", "v=([0-9]+)", 0, {}}, "matched no number");
  expect_failure({"/bin/sleep 5", "v=([0-9]+)", 0.2, {}}, "timeout_seconds");
  expect_failure({"/nonexistent/program {x}", "v", 0, {}}, "cannot run '/nonexistent/program'");
}

TEST(CommandObjectiveTest, RejectsBadTemplatesBeforeRunning) {
  EXPECT_THROW(make_command_objective({"echo {y}", "v", 0, {}}, {"x"}), Error);
  EXPECT_THROW(make_command_objective({"echo {x", "v", 0, {}}, {"x"}), Error);
  EXPECT_THROW(make_command_objective({"echo {x}", "v(", 0, {}}, {"x"}), Error);
  EXPECT_THROW(make_command_objective({"  ", "v", 0, {}}, {"x"}), Error);
  EXPECT_THROW(parse_command_section(nlohmann::json{{"run", "x"}}), Error);
  EXPECT_THROW(
      parse_command_section(nlohmann::json{{"run", "x"}, {"metric_regex", "v"}, {"shell", true}}),
      Error);
}

}  // namespace
}  // namespace archml::jobs
