#include <gtest/gtest.h>

#include "archml/serve/capture_reader.h"
#include "archml/serve/data_capture.h"

namespace archml::serve {
namespace {

std::string capture_reader_test_line(const std::string& body, const std::string& type,
                                     const std::string& id) {
  CaptureRecord record{body, type, "0.5\n", "text/csv", std::chrono::system_clock::now(), id};
  return DataCapture::format(record, "event-" + id) + "\n";
}

TEST(ServeCaptureReader, ReadsWhatTheEndpointWrites) {
  const std::string text = capture_reader_test_line("1,CASH_OUT\n2,PAYMENT\n", "text/csv", "a") +
                           capture_reader_test_line(R"({"instances":[{"x":3,"kind":"CASH_OUT"}]})",
                                                    "application/json", "b") +
                           capture_reader_test_line(std::string("4,\xff\n", 4), "text/csv", "c");
  CaptureParse parse;
  parse_capture_text(text, "f.jsonl", "", "", parse);
  ASSERT_EQ(parse.events.size(), 3u);
  EXPECT_EQ(parse.events[0].inference_id, "a");
  EXPECT_EQ(parse.events[1].event_id, "event-b");
  EXPECT_EQ(parse.events[2].input, std::string("4,\xff\n", 4));  // base64 decoded
  EXPECT_FALSE(parse.truncated);

  RowLayout layout;
  layout.training_columns = {"x", "kind"};
  layout.schema_columns = {"x", "kind"};
  const CapturedRows rows = captured_rows(
      parse.events, layout,
      {{"x", monitor::InferredType::kIntegral}, {"kind", monitor::InferredType::kString}}, 2);
  EXPECT_EQ(rows.rows, 4u);
  EXPECT_EQ(rows.statistics.features[0].num_present, 4u);
  EXPECT_DOUBLE_EQ(rows.statistics.features[0].sum, 10.0);
  EXPECT_EQ(rows.statistics.features[1].categories.front().first, "CASH_OUT");
}

TEST(ServeCaptureReader, ATruncatedFileIsReadUpToItsLastCompleteRecord) {
  const std::string whole = capture_reader_test_line("1,A\n", "text/csv", "1") +
                            capture_reader_test_line("2,B\n", "text/csv", "2");
  const std::string third = capture_reader_test_line("3,C\n", "text/csv", "3");
  for (std::size_t cut = 1; cut < third.size() - 1; ++cut) {
    CaptureParse parse;
    parse_capture_text(whole + third.substr(0, cut), "f.jsonl", "", "", parse);
    ASSERT_EQ(parse.events.size(), 2u) << cut;
    EXPECT_TRUE(parse.truncated) << cut;
    ASSERT_EQ(parse.warnings.size(), 1u);
    EXPECT_NE(parse.warnings[0].find("cut short"), std::string::npos);
  }
  CaptureParse broken;
  parse_capture_text("{not json\n" + whole, "f.jsonl", "", "", broken);
  EXPECT_EQ(broken.events.size(), 2u);
  EXPECT_EQ(broken.broken_lines, 1u);
}

TEST(ServeCaptureReader, KeepsTheTimeWindow) {
  const std::string text = capture_reader_test_line("1,A\n", "text/csv", "1");
  CaptureParse inside;
  parse_capture_text(text, "f", "2000-01-01T00:00", "2999-01-01T00:00", inside);
  EXPECT_EQ(inside.events.size(), 1u);
  CaptureParse after;
  parse_capture_text(text, "f", "2999-01-01T00:00", "", after);
  EXPECT_TRUE(after.events.empty());
}

TEST(ServeCaptureReader, JsonObjectsWithMissingOrExtraColumnsAreCountedColumnByColumn) {
  CaptureParse parse;
  parse_capture_text(
      capture_reader_test_line(R"({"instances":[{"x":3,"new":1}]})", "application/json", "m"), "f",
      "", "", parse);
  RowLayout layout;
  layout.training_columns = {"x", "kind"};
  layout.schema_columns = {"x", "kind"};
  const CapturedRows rows = captured_rows(
      parse.events, layout,
      {{"x", monitor::InferredType::kIntegral}, {"kind", monitor::InferredType::kString}}, 1);
  EXPECT_EQ(rows.failed_records, 1u);
  EXPECT_EQ(rows.statistics.features[0].num_present, 1u);
  EXPECT_EQ(rows.columns, (std::vector<std::string>{"new", "x"}));
}

}  // namespace
}  // namespace archml::serve
