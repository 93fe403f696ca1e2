#include "archml/track/model_uri.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::track {
namespace {

ErrorKind uri_error_kind(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.kind();
  }
  return ErrorKind::kInternal;  // nothing thrown
}

std::string uri_error_message(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(ModelUri, AVersionNumber) {
  const ModelUri uri = parse_model_uri("models:/fraud/3");
  EXPECT_EQ(uri.group, "fraud");
  ASSERT_TRUE(uri.version.has_value());
  EXPECT_EQ(*uri.version, 3);
  EXPECT_TRUE(uri.alias.empty());
  EXPECT_FALSE(uri.moves());
  EXPECT_EQ(uri.text(), "models:/fraud/3");
}

TEST(ModelUri, AnAliasAndLatestApproved) {
  const ModelUri alias = parse_model_uri("models:/fraud-v2.x@production");
  EXPECT_EQ(alias.group, "fraud-v2.x");
  EXPECT_FALSE(alias.version.has_value());
  EXPECT_EQ(alias.alias, "production");
  EXPECT_TRUE(alias.moves());
  EXPECT_FALSE(alias.latest_approved());
  EXPECT_EQ(alias.text(), "models:/fraud-v2.x@production");

  const ModelUri latest = parse_model_uri("models:/fraud@latest-approved");
  EXPECT_TRUE(latest.latest_approved());
  EXPECT_TRUE(latest.moves());
  EXPECT_EQ(latest.text(), "models:/fraud@latest-approved");
}

TEST(ModelUri, MalformedUrisAreInvalidInputNamingTheAcceptedForms) {
  for (const char* text :
       {"models:/", "models:/fraud", "models:/fraud/", "models:/fraud@", "models:/fraud/0",
        "models:/fraud/-1", "models:/fraud/3a", "models:/fraud/production", "models:/fraud/3@x",
        "models:/fr aud/3", "models:/-fraud/3", "models:/fraud@9lives", "models:/fraud@latest",
        "models:/fraud/99999999999999999999", "runs/fraud", "models:fraud/3"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(uri_error_kind([&] { parse_model_uri(text); }), ErrorKind::kInvalidInput);
    EXPECT_NE(uri_error_message([&] { parse_model_uri(text); }).find("models:/GROUP/VERSION"),
              std::string::npos)
        << uri_error_message([&] { parse_model_uri(text); });
  }
  EXPECT_TRUE(is_model_uri("models:/fraud/3"));
  EXPECT_FALSE(is_model_uri("runs/models/fraud"));
  EXPECT_FALSE(is_model_uri("s3://bucket/models:/x"));
}

TEST(ModelUri, VersionReferencesTakeNumbersAliasesAndLatestApproved) {
  EXPECT_EQ(parse_version_reference("fraud", "7").version, 7);
  EXPECT_EQ(parse_version_reference("fraud", "staging").alias, "staging");
  EXPECT_EQ(parse_version_reference("fraud", "@staging").alias, "staging");
  EXPECT_TRUE(parse_version_reference("fraud", "latest-approved").latest_approved());
  for (const char* bad : {"", "0", "3x", "latest", "-1", "a b"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(uri_error_kind([&] { parse_version_reference("fraud", bad); }),
              ErrorKind::kInvalidInput);
  }
}

TEST(ModelUri, NamesFollowTheirRules) {
  const std::string longest(63, 'a'), too_long(64, 'a');
  for (const std::string& good :
       {std::string("fraud"), std::string("Fraud_2"), std::string("f.r-a"), longest})
    EXPECT_NO_THROW(check_group_name(good)) << good;
  for (const std::string& bad : {std::string(), std::string("-fraud"), std::string("fr/aud"),
                                 std::string("fr@ud"), std::string("fr aud"), too_long})
    EXPECT_EQ(uri_error_kind([&] { check_group_name(bad); }), ErrorKind::kInvalidInput) << bad;
  for (const char* good : {"production", "staging", "champion-2", "a_b"})
    EXPECT_NO_THROW(check_alias_name(good)) << good;
  for (const char* bad : {"", "2nd", "_x", "pro duction", "latest", "latest-approved"})
    EXPECT_EQ(uri_error_kind([&] { check_alias_name(bad); }), ErrorKind::kInvalidInput) << bad;
  EXPECT_NE(uri_error_message([] { check_alias_name("latest-approved"); }).find("reserved"),
            std::string::npos);
}

}  // namespace
}  // namespace archml::track
