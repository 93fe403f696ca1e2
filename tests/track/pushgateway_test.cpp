#include "archml/track/pushgateway.h"

#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/track/workspace.h"
#include "temp_directory.h"

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

class ConfiguredPushgateway : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("ARCHML_PUSHGATEWAY_URL"); }
  void TearDown() override {
    unsetenv("ARCHML_PUSHGATEWAY_URL");
    set_pushgateway_override("");
  }
};

TEST_F(ConfiguredPushgateway, FlagBeatsEnvironmentBeatsConfig) {
  WorkspaceConfig config;
  EXPECT_EQ(configured_pushgateway(config), "");
  config.pushgateway = "config-host:9091";
  EXPECT_EQ(configured_pushgateway(config), "http://config-host:9091");
  setenv("ARCHML_PUSHGATEWAY_URL", "env-host:9091", 1);
  EXPECT_EQ(configured_pushgateway(config), "http://env-host:9091");
  set_pushgateway_override("http://flag-host:9091/");
  EXPECT_EQ(configured_pushgateway(config), "http://flag-host:9091");
}

TEST_F(ConfiguredPushgateway, TheWorkspaceConfigKeyIsRead) {
  testing::TempDirectory directory;
  core::write_text_file(directory.path() / "config.yaml", "pushgateway: gw.example:9091\n");
  EXPECT_EQ(configured_pushgateway(read_workspace_config(directory.path())),
            "http://gw.example:9091");
}

}  // namespace
}  // namespace archml::track
