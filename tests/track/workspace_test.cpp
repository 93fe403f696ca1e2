#include "archml/track/workspace.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/track/catalog.h"
#include "temp_directory.h"

namespace archml::track {
namespace {

class WorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* home = std::getenv("ARCHML_HOME");
    if (home != nullptr) saved_ = home;
  }
  void TearDown() override {
    set_home_override({});
    if (saved_)
      setenv("ARCHML_HOME", saved_->c_str(), 1);
    else
      unsetenv("ARCHML_HOME");
  }
  std::optional<std::string> saved_;
  testing::TempDirectory directory_;
};

TEST_F(WorkspaceTest, FlagBeatsEnvironmentBeatsTheCurrentDirectory) {
  unsetenv("ARCHML_HOME");
  EXPECT_EQ(workspace_directory(), std::filesystem::path(".archml"));
  setenv("ARCHML_HOME", (directory_.path() / "env").c_str(), 1);
  EXPECT_EQ(workspace_directory(), directory_.path() / "env");
  set_home_override(directory_.path() / "flag");
  EXPECT_EQ(workspace_directory(), directory_.path() / "flag");
}

TEST_F(WorkspaceTest, OpeningCreatesTheDirectoryAndTheCatalog) {
  set_home_override(directory_.path() / "nested" / "home");
  Workspace workspace = Workspace::open();
  EXPECT_TRUE(std::filesystem::is_directory(directory_.path() / "nested" / "home"));
  EXPECT_EQ(workspace.config().experiment, "default");
  workspace.catalog()->ensure_experiment("e");
  EXPECT_TRUE(std::filesystem::exists(workspace.catalog_file()));
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
