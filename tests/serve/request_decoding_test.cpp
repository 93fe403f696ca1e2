// Request bodies read into rows for a small bundle (columns x: float, kind: text; target
// y), and the served scores compared with model::Predictor's on the same rows.
#include "archml/serve/request_decoding.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "../support/toy_bundle.h"
#include "../support/toy_table.h"
#include "archml/core/error.h"

namespace archml::serve {
namespace {

namespace fs = std::filesystem;

data::Table make_table(std::size_t rows) {
  return testing::toy_binary_table(rows, 3);
}

class ServeRequestDecodingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = fs::temp_directory_path() / ("archml_serve_" + std::to_string(::getpid()));
    testing::save_toy_bundle(make_table(600), 10, directory_);
    model_ = ServingModel::load(directory_);
  }
  static void TearDownTestSuite() {
    model_.reset();
    fs::remove_all(directory_);
  }

  static DecodedRows decode(BodyFormat format, std::string_view body, bool prepared = false) {
    return decode_rows(format, body, *model_, prepared);
  }
  static std::string error_of(BodyFormat format, std::string_view body, bool prepared = false) {
    try {
      decode(format, body, prepared);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
      return error.what();
    }
    return "(no error)";
  }

  static inline fs::path directory_;
  static inline std::shared_ptr<const ServingModel> model_;
};

TEST_F(ServeRequestDecodingTest, EveryFormatGivesThePredictorsScores) {
  ASSERT_TRUE(model_->native());
  EXPECT_EQ(model_->training_columns(), (std::vector<std::string>{"x", "kind"}));
  const std::string csv = "0.5,TRANSFER\r\n-1.25,PAYMENT\n\n\"2\",\"PAY\"\"MENT\"\n";
  const auto rows = decode(BodyFormat::kCsv, csv);
  ASSERT_EQ(rows.count, 3u);
  EXPECT_EQ(rows.fields[2][1], "PAY\"MENT");
  const auto served = model_->score_text(rows.columns, rows.fields);
  const auto expected = model_->predictor().predict_rows(rows.columns, rows.fields);
  EXPECT_EQ(served.scores, expected.scores);
  EXPECT_EQ(served.labels, expected.labels);

  const char* json_bodies[] = {
      R"({"instances": [{"kind": "TRANSFER", "x": 0.5}, [-1.25, "PAYMENT"],
                        {"features": [2, "PAY\"MENT"]}]})",
      R"([{"kind": "TRANSFER", "x": 0.5}, [-1.25, "PAYMENT"], [2, "PAY\"MENT"]])"};
  for (const char* body : json_bodies) {
    const auto json = decode(BodyFormat::kJson, body);
    ASSERT_EQ(json.count, 3u) << body;
    EXPECT_EQ(model_->score_text(json.columns, json.fields).scores, expected.scores) << body;
  }
  const auto lines = decode(BodyFormat::kJsonLines,
                            "{\"x\": 0.5, \"kind\": \"TRANSFER\"}\n[-1.25, \"PAYMENT\"]\n"
                            "[2, \"PAY\\\"MENT\"]\n");
  EXPECT_EQ(model_->score_text(lines.columns, lines.fields).scores, expected.scores);
}

TEST_F(ServeRequestDecodingTest, PreparedRowsInCsvJsonAndLibsvmAgree) {
  const std::size_t width = model_->feature_count();
  ASSERT_GE(width, 2u);
  std::string csv, libsvm = "1 ";
  std::string json = "[[";
  for (std::size_t i = 0; i < width; ++i) {
    const std::string value = std::to_string(0.25 * static_cast<double>(i));
    csv += (i ? "," : "") + (i == 1 ? std::string() : value);
    json += (i ? "," : "") + (i == 1 ? std::string("null") : value);
    if (i != 1) libsvm += std::to_string(i) + ":" + value + " ";
  }
  json += "]]";
  auto a = decode(BodyFormat::kCsv, csv, true);
  auto b = decode(BodyFormat::kJson, json, true);
  auto c = decode(BodyFormat::kLibsvm, libsvm);
  ASSERT_EQ(a.features.size(), width);
  EXPECT_TRUE(std::isnan(a.features[1]));
  EXPECT_TRUE(std::isnan(c.features[1]));
  a.features[1] = b.features[1] = c.features[1] = 0;  // NaN != NaN
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.features, c.features);
}

TEST_F(ServeRequestDecodingTest, ErrorsNameRowAndColumn) {
  EXPECT_NE(error_of(BodyFormat::kCsv, "1,PAYMENT\n1,PAYMENT,3\n").find("row 2 has 3 fields"),
            std::string::npos);
  // Raw values are read by the recipe when scored, which names row and column too.
  const auto raw = decode(BodyFormat::kCsv, "1,PAYMENT\nlots,PAYMENT\n");
  try {
    model_->score_text(raw.columns, raw.fields);
    ADD_FAILURE() << "'lots' was scored";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("row 2, column 'x'"), std::string::npos)
        << error.what();
  }
  EXPECT_NE(error_of(BodyFormat::kCsv, "1,\"PAYMENT\n").find("unclosed quote"), std::string::npos);
  EXPECT_NE(error_of(BodyFormat::kJson, R"({"instances": [{"x": 1}]})").find("row 1, column kind"),
            std::string::npos);
  EXPECT_NE(error_of(BodyFormat::kJson, R"({"rows": []})").find("instances"), std::string::npos);
  EXPECT_NE(error_of(BodyFormat::kJson, "{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(BodyFormat::kJsonLines, "[1, \"PAYMENT\"]\n{oops\n").find("line 2"),
            std::string::npos);
  EXPECT_NE(error_of(BodyFormat::kLibsvm, "0 0:1 999:2").find("999"), std::string::npos);
  EXPECT_NE(error_of(BodyFormat::kLibsvm, "0 0:abc").find("row 1, column"), std::string::npos);
  EXPECT_NE(error_of(BodyFormat::kCsv, "1,x,y,z", true).find("features"), std::string::npos);
}

// A number past the range of a double is bad input (400), not a failure of the JSON
// library (500). (Found by fuzz/request_decoding_fuzz.cpp.)
TEST_F(ServeRequestDecodingTest, AnOverflowingJsonNumberIsInvalidInput) {
  EXPECT_NE(error_of(BodyFormat::kJson, R"([{"x": 1e400, "kind": "A"}])").find("is out of range"),
            std::string::npos);
  EXPECT_NE(error_of(BodyFormat::kJsonLines, "[1, \"A\"]\n[1E1111111111, \"A\"]\n").find("line 2"),
            std::string::npos);
  EXPECT_NE(error_of(BodyFormat::kJson, "[[-1e400, 1, 0]]", true).find("is out of range"),
            std::string::npos);
}

TEST_F(ServeRequestDecodingTest, AnOverflowingNumberIsAnInputErrorInArchmlsWords) {
  // Before: the JSON library's out_of_range escaped as a 500 carrying its own text.
  struct Case {
    BodyFormat format;
    std::string body;
    bool prepared;
    std::string message;
  };
  const Case cases[] = {{BodyFormat::kJson, R"({"instances": [[1, 1e400]]})", false,
                         "the body: the number 1e400 is out of range"},
                        {BodyFormat::kJson, R"({"instances": [[1, 1e400, 0]]})", true,
                         "the body: the number 1e400 is out of range"},
                        {BodyFormat::kJson, R"([{"kind": "PAYMENT", "x": -1E1111111111}])", false,
                         "the number -1E1111111111 is out of range"},
                        {BodyFormat::kJsonLines, "[1, \"PAYMENT\"]\n[2, 1e400]\n", false,
                         "line 2: the number 1e400 is out of range"},
                        {BodyFormat::kJsonLines, "[1, 0, 1]\n[2, 1E1111111111, 0]\n", true,
                         "line 2: the number 1E1111111111 is out of range"}};
  for (const auto& [format, body, prepared, message] : cases) {
    const std::string error = error_of(format, body, prepared);
    EXPECT_NE(error.find(message), std::string::npos) << error;
    EXPECT_EQ(error.find("json.exception"), std::string::npos) << error;
  }
  const std::string syntax = error_of(BodyFormat::kJson, R"({"instances": [1,]})");
  EXPECT_NE(syntax.find("not valid JSON: syntax error at byte"), std::string::npos) << syntax;
  EXPECT_EQ(syntax.find("json.exception"), std::string::npos) << syntax;
  // A string that looks like a huge number is no JSON number.
  EXPECT_EQ(error_of(BodyFormat::kJson, R"({"instances": [{"\"1e400": 1e999}]})").find("1e400"),
            std::string::npos);
}

TEST_F(ServeRequestDecodingTest, ContentTypes) {
  EXPECT_EQ(body_format_of(""), BodyFormat::kCsv);
  EXPECT_EQ(body_format_of("text/csv; charset=utf-8"), BodyFormat::kCsv);
  EXPECT_EQ(body_format_of("Application/JSON"), BodyFormat::kJson);
  EXPECT_EQ(body_format_of("application/jsonlines"), BodyFormat::kJsonLines);
  EXPECT_EQ(body_format_of("text/x-libsvm"), BodyFormat::kLibsvm);
  EXPECT_FALSE(body_format_of("application/x-recordio-protobuf").has_value());
  EXPECT_EQ(decode(BodyFormat::kCsv, "\n\n").count, 0u);
}

}  // namespace
}  // namespace archml::serve
