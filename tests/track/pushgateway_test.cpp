#include "archml/track/pushgateway.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::track {
namespace {

using ::testing::HasSubstr;

TEST(PushgatewayUrl, AddsTheSchemeAndDropsTrailingSlashes) {
  EXPECT_EQ(pushgateway_base_url("127.0.0.1:9091"), "http://127.0.0.1:9091");
  EXPECT_EQ(pushgateway_base_url("https://gw.example:9091/"), "https://gw.example:9091");
  EXPECT_EQ(pushgateway_base_url("http://gw/prefix//"), "http://gw/prefix");
}

TEST(PushgatewayUrl, RejectsOtherSchemesAndMissingHosts) {
  for (const char* bad : {"ftp://gw:9091", "http://", "http://:9091", "s3://bucket"}) {
    try {
      pushgateway_base_url(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << bad;
      EXPECT_THAT(error.what(), HasSubstr(bad));
    }
  }
}

}  // namespace
}  // namespace archml::track
