#include "archml/store/pushgateway_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../track/recording_http_server.h"
#include "archml/core/error.h"

namespace archml::store {
namespace {

using ::testing::HasSubstr;

TEST(PushgatewayClient, BaseUrlAddsTheSchemeAndDropsTrailingSlashes) {
  EXPECT_EQ(pushgateway_base_url("127.0.0.1:9091"), "http://127.0.0.1:9091");
  EXPECT_EQ(pushgateway_base_url("https://gw.example:9091/"), "https://gw.example:9091");
  EXPECT_EQ(pushgateway_base_url("http://gw/prefix//"), "http://gw/prefix");
}

TEST(PushgatewayClient, BaseUrlRejectsOtherSchemesAndMissingHosts) {
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

TEST(PushgatewayClient, GroupingKeyIsPlainOrBase64AsThePushgatewayReadsIt) {
  PushGroup group{"archml_training", {{"instance", "17"}, {"experiment", "fraud"}}};
  EXPECT_EQ(pushgateway_group_url("http://gw:9091", group),
            "http://gw:9091/metrics/job/archml_training/instance/17/experiment/fraud");
  // '/' would split the path and ' ' needs escaping: both go as URL-safe base64; an empty
  // value needs the single '=' the Pushgateway documents.
  group.labels = {{"experiment", "team/fraud"}, {"run", "value with spaces"}, {"note", ""}};
  EXPECT_EQ(pushgateway_group_url("http://gw:9091", group),
            "http://gw:9091/metrics/job/archml_training/experiment@base64/dGVhbS9mcmF1ZA"
            "/run@base64/dmFsdWUgd2l0aCBzcGFjZXM/note@base64/=");
}

TEST(PushgatewayPut, SendsThePageWithPutAndTheTextFormatType) {
  testing::RecordingHttpServer gateway;
  const std::string url = pushgateway_group_url(gateway.url(), {"archml_training", {}});
  pushgateway_put(url, "# TYPE up gauge\nup 1\n", std::chrono::seconds(5));
  const auto requests = gateway.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/metrics/job/archml_training");
  EXPECT_EQ(requests[0].content_type, core::PrometheusWriter::kContentType);
  EXPECT_EQ(requests[0].body, "# TYPE up gauge\nup 1\n");
}

TEST(PushgatewayPut, ARefusalNamesTheStatusAndTheGatewaysReason) {
  testing::RecordingHttpServer gateway(400);
  try {
    pushgateway_put(gateway.url() + "/metrics/job/x", "up 1\n", std::chrono::seconds(5));
    FAIL() << "a 400 answer was taken as success";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_THAT(error.what(), HasSubstr("HTTP 400"));
    EXPECT_THAT(error.what(), HasSubstr("pushed metrics are invalid"));
  }
}

TEST(PushgatewayPut, AGatewayThatIsDownIsAnIoErrorNamingTheUrl) {
  const std::string url =
      "http://127.0.0.1:" + std::to_string(testing::unused_port()) + "/metrics/job/x";
  try {
    pushgateway_put(url, "up 1\n", std::chrono::seconds(5));
    FAIL() << "a push to a closed port succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_THAT(error.what(), HasSubstr(url));
  }
}

}  // namespace
}  // namespace archml::store
