#include "archml/core/yaml_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::core {
namespace {

using ::testing::HasSubstr;

TEST(YamlJson, PlainScalarsReadAsNumbersBooleansAndNullQuotedOnesStayText) {
  const nlohmann::json document = parse_yaml_or_json(
      "count: 12\nratio: +0.5\non: true\nnothing: ~\nquoted: \"12\"\nword: abc\nlist: [1, x]\n",
      "test.yaml");
  EXPECT_EQ(document, nlohmann::json::parse(R"({"count": 12, "ratio": 0.5, "on": true,
      "nothing": null, "quoted": "12", "word": "abc", "list": [1, "x"]})"));
}

TEST(YamlJson, JsonTextIsReadWithTheJsonParser) {
  EXPECT_EQ(parse_yaml_or_json(" {\"a\": [1, 2.5]}", "x.json"),
            nlohmann::json::parse(R"({"a": [1, 2.5]})"));
  try {
    parse_yaml_or_json("{\"a\": }", "x.json");
    FAIL() << "malformed JSON was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_THAT(error.what(), HasSubstr("x.json: not valid JSON"));
  }
}

TEST(YamlJson, SyntaxErrorsAndDuplicateKeysNameTheSource) {
  try {
    parse_yaml_or_json("a: 1\nb: [1, 2\n", "bad.yaml");
    FAIL() << "malformed YAML was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_THAT(error.what(), HasSubstr("bad.yaml: not valid YAML at line"));
  }
  try {
    parse_yaml_or_json("a: 1\na: 2\n", "twice.yaml");
    FAIL() << "a duplicate key was accepted";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("twice.yaml: duplicate key 'a'"));
  }
}

}  // namespace
}  // namespace archml::core
