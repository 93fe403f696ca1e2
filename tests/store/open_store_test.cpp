#include "archml/store/open_store.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

#include "archml/core/error.h"
#include "archml/store/s3_store.h"

namespace archml::store {
namespace {

namespace fs = std::filesystem;

// Store options as the command line builds them from these environment variables.
StoreOptions options_from(const std::map<std::string, std::string>& variables) {
  StoreOptions options;
  options.environment = s3_environment(variables);
  return options;
}

const S3Config& config_of(const std::unique_ptr<ArtifactStore>& store) {
  return dynamic_cast<const S3Store&>(*store).config();
}

TEST(OpenStore, S3UriTakesEndpointRegionAndCredentialsFromTheEnvironment) {
  const StoreOptions env = options_from({{"AWS_ACCESS_KEY_ID", "AK"},
                                         {"AWS_SECRET_ACCESS_KEY", "SK"},
                                         {"AWS_SESSION_TOKEN", "TOKEN"},
                                         {"AWS_DEFAULT_REGION", "eu-west-3"},
                                         {"AWS_ENDPOINT_URL", "http://127.0.0.1:9000"}});
  auto store = open_artifact_store("s3://ml-artifacts/team/fraud/", env);
  EXPECT_EQ(store->uri(), "s3://ml-artifacts/team/fraud");
  EXPECT_EQ(store->uri_of("runs/1/model.json"), "s3://ml-artifacts/team/fraud/runs/1/model.json");
  const S3Config& config = config_of(store);
  EXPECT_EQ(config.address.bucket, "ml-artifacts");
  EXPECT_EQ(config.prefix, "team/fraud");
  EXPECT_EQ(config.address.endpoint, "http://127.0.0.1:9000");
  EXPECT_TRUE(config.address.path_style);
  EXPECT_EQ(config.region, "eu-west-3");
  EXPECT_EQ(config.access_key, "AK");
  EXPECT_EQ(config.secret_key, "SK");
  EXPECT_EQ(config.session_token, "TOKEN");
}

TEST(OpenStore, PrecedenceOfEndpointsAndRegions) {
  const StoreOptions env = options_from({{"AWS_ACCESS_KEY_ID", "AK"},
                                         {"AWS_SECRET_ACCESS_KEY", "SK"},
                                         {"AWS_REGION", "ap-south-1"},
                                         {"AWS_DEFAULT_REGION", "eu-west-3"},
                                         {"AWS_ENDPOINT_URL", "http://generic:1"},
                                         {"AWS_ENDPOINT_URL_S3", "http://s3-specific:2"}});
  auto store = open_artifact_store("s3://bkt", env);
  EXPECT_EQ(config_of(store).address.endpoint, "http://s3-specific:2");
  EXPECT_EQ(config_of(store).region, "ap-south-1");
  StoreOptions options = env;
  options.s3_endpoint = "http://flag:3";
  auto flagged = open_artifact_store("s3://bkt", options);
  EXPECT_EQ(config_of(flagged).address.endpoint, "http://flag:3");
}

TEST(OpenStore, EmptyVariablesCountAsUnsetAndOthersAreIgnored) {
  const S3Environment env = s3_environment({{"AWS_ENDPOINT_URL_S3", ""},
                                            {"AWS_ENDPOINT_URL", "http://generic:1"},
                                            {"AWS_REGION", ""},
                                            {"HOME", "/root"}});
  EXPECT_EQ(env.endpoint, "http://generic:1");
  EXPECT_EQ(env.region, "");
  EXPECT_EQ(env.access_key, "");
}

TEST(OpenStore, AwsItselfByDefaultWithVirtualHostedAddressing) {
  const StoreOptions env =
      options_from({{"AWS_ACCESS_KEY_ID", "AK"}, {"AWS_SECRET_ACCESS_KEY", "SK"}});
  auto store = open_artifact_store("s3://bkt", env);
  const S3Config& config = config_of(store);
  EXPECT_EQ(config.region, "us-east-1");
  EXPECT_EQ(config.address.endpoint, "https://s3.us-east-1.amazonaws.com");
  EXPECT_FALSE(config.address.path_style);
  EXPECT_EQ(config.prefix, "");
}

TEST(OpenStore, ClearErrorsForMissingCredentialsAndBadUris) {
  try {
    open_artifact_store("s3://bkt/x");
    FAIL() << "opened an S3 store without credentials";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("AWS_ACCESS_KEY_ID"), std::string::npos);
  }
  EXPECT_THROW(parse_s3_uri("s3://"), Error);
  EXPECT_THROW(parse_s3_uri("s3://UPPER/x"), Error);
  EXPECT_THROW(parse_s3_uri("s3://ab"), Error);
  EXPECT_EQ(parse_s3_uri("s3://bkt/a/b c").key, "a/b c");
  EXPECT_EQ(parse_s3_uri("s3://bkt").key, "");
  StoreOptions options =
      options_from({{"AWS_ACCESS_KEY_ID", "AK"}, {"AWS_SECRET_ACCESS_KEY", "SK"}});
  EXPECT_THROW(open_artifact_store("s3://bkt/../up", options), Error);
  options.s3_endpoint = "127.0.0.1:9000";
  EXPECT_THROW(open_artifact_store("s3://bkt", options), Error);
}

TEST(OpenStore, TimeoutsAndTheListingLimitFromOptionsEnvironmentOrDefaults) {
  const auto defaults = open_artifact_store(
      "s3://bkt", options_from({{"AWS_ACCESS_KEY_ID", "AK"}, {"AWS_SECRET_ACCESS_KEY", "SK"}}));
  const S3Config& plain = config_of(defaults);
  EXPECT_EQ(plain.connect_timeout_seconds, 5);
  EXPECT_EQ(plain.read_timeout_seconds, 10);
  EXPECT_EQ(plain.list_limits.max_keys, 1'000'000u);

  StoreOptions options = options_from({{"AWS_ACCESS_KEY_ID", "AK"},
                                       {"AWS_SECRET_ACCESS_KEY", "SK"},
                                       {"ARCHML_S3_CONNECT_TIMEOUT", "7"},
                                       {"ARCHML_S3_READ_TIMEOUT", "90"},
                                       {"ARCHML_S3_LIST_MAX_KEYS", "20000000"}});
  auto from_environment = open_artifact_store("s3://bkt", options);
  EXPECT_EQ(config_of(from_environment).connect_timeout_seconds, 7);
  EXPECT_EQ(config_of(from_environment).read_timeout_seconds, 90);
  EXPECT_EQ(config_of(from_environment).list_limits.max_keys, 20'000'000u);
  options.read_timeout_seconds = 3;
  EXPECT_EQ(config_of(open_artifact_store("s3://bkt", options)).read_timeout_seconds, 3);

  for (const char* bad : {"0", "-1", "+5", "3601", "ten", "5s", "99999999999999999999999"}) {
    StoreOptions wrong = options_from({{"AWS_ACCESS_KEY_ID", "AK"},
                                       {"AWS_SECRET_ACCESS_KEY", "SK"},
                                       {"ARCHML_S3_READ_TIMEOUT", bad}});
    try {
      open_artifact_store("s3://bkt", wrong);
      ADD_FAILURE() << "accepted ARCHML_S3_READ_TIMEOUT=" << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
      EXPECT_NE(std::string(error.what()).find("ARCHML_S3_READ_TIMEOUT"), std::string::npos);
    }
  }
}

TEST(OpenStore, MalformedEndpointsAreInvalidInputNamingWhereTheyCameFrom) {
  StoreOptions options = options_from({{"AWS_ACCESS_KEY_ID", "AK"},
                                       {"AWS_SECRET_ACCESS_KEY", "SK"},
                                       {"AWS_ENDPOINT_URL", "http://127.0.0.1:99999"}});
  try {
    open_artifact_store("s3://bkt", options);
    FAIL() << "opened a store at a port that cannot exist";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("(AWS_ENDPOINT_URL)"), std::string::npos);
  }
}

TEST(OpenStore, FileUrisNameLocalPaths) {
  EXPECT_EQ(local_path("file:///srv/ml/artifacts"), "/srv/ml/artifacts");
  EXPECT_EQ(local_path("file://localhost/srv/a b"), "/srv/a b");
  EXPECT_EQ(local_path("relative/dir"), "relative/dir");
  EXPECT_EQ(local_path("/abs"), "/abs");
  EXPECT_THROW(local_path("file://relative/dir"), Error);
  EXPECT_THROW(local_path("file://"), Error);
  EXPECT_THROW(local_path("http://host/x"), Error);

  fs::path dir = fs::temp_directory_path() / ("archml-file-uri-" + std::to_string(::getpid()));
  auto store = open_artifact_store("file://" + dir.string());
  store->put_bytes("a/b.txt", "x");
  EXPECT_EQ(store->get_bytes("a/b.txt"), "x");
  EXPECT_TRUE(fs::is_regular_file(dir / "a/b.txt"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace archml::store
