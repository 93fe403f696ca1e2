#include "archml/serve/response_encoding.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::serve {
namespace {

model::Predictions binary_predictions() {
  model::Predictions p;
  p.rows = 2;
  p.width = 1;
  p.scores = {0.25, 0.875};
  p.labels = {0, 1};
  return p;
}

TEST(ServeResponseEncoding, DefaultScoreInEachFormat) {
  const auto p = binary_predictions();
  const std::vector<std::string> classes = {"0", "1"};
  EXPECT_EQ(encode_predictions(p, classes, {}, ResponseFormat::kCsv), "0.25\n0.875\n");
  EXPECT_EQ(encode_predictions(p, classes, {}, ResponseFormat::kJson),
            R"({"predictions": [{"score": 0.25}, {"score": 0.875}]})");
  EXPECT_EQ(encode_predictions(p, classes, {}, ResponseFormat::kJsonLines),
            "{\"score\": 0.25}\n{\"score\": 0.875}\n");
}

TEST(ServeResponseEncoding, SelectableOutputsInOrder) {
  const auto p = binary_predictions();
  const std::vector<std::string> classes = {"legit", "fraud"};
  const auto keys = parse_output_keys("predicted_label, probability,probabilities,raw_score",
                                      model::TargetKind::kBinary);
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(encode_predictions(p, classes, keys, ResponseFormat::kCsv),
            "legit,0.25,0.75,0.25,0.25\nfraud,0.875,0.125,0.875,0.875\n");
  EXPECT_EQ(encode_predictions(p, classes, keys, ResponseFormat::kJsonLines),
            "{\"predicted_label\": \"legit\", \"probability\": 0.25, \"probabilities\": "
            "[0.75,0.25], \"raw_score\": 0.25}\n"
            "{\"predicted_label\": \"fraud\", \"probability\": 0.875, \"probabilities\": "
            "[0.125,0.875], \"raw_score\": 0.875}\n");
  // Integer class names stay numbers in JSON, as SageMaker's labels are.
  EXPECT_EQ(encode_predictions(p, {"0", "1"},
                               parse_output_keys("predicted_label", model::TargetKind::kBinary),
                               ResponseFormat::kJson),
            R"({"predictions": [{"predicted_label": 0}, {"predicted_label": 1}]})");
}

TEST(ServeResponseEncoding, MulticlassScoreIsTheProbabilityVector) {
  model::Predictions p;
  p.rows = 1;
  p.width = 3;
  p.scores = {0.125, 0.625, 0.25};
  p.labels = {1};
  const std::vector<std::string> classes = {"a", "b", "c"};
  EXPECT_EQ(encode_predictions(p, classes, {}, ResponseFormat::kCsv), "0.125,0.625,0.25\n");
  EXPECT_EQ(encode_predictions(p, classes, {}, ResponseFormat::kJson),
            R"({"predictions": [{"score": [0.125,0.625,0.25]}]})");
  const auto keys =
      parse_output_keys("predicted_label,probability", model::TargetKind::kMulticlass);
  EXPECT_EQ(encode_predictions(p, classes, keys, ResponseFormat::kCsv), "b,0.625\n");
}

TEST(ServeResponseEncoding, OutputKeysAreChecked) {
  EXPECT_TRUE(parse_output_keys("", model::TargetKind::kBinary).empty());
  EXPECT_THROW(parse_output_keys("labels_please", model::TargetKind::kBinary), Error);
  EXPECT_THROW(parse_output_keys("predicted_label", model::TargetKind::kContinuous), Error);
  EXPECT_EQ(parse_output_keys("raw_score", model::TargetKind::kContinuous).size(), 1u);
}

TEST(ServeResponseEncoding, AcceptNegotiation) {
  const auto csv = ResponseFormat::kCsv;
  EXPECT_EQ(negotiate_accept("", ResponseFormat::kJson), ResponseFormat::kJson);
  EXPECT_EQ(negotiate_accept("*/*", csv), csv);
  EXPECT_EQ(negotiate_accept("application/json", csv), ResponseFormat::kJson);
  EXPECT_EQ(negotiate_accept("text/html, application/jsonlines;q=0.9", csv),
            ResponseFormat::kJsonLines);
  EXPECT_EQ(negotiate_accept("text/csv; charset=utf-8", ResponseFormat::kJson), csv);
  EXPECT_FALSE(negotiate_accept("application/x-protobuf", csv).has_value());
}

}  // namespace
}  // namespace archml::serve
