#include <gtest/gtest.h>

#include "archml/tune/asha.h"
#include "archml/tune/median_stopping_rule.h"

namespace archml::tune {
namespace {

// Feeds a whole scripted curve; returns the step at which the rule stopped it (0 = never).
// A curve that was not stopped is then reported as completed, as the tuner does.
std::size_t run_curve(StoppingRule& rule, std::size_t trial, const std::vector<double>& losses) {
  for (std::size_t step = 1; step <= losses.size(); ++step)
    if (rule.report(trial, step, losses[step - 1])) {
      rule.finished(trial, false);
      return step;
    }
  rule.finished(trial, true);
  return 0;
}

TEST(MedianStoppingRuleTest, StopsATrialWorseThanTheMedianOfRunningAverages) {
  MedianStoppingRule rule(3);
  EXPECT_EQ(run_curve(rule, 1, {1, 1, 1, 1}), 0u);
  EXPECT_EQ(run_curve(rule, 2, {4, 2, 0, 0}), 0u);  // running averages 4, 3, 2, 1.5
  EXPECT_EQ(run_curve(rule, 3, {3, 3, 3, 3}), 0u);
  // Medians of (1, 4, 3)=3 at step 1, (1, 3, 3)=3 at 2, (1, 2, 3)=2 at 3: 2.5 survives two
  // steps and stops at the third.
  EXPECT_EQ(run_curve(rule, 4, {2.5, 2.5, 2.5, 2.5}), 3u);
  // Better than every median: never stopped.
  EXPECT_EQ(run_curve(rule, 5, {0.5, 0.5, 0.5, 0.5}), 0u);
}

TEST(MedianStoppingRuleTest, ActsOnlyOnceEnoughTrialsHaveCompleted) {
  MedianStoppingRule rule(2);
  EXPECT_EQ(run_curve(rule, 1, {1, 1, 1, 1}), 0u);
  // Trial 2 runs alongside trial 3 and has not finished: one completed trial is too few to
  // judge trial 3, however bad it looks.
  EXPECT_FALSE(rule.report(2, 1, 1));
  EXPECT_FALSE(rule.report(2, 2, 1));
  EXPECT_FALSE(rule.report(3, 1, 9));
  EXPECT_FALSE(rule.report(3, 2, 9));
  rule.finished(2, true);
  EXPECT_TRUE(rule.report(3, 3, 9));  // now two completed trials exist
  rule.finished(3, false);
  // A trial stopped early is not a completed one: it does not count towards the two.
  MedianStoppingRule strict(2);
  EXPECT_EQ(run_curve(strict, 1, {1, 1}), 0u);
  EXPECT_FALSE(strict.report(2, 1, 1));
  strict.finished(2, false);
  EXPECT_FALSE(strict.report(3, 1, 9));
  EXPECT_FALSE(strict.report(3, 2, 9));
}

TEST(MedianStoppingRuleTest, SparesATrialThatIsStillImprovingFastEnough) {
  MedianStoppingRule rule(2, 2);
  EXPECT_EQ(run_curve(rule, 1, {1, 1, 1, 1, 1, 1}), 0u);
  EXPECT_EQ(run_curve(rule, 2, {1, 1, 1, 1, 1, 1}), 0u);
  // Worse than the median (1) from step 2 on. Steps 2 and 3 spare it: it gained 2.6 and
  // 2.7 over the last two steps, and as much again would take it past the median. At step
  // 4 it gained only 0.1 over two steps (1.4 -> 1.3): stopped.
  EXPECT_EQ(run_curve(rule, 3, {4, 1.4, 1.3, 1.3, 1.3, 1.3}), 4u);
  EXPECT_EQ(run_curve(rule, 4, {9, 9, 9, 9, 9, 9}), 2u);  // flat and bad: stopped at once
}

TEST(MedianStoppingRuleTest, JudgesNothingBeforeTheMinimumStep) {
  MedianStoppingRule rule(1, 3);
  EXPECT_EQ(run_curve(rule, 1, {1, 1, 1, 1}), 0u);
  EXPECT_EQ(run_curve(rule, 2, {9, 9, 9, 9}), 3u);
}

TEST(MedianStoppingRuleTest, IgnoresNonFiniteValues) {
  MedianStoppingRule rule(1);
  EXPECT_EQ(run_curve(rule, 1, {1, 1}), 0u);
  EXPECT_FALSE(rule.report(2, 1, std::numeric_limits<double>::quiet_NaN()));
  EXPECT_TRUE(rule.report(2, 2, 5));
}

TEST(AshaRuleTest, RungsGrowByTheReductionFactor) {
  AshaRule rule(81, 3, 4);
  EXPECT_EQ(rule.rungs(0), (std::vector<std::size_t>{3, 9, 27}));
  EXPECT_EQ(rule.rungs(1), (std::vector<std::size_t>{9, 27}));
  EXPECT_EQ(rule.rungs(2), (std::vector<std::size_t>{27}));
  EXPECT_TRUE(rule.rungs(3).empty());  // the last bracket runs every trial in full
  EXPECT_EQ(rule.bracket_of(1), 0u);
  EXPECT_EQ(rule.bracket_of(6), 1u);
}

TEST(AshaRuleTest, KeepsOnlyTheTopThirdAtEachRung) {
  AshaRule rule(81, 3, 1);
  auto curve = [](double level) { return std::vector<double>(81, level); };
  EXPECT_EQ(run_curve(rule, 1, curve(5)), 0u);  // first at every rung: continues
  EXPECT_EQ(run_curve(rule, 2, curve(6)), 3u);  // worse than the only one recorded at 3
  EXPECT_EQ(run_curve(rule, 3, curve(4)), 0u);  // better at every rung
  // Rung 3 holds 5, 6, 4: the best third is {4}; 4.5 stops at the first rung.
  EXPECT_EQ(run_curve(rule, 4, curve(4.5)), 3u);
  // A curve that would end best is still judged where it is at the rung: 7 at step 3.
  std::vector<double> improving(81, 1);
  improving[0] = improving[1] = improving[2] = 7;
  EXPECT_EQ(run_curve(rule, 5, improving), 3u);
  // A trial that reports only at step 10 is judged at rungs 3 and 9 at once.
  EXPECT_TRUE(rule.report(6, 10, 100));
}

TEST(AshaRuleTest, TrialsInTheLastBracketAreNeverStopped) {
  AshaRule rule(81, 3, 2);
  EXPECT_EQ(run_curve(rule, 1, std::vector<double>(81, 1)), 0u);
  EXPECT_EQ(run_curve(rule, 2, std::vector<double>(81, 100)), 0u);  // bracket 1: no rungs
  EXPECT_EQ(run_curve(rule, 3, std::vector<double>(81, 100)), 3u);  // bracket 0 again
}

}  // namespace
}  // namespace archml::tune
