#include "archml/model/hyperparameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "archml/core/error.h"

namespace archml::model {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::vector<std::string>& assignments) {
  try {
    Hyperparameters::parse(assignments);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    return error.what();
  }
  return "";
}

std::map<std::string, std::vector<std::string>> params_of(const ResolvedHyperparameters& r) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, value] : r.xgboost_params) out[name].push_back(value);
  return out;
}

TargetSummary binary_target(std::size_t rows, std::size_t positives) {
  std::vector<float> labels(rows, 0.0f);
  for (std::size_t i = 0; i < positives; ++i) labels[i] = 1.0f;
  return summarize_target(labels);
}

TEST(ModelHyperparameters, DefaultsFollowSageMaker) {
  const Hyperparameters hp;
  EXPECT_EQ(hp.num_round, 100);
  EXPECT_EQ(hp.eta, 0.3);
  EXPECT_EQ(hp.max_depth, 6);
  EXPECT_EQ(hp.subsample, 1);
  EXPECT_EQ(hp.colsample_bytree, 1);
  EXPECT_EQ(hp.gamma, 0);
  EXPECT_EQ(hp.min_child_weight, 1);
  EXPECT_EQ(hp.lambda, 1);
  EXPECT_EQ(hp.alpha, 0);
  EXPECT_EQ(hp.scale_pos_weight, 1);
  EXPECT_FALSE(hp.max_delta_step.has_value());
  EXPECT_EQ(hp.tree_method, "hist");
  EXPECT_EQ(hp.seed, 0);
  EXPECT_FALSE(hp.objective.has_value());
  EXPECT_FALSE(hp.early_stopping_rounds.has_value());
}

TEST(ModelHyperparameters, ParsesAssignments) {
  const auto hp = Hyperparameters::parse(
      {"num_round=250", "eta=0.05", "max_depth=4", "subsample=0.8", "lambda=8", "alpha=0.5",
       "scale_pos_weight=auto", "objective=binary:logistic", "eval_metric=auc,aucpr",
       "early_stopping_rounds=10", "seed=42", "gamma=1e-3", " min_child_weight = 2 ",
       "max_delta_step=6.0"});
  EXPECT_EQ(hp.num_round, 250);
  EXPECT_EQ(hp.eta, 0.05);
  EXPECT_EQ(hp.max_depth, 4);
  EXPECT_EQ(hp.subsample, 0.8);
  EXPECT_EQ(hp.lambda, 8);
  EXPECT_EQ(hp.alpha, 0.5);
  EXPECT_TRUE(hp.scale_pos_weight_auto);
  EXPECT_EQ(hp.objective, "binary:logistic");
  EXPECT_EQ(hp.eval_metric, (std::vector<std::string>{"auc", "aucpr"}));
  EXPECT_EQ(hp.early_stopping_rounds, 10);
  EXPECT_EQ(hp.seed, 42);
  EXPECT_EQ(hp.gamma, 1e-3);
  EXPECT_EQ(hp.min_child_weight, 2);
  EXPECT_EQ(hp.max_delta_step, 6);
  EXPECT_FALSE(Hyperparameters::parse({"max_delta_step=auto"}).max_delta_step.has_value());
}

TEST(ModelHyperparameters, IntegersWrittenAsWholeRealsAreAccepted) {
  EXPECT_EQ(Hyperparameters::parse({"max_depth=6.0"}).max_depth, 6);
  EXPECT_THAT(error_of({"max_depth=6.5"}), HasSubstr("must be an integer"));
}

TEST(ModelHyperparameters, RejectsOutOfRangeValuesWithTheRange) {
  EXPECT_THAT(error_of({"eta=0"}), HasSubstr("eta must be in (0, 1], got 0"));
  EXPECT_THAT(error_of({"eta=1.5"}), HasSubstr("eta must be in (0, 1]"));
  EXPECT_THAT(error_of({"subsample=0"}), HasSubstr("subsample must be in (0, 1]"));
  EXPECT_THAT(error_of({"max_depth=-1"}), HasSubstr("max_depth must be in [0,"));
  EXPECT_THAT(error_of({"lambda=-0.1"}), HasSubstr("lambda must be in [0, inf)"));
  EXPECT_THAT(error_of({"scale_pos_weight=0"}), HasSubstr("scale_pos_weight must be in (0, inf)"));
  EXPECT_THAT(error_of({"num_round=0"}), HasSubstr("num_round must be in [1,"));
  EXPECT_THAT(error_of({"num_class=1"}), HasSubstr("num_class must be in [2,"));
  EXPECT_THAT(error_of({"early_stopping_rounds=0"}), HasSubstr("early_stopping_rounds"));
}

TEST(ModelHyperparameters, RejectsMalformedValues) {
  EXPECT_THAT(error_of({"eta=fast"}), HasSubstr("eta must be a finite number, got 'fast'"));
  EXPECT_THAT(error_of({"eta=nan"}), HasSubstr("finite number"));
  EXPECT_THAT(error_of({"eta"}), HasSubstr("write NAME=VALUE"));
  EXPECT_THAT(error_of({"eta="}), HasSubstr("has no value"));
  EXPECT_THAT(error_of({"objective=reg:linear"}), HasSubstr("binary:logistic, multi:softprob"));
  EXPECT_THAT(error_of({"tree_method=gpu_hist"}), HasSubstr("hist, approx, exact"));
  EXPECT_THAT(error_of({"eval_metric=accuracy"}), HasSubstr("not one archml supports"));
  EXPECT_THAT(error_of({"eval_metric=auc,auc"}), HasSubstr("twice"));
}

TEST(ModelHyperparameters, UnknownNamesGetASuggestion) {
  EXPECT_THAT(error_of({"max_dept=3"}),
              HasSubstr("unknown hyperparameter 'max_dept'; did you mean 'max_depth'?"));
  EXPECT_THAT(error_of({"num_rounds=3"}), HasSubstr("did you mean 'num_round'?"));
  EXPECT_THAT(error_of({"learning_rate=0.1"}), HasSubstr("did you mean 'eta'?"));
  EXPECT_THAT(error_of({"reg_lambda=2"}), HasSubstr("did you mean 'lambda'?"));
  EXPECT_THAT(error_of({"flux_capacitor=1"}), HasSubstr("docs/hyperparameters.md"));
}

TEST(ModelHyperparameters, JsonRoundTrip) {
  const auto hp =
      Hyperparameters::parse({"eta=0.1", "scale_pos_weight=auto", "eval_metric=aucpr,logloss",
                              "seed=7", "early_stopping_rounds=5", "base_score=0.25"});
  const nlohmann::json json = hp.to_json();
  EXPECT_EQ(json["scale_pos_weight"], "auto");
  EXPECT_TRUE(json["objective"].is_null());
  const Hyperparameters back = Hyperparameters::from_json(json);
  EXPECT_EQ(back.to_json(), json);
  EXPECT_EQ(back.eta, 0.1);
  EXPECT_EQ(back.base_score, 0.25);

  // Strings and numbers both work, and the same validation applies.
  const auto parsed =
      Hyperparameters::from_json(nlohmann::json::parse(R"({"max_depth": "3", "eta": 0.2})"));
  EXPECT_EQ(parsed.max_depth, 3);
  EXPECT_THROW(Hyperparameters::from_json(nlohmann::json::parse(R"({"eta": 2})")), Error);
  EXPECT_THROW(Hyperparameters::from_json(nlohmann::json::parse(R"({"etta": 0.1})")), Error);
}

TEST(ModelHyperparameters, SpecsListEveryName) {
  std::vector<std::string> names;
  for (const auto& spec : hyperparameter_specs()) {
    names.emplace_back(spec.name);
    EXPECT_FALSE(spec.meaning.empty()) << spec.name;
  }
  for (const char* name :
       {"num_round", "eta", "max_depth", "subsample", "colsample_bytree", "gamma",
        "min_child_weight", "lambda", "alpha", "scale_pos_weight", "max_delta_step", "objective",
        "num_class", "eval_metric", "early_stopping_rounds", "tree_method", "seed", "nthread"}) {
    EXPECT_THAT(names, ::testing::Contains(name));
  }
}

TEST(ModelTarget, InfersTheKind) {
  EXPECT_EQ(summarize_target(std::vector<float>{0, 1, 1, 0}).kind, TargetKind::kBinary);
  EXPECT_EQ(summarize_target(std::vector<float>{0, 1, 2, 2}).kind, TargetKind::kMulticlass);
  // Gaps in the classes and fractions are not classes.
  EXPECT_EQ(summarize_target(std::vector<float>{0, 5, 7}).kind, TargetKind::kContinuous);
  EXPECT_EQ(summarize_target(std::vector<float>{0.5f, 1, 2}).kind, TargetKind::kContinuous);
  EXPECT_EQ(summarize_target(std::vector<float>{-1, 0, 1}).kind, TargetKind::kContinuous);
}

TEST(ModelResolve, BinaryStartsFromThePrior) {
  const auto resolved = resolve(Hyperparameters{}, binary_target(1000, 2));
  EXPECT_EQ(resolved.objective, "binary:logistic");
  EXPECT_DOUBLE_EQ(resolved.base_score, 0.002);
  EXPECT_EQ(resolved.eval_metric, std::vector<std::string>{"logloss"});
  auto params = params_of(resolved);
  EXPECT_EQ(params["base_score"], std::vector<std::string>{"0.002"});
  EXPECT_EQ(params["tree_method"], std::vector<std::string>{"hist"});
  EXPECT_EQ(params.count("num_class"), 0u);
}

TEST(ModelResolve, ScalePosWeightAuto) {
  const auto resolved =
      resolve(Hyperparameters::parse({"scale_pos_weight=auto"}), binary_target(1000, 10));
  EXPECT_DOUBLE_EQ(resolved.scale_pos_weight, 99.0);
  // Weighted positives balance the negatives, so the weighted prior is one half.
  EXPECT_DOUBLE_EQ(resolved.base_score, 0.5);
}

TEST(ModelResolve, MaxDeltaStepCapsStepsFromAnExtremePrior) {
  // 0.2 % positives: started from the prior, leaf steps are capped.
  const auto rare = resolve(Hyperparameters{}, binary_target(1000, 2));
  EXPECT_EQ(rare.max_delta_step, 1);
  EXPECT_EQ(params_of(rare)["max_delta_step"], std::vector<std::string>{"1"});
  // 2 % positives, a balanced weighting, or a given base_score: no cap.
  EXPECT_EQ(resolve(Hyperparameters{}, binary_target(1000, 20)).max_delta_step, 0);
  EXPECT_EQ(resolve(Hyperparameters::parse({"scale_pos_weight=auto"}), binary_target(1000, 2))
                .max_delta_step,
            0);
  EXPECT_EQ(
      resolve(Hyperparameters::parse({"base_score=0.5"}), binary_target(1000, 2)).max_delta_step,
      0);
  // An explicit value always wins.
  EXPECT_EQ(
      resolve(Hyperparameters::parse({"max_delta_step=0"}), binary_target(1000, 2)).max_delta_step,
      0);
  EXPECT_EQ(
      resolve(Hyperparameters::parse({"max_delta_step=3"}), binary_target(1000, 20)).max_delta_step,
      3);
}

TEST(ModelResolve, GivenBaseScoreWins) {
  const auto resolved = resolve(Hyperparameters::parse({"base_score=0.5"}), binary_target(100, 1));
  EXPECT_EQ(resolved.base_score, 0.5);
  EXPECT_THROW(resolve(Hyperparameters::parse({"base_score=1"}), binary_target(100, 1)), Error);
}

TEST(ModelResolve, MultiAndRegression) {
  const auto multi = resolve(Hyperparameters::parse({"eval_metric=merror,mlogloss"}),
                             summarize_target(std::vector<float>{0, 1, 2, 3, 1}));
  EXPECT_EQ(multi.objective, "multi:softprob");
  EXPECT_EQ(multi.num_class, 4);
  EXPECT_EQ(params_of(multi)["eval_metric"], (std::vector<std::string>{"merror", "mlogloss"}));

  const auto regression =
      resolve(Hyperparameters{}, summarize_target(std::vector<float>{1.5, 2.5}));
  EXPECT_EQ(regression.objective, "reg:squarederror");
  EXPECT_DOUBLE_EQ(regression.base_score, 2.0);
  EXPECT_EQ(regression.eval_metric, std::vector<std::string>{"rmse"});

  // An explicit objective overrides the guess: integer counts as a regression target.
  const auto counts = resolve(Hyperparameters::parse({"objective=reg:squarederror"}),
                              summarize_target(std::vector<float>{0, 1, 2}));
  EXPECT_EQ(counts.objective, "reg:squarederror");
}

TEST(ModelResolve, RejectsHyperparametersThatDoNotFitTheTarget) {
  const auto binary = binary_target(100, 10);
  const auto regression = summarize_target(std::vector<float>{0.5, 3.5});
  EXPECT_THROW(resolve(Hyperparameters::parse({"eval_metric=rmsle"}), binary), Error);
  EXPECT_THROW(resolve(Hyperparameters::parse({"eval_metric=auc"}), regression), Error);
  EXPECT_THROW(resolve(Hyperparameters::parse({"scale_pos_weight=auto"}), regression), Error);
  EXPECT_THROW(resolve(Hyperparameters::parse({"num_class=3"}), binary), Error);
  EXPECT_THROW(resolve(Hyperparameters::parse({"objective=binary:logistic"}), regression), Error);
  EXPECT_THROW(resolve(Hyperparameters::parse({"objective=multi:softprob"}), regression), Error);
  EXPECT_THROW(resolve(Hyperparameters::parse({"objective=multi:softprob", "num_class=2"}),
                       summarize_target(std::vector<float>{0, 1, 2})),
               Error);
  EXPECT_THROW(resolve(Hyperparameters{}, binary_target(100, 0)), Error);  // one class
  EXPECT_THROW(resolve(Hyperparameters{}, summarize_target(std::vector<float>{})), Error);
}

TEST(ModelResolve, MetricDirection) {
  EXPECT_TRUE(metric_is_maximized("auc"));
  EXPECT_TRUE(metric_is_maximized("aucpr"));
  EXPECT_TRUE(metric_is_maximized("ndcg@5"));
  EXPECT_FALSE(metric_is_maximized("mape"));
  EXPECT_FALSE(metric_is_maximized("logloss"));
  EXPECT_FALSE(metric_is_maximized("error@0.7"));
}

}  // namespace
}  // namespace archml::model
