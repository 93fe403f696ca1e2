#include "archml/track/workspace.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/track/catalog.h"
#include "temp_directory.h"

namespace archml::track {
namespace {

WorkspaceSettings at(const std::filesystem::path& home) {
  WorkspaceSettings settings;
  settings.home = home;
  return settings;
}

class WorkspaceTest : public ::testing::Test {
 protected:
  testing::TempDirectory directory_;
};

TEST_F(WorkspaceTest, OpeningCreatesTheDirectoryAndTheCatalog) {
  Workspace workspace = Workspace::open(at(directory_.path() / "nested" / "home"));
  EXPECT_TRUE(std::filesystem::is_directory(directory_.path() / "nested" / "home"));
  EXPECT_EQ(workspace.config().experiment, "default");
  workspace.catalog()->ensure_experiment("e");
  EXPECT_TRUE(std::filesystem::exists(workspace.catalog_file()));
}

// A command that only reads must never create a workspace (`runs show` outside one once
// left ./.archml behind).
TEST_F(WorkspaceTest, OpeningAnExistingOneCreatesNothing) {
  const std::filesystem::path home = directory_.path() / "absent";
  try {
    Workspace::open_existing(at(home));
    FAIL() << "opened a workspace that does not exist";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(error.what()).find("no workspace at " + home.string()), std::string::npos)
        << error.what();
  }
  EXPECT_FALSE(std::filesystem::exists(home));

  // A directory without a catalog yet: the catalog is not created either.
  std::filesystem::create_directories(home);
  Workspace empty = Workspace::open_existing(at(home));
  EXPECT_THROW(empty.catalog(), Error);
  EXPECT_FALSE(std::filesystem::exists(empty.catalog_file()));
}

TEST_F(WorkspaceTest, AReaderSeesWhatAJobWroteAndCannotWrite) {
  Workspace::open(at(directory_.path())).catalog()->create_run("fraud", "first");
  auto catalog = Workspace::open_existing(at(directory_.path())).catalog();
  EXPECT_TRUE(catalog->read_only());
  EXPECT_EQ(catalog->runs().size(), 1u);
  try {
    catalog->create_run("fraud", "second");
    FAIL() << "a read-only catalog took a write";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
  }
}

// Two workspaces side by side in one process: each settings value picks its own, and
// nothing one sets leaks into the other.
TEST_F(WorkspaceTest, TwoWorkspacesInOneProcessStaySeparate) {
  std::filesystem::create_directories(directory_.path() / "b");
  core::write_text_file(directory_.path() / "b" / "config.yaml",
                        "experiment: team-b\nartifacts: s3://team-b/ws\n");
  WorkspaceSettings a{directory_.path() / "a", "", "gw-a:9091"};
  WorkspaceSettings b{directory_.path() / "b", "", ""};
  Workspace first = Workspace::open(a);
  Workspace second = Workspace::open(b);
  first.catalog()->create_run(first.config().experiment, "run-a");
  EXPECT_EQ(second.catalog()->experiment_count(), 0);
  EXPECT_EQ(first.config().experiment, "default");
  EXPECT_EQ(second.config().experiment, "team-b");
  EXPECT_EQ(first.artifacts_uri(), (directory_.path() / "a" / "artifacts").string());
  EXPECT_EQ(second.artifacts_uri(), "s3://team-b/ws");
  EXPECT_EQ(first.pushgateway_url(), "gw-a:9091");
  EXPECT_EQ(second.pushgateway_url(), "");
}

TEST_F(WorkspaceTest, SettingsWinOverTheConfig) {
  core::write_text_file(directory_.path() / "config.yaml",
                        "artifacts: s3://team/ws\npushgateway: config-gw:9091\n");
  Workspace configured = Workspace::open(at(directory_.path()));
  EXPECT_EQ(configured.artifacts_uri(), "s3://team/ws");
  EXPECT_TRUE(configured.artifacts_configured());
  EXPECT_EQ(configured.pushgateway_url(), "config-gw:9091");
  Workspace overridden = Workspace::open({directory_.path(), "/srv/artifacts", "flag-gw:9091"});
  EXPECT_EQ(overridden.artifacts_uri(), "/srv/artifacts");
  EXPECT_EQ(overridden.pushgateway_url(), "flag-gw:9091");
}

TEST_F(WorkspaceTest, ConfigSetsKnownKeysAndNamesThemForAnUnknownOne) {
  core::write_text_file(directory_.path() / "config.yaml", "experiment: fraud\n");
  EXPECT_EQ(read_workspace_config(directory_.path()).experiment, "fraud");
  core::write_text_file(directory_.path() / "config.yaml", "experimnet: fraud\n");
  try {
    read_workspace_config(directory_.path());
    FAIL() << "a misspelt key passed";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("experiment:"), std::string::npos) << error.what();
  }
  core::write_text_file(directory_.path() / "config.yaml", "experiment: [a, b]\n");
  EXPECT_THROW(read_workspace_config(directory_.path()), Error);
  core::write_text_file(directory_.path() / "config.yaml", "experiment: [unclosed\n");
  EXPECT_THROW(read_workspace_config(directory_.path()), Error);
}

}  // namespace
}  // namespace archml::track
