#include "archml/serve/data_capture.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "archml/core/error.h"

namespace archml::serve {
namespace {

namespace fs = std::filesystem;

TEST(ServeDataCapture, FormatsSageMakerCaptureRecords) {
  CaptureRecord record;
  record.input = "1,2,3";
  record.input_content_type = "text/csv";
  record.output = R"({"predictions": [{"score": 0.5}]})";
  record.output_content_type = "application/json";
  record.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
  const auto line = nlohmann::json::parse(DataCapture::format(record, "id-1"));
  const auto& input = line["captureData"]["endpointInput"];
  EXPECT_EQ(input["observedContentType"], "text/csv");
  EXPECT_EQ(input["mode"], "INPUT");
  EXPECT_EQ(input["data"], "1,2,3");
  EXPECT_EQ(input["encoding"], "CSV");
  const auto& output = line["captureData"]["endpointOutput"];
  EXPECT_EQ(output["mode"], "OUTPUT");
  EXPECT_EQ(output["encoding"], "JSON");
  EXPECT_EQ(output["data"], record.output);
  EXPECT_EQ(line["eventMetadata"]["eventId"], "id-1");
  EXPECT_EQ(line["eventMetadata"]["inferenceTime"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(line["eventVersion"], "0");

  record.input = "0 0:1.5";  // neither CSV nor JSON: base64, as SageMaker records it
  record.input_content_type = "text/libsvm";
  const auto libsvm = nlohmann::json::parse(DataCapture::format(record, "id-2"));
  EXPECT_EQ(libsvm["captureData"]["endpointInput"]["encoding"], "BASE64");
  EXPECT_EQ(libsvm["captureData"]["endpointInput"]["data"], "MCAwOjEuNQ==");

  record.input = "1,\xFF\xFE,2";  // not UTF-8: a JSON line cannot hold it as text
  record.input_content_type = "text/csv";
  const auto binary = nlohmann::json::parse(DataCapture::format(record, "id-3"));
  EXPECT_EQ(binary["captureData"]["endpointInput"]["encoding"], "BASE64");
  EXPECT_EQ(binary["captureData"]["endpointInput"]["data"], "MSz//iwy");
}

TEST(ServeDataCapture, WritesHourlyFilesAndHandsThemOver) {
  const fs::path root = fs::temp_directory_path() / ("archml-capture-" + std::to_string(getpid()));
  fs::remove_all(root);
  std::vector<fs::path> finished;
  {
    CaptureOptions options;
    options.root = root;
    options.endpoint = "fraud";
    options.on_file_finished = [&](const fs::path& path) { finished.push_back(path); };
    DataCapture capture(options);
    using std::chrono::hours;
    const auto base = std::chrono::system_clock::time_point(hours(473000));  // 2023-12-17 08:00 UTC
    for (int i = 0; i < 5; ++i)
      EXPECT_TRUE(capture.submit({std::to_string(i),
                                  "text/csv",
                                  "0.5\n",
                                  "text/csv",
                                  base + std::chrono::minutes(20 * i),
                                  {}}));
  }
  ASSERT_EQ(finished.size(), 2u);  // 08:00-08:59 then 09:00-09:59
  EXPECT_EQ(finished[0].parent_path(), root / "fraud" / "AllTraffic" / "2023/12/17/08");
  EXPECT_EQ(finished[1].parent_path(), root / "fraud" / "AllTraffic" / "2023/12/17/09");
  std::size_t lines = 0;
  std::vector<std::string> inputs;
  for (const auto& path : finished) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      ++lines;
      inputs.push_back(nlohmann::json::parse(line)["captureData"]["endpointInput"]["data"]);
    }
  }
  EXPECT_EQ(lines, 5u);
  EXPECT_EQ(inputs, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  fs::remove_all(root);
}

TEST(ServeDataCapture, KeepsEveryRecordFromConcurrentRequestsInEachThreadsOrder) {
  const fs::path root = fs::temp_directory_path() / "archml-capture-concurrent";
  fs::remove_all(root);
  constexpr int kThreads = 4;
  constexpr int kRecords = 5000;
  {
    CaptureOptions options;
    options.root = root;
    DataCapture capture(options);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&capture, t] {
        for (int i = 0; i < kRecords; ++i) {
          // Text to escape, and bytes that are not UTF-8 (written as base64).
          const std::string input = std::to_string(t) + "," + std::to_string(i) + ",\"q\"\n";
          const std::string output = i % 100 == 0 ? std::string("\xff\x01", 2) : "0.25\n";
          ASSERT_TRUE(capture.submit(
              {input, "text/csv", output, "text/csv", std::chrono::system_clock::now(), {}}));
        }
      });
    for (auto& thread : threads) thread.join();
  }
  std::vector<int> next(kThreads, 0);
  std::set<std::string> event_ids;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      const auto record = nlohmann::json::parse(line);
      const auto& input = record["captureData"]["endpointInput"];
      const auto& output = record["captureData"]["endpointOutput"];
      const std::string data = input["data"];
      const int t = std::stoi(data);
      const int i = std::stoi(data.substr(data.find(',') + 1));
      ASSERT_EQ(i, next[t]++) << line;
      EXPECT_EQ(data, std::to_string(t) + "," + std::to_string(i) + ",\"q\"\n");
      EXPECT_EQ(output["encoding"], i % 100 == 0 ? "BASE64" : "CSV") << line;
      EXPECT_EQ(output["data"], i % 100 == 0 ? "/wE=" : "0.25\n") << line;
      EXPECT_EQ(std::string(record["eventMetadata"]["inferenceTime"]).size(), 24u) << line;
      event_ids.insert(record["eventMetadata"]["eventId"]);
    }
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kRecords);
  EXPECT_EQ(event_ids.size(), static_cast<std::size_t>(kThreads * kRecords));
  fs::remove_all(root);
}

TEST(ServeDataCapture, DropsRecordsBeyondTheQueuesByteLimit) {
  CaptureOptions options;
  options.root = fs::temp_directory_path();
  options.queue_limit_bytes = 10;  // less than any record
  DataCapture capture(options);
  EXPECT_FALSE(capture.submit({"x", "text/csv", "y", "text/csv", {}, {}}));
  EXPECT_EQ(capture.dropped(), 1u);
}

TEST(ServeDataCapture, SamplesExactlyThePercentage) {
  CaptureOptions options;
  options.root = fs::temp_directory_path();
  options.percent = 10;
  DataCapture capture(options);
  int sampled = 0;
  for (int i = 0; i < 1000; ++i) sampled += capture.sample() ? 1 : 0;
  EXPECT_EQ(sampled, 100);
  options.percent = 101;
  EXPECT_THROW(DataCapture{options}, Error);
}

TEST(ServeDataCapture, DropsAndCountsWhenTheQueueIsFull) {
  CaptureOptions options;
  options.root = fs::temp_directory_path();
  options.queue_limit = 0;
  DataCapture capture(options);
  EXPECT_FALSE(capture.submit({"x", "text/csv", "y", "text/csv", {}, {}}));
  EXPECT_EQ(capture.dropped(), 1u);
}

TEST(ServeDataCapture, AnUnusableRootFailsAtOnce) {
  const fs::path file = fs::temp_directory_path() / "archml-capture-root-is-a-file";
  { std::ofstream(file) << "x"; }
  CaptureOptions options;
  options.root = file / "captures";
  try {
    DataCapture capture(options);
    ADD_FAILURE() << "a root under a regular file was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(error.what()).find("--capture-dir " + options.root.string()),
              std::string::npos)
        << error.what();
  }
  fs::remove(file);
}

TEST(ServeDataCapture, WriteFailuresAreCountedAsFailedNotDropped) {
  const fs::path root = fs::temp_directory_path() / "archml-capture-write-fails";
  fs::remove_all(root);
  CaptureOptions options;
  options.root = root;
  options.endpoint = "blocked";
  DataCapture capture(options);
  { std::ofstream(root / "blocked") << "a file where the endpoint's folder belongs"; }
  EXPECT_TRUE(
      capture.submit({"x", "text/csv", "y", "text/csv", std::chrono::system_clock::now(), {}}));
  for (int i = 0; i < 500 && capture.failed() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(capture.failed(), 1u);
  EXPECT_EQ(capture.dropped(), 0u);
  EXPECT_EQ(capture.written(), 0u);
  fs::remove_all(root);
}

}  // namespace
}  // namespace archml::serve
