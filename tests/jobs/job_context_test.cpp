#include "archml/jobs/job_context.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"
#include "archml/core/parallel.h"

namespace archml::jobs {
namespace {

TEST(MakeJobContext, FlagsWinOverTheEnvironmentWhichWinsOverTheDefaults) {
  const JobContext defaults = make_job_context({}, {});
  EXPECT_EQ(defaults.workspace.home, std::filesystem::path(".archml"));
  EXPECT_EQ(defaults.workspace.artifacts, "");
  EXPECT_EQ(defaults.workspace.pushgateway, "");
  EXPECT_EQ(defaults.threads, core::hardware_threads());
  EXPECT_TRUE(defaults.progress);
  EXPECT_TRUE(defaults.store.progress);

  const Environment environment = {{"ARCHML_HOME", "/env/home"},
                                   {"ARCHML_ARTIFACTS", "s3://env/ws"},
                                   {"ARCHML_PUSHGATEWAY_URL", "env-gw:9091"},
                                   {"ARCHML_THREADS", "3"},
                                   {"AWS_ACCESS_KEY_ID", "AK"},
                                   {"AWS_ENDPOINT_URL", "http://127.0.0.1:9000"}};
  const JobContext from_environment = make_job_context({}, environment);
  EXPECT_EQ(from_environment.workspace.home, std::filesystem::path("/env/home"));
  EXPECT_EQ(from_environment.workspace.artifacts, "s3://env/ws");
  EXPECT_EQ(from_environment.workspace.pushgateway, "env-gw:9091");
  EXPECT_EQ(from_environment.threads, 3u);
  EXPECT_EQ(from_environment.store.environment.access_key, "AK");
  EXPECT_EQ(from_environment.store.environment.endpoint, "http://127.0.0.1:9000");

  ContextFlags flags;
  flags.home = "/flag/home";
  flags.artifacts = "/srv/artifacts";
  flags.pushgateway = "flag-gw:9091";
  flags.threads = 5;
  flags.quiet = true;
  const JobContext from_flags = make_job_context(flags, environment);
  EXPECT_EQ(from_flags.workspace.home, std::filesystem::path("/flag/home"));
  EXPECT_EQ(from_flags.workspace.artifacts, "/srv/artifacts");
  EXPECT_EQ(from_flags.workspace.pushgateway, "flag-gw:9091");
  EXPECT_EQ(from_flags.threads, 5u);
  EXPECT_FALSE(from_flags.progress);
  EXPECT_FALSE(from_flags.store.progress);
}

TEST(MakeJobContext, EmptyVariablesCountAsUnset) {
  const JobContext context =
      make_job_context({}, {{"ARCHML_HOME", ""}, {"ARCHML_THREADS", ""}, {"ARCHML_ARTIFACTS", ""}});
  EXPECT_EQ(context.workspace.home, std::filesystem::path(".archml"));
  EXPECT_EQ(context.threads, core::hardware_threads());
  EXPECT_EQ(context.workspace.artifacts, "");
}

TEST(MakeJobContext, AThreadCountThatIsNotOneIsRefusedNamingTheVariable) {
  for (const char* bad : {"0", "-2", "two", "4x", "1025"}) {
    try {
      make_job_context({}, {{"ARCHML_THREADS", bad}});
      FAIL() << "ARCHML_THREADS=" << bad << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
      EXPECT_NE(std::string(error.what()).find("ARCHML_THREADS"), std::string::npos);
    }
  }
}

// Contexts are values: two built side by side in one process keep their own settings.
TEST(MakeJobContext, TwoContextsInOneProcessDoNotAffectEachOther) {
  ContextFlags one_flags;
  one_flags.home = "/a";
  one_flags.threads = 1;
  ContextFlags two_flags;
  two_flags.home = "/b";
  two_flags.threads = 2;
  two_flags.quiet = true;
  const JobContext one = make_job_context(one_flags, {});
  const JobContext two = make_job_context(two_flags, {{"ARCHML_ARTIFACTS", "s3://b/ws"}});
  EXPECT_EQ(one.workspace.home, std::filesystem::path("/a"));
  EXPECT_EQ(one.threads, 1u);
  EXPECT_TRUE(one.progress);
  EXPECT_EQ(one.workspace.artifacts, "");
  EXPECT_EQ(two.workspace.home, std::filesystem::path("/b"));
  EXPECT_EQ(two.threads, 2u);
  EXPECT_FALSE(two.progress);
  EXPECT_EQ(two.workspace.artifacts, "s3://b/ws");
}

}  // namespace
}  // namespace archml::jobs
