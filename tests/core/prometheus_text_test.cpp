#include "archml/core/prometheus_text.h"

#include <gtest/gtest.h>

#include <cmath>

#include "archml/core/error.h"

namespace archml::core {
namespace {

TEST(CorePrometheusText, CountersAndGaugesWithHelpTypeAndLabels) {
  PrometheusWriter writer;
  writer.counter("http_requests_total", "Requests answered, by status code.",
                 {{{{"code", "200"}}, 41}, {{{"code", "400"}}, 2}});
  writer.gauge("process_resident_memory_bytes", "Resident memory.", {{{}, 1048576}});
  EXPECT_EQ(writer.text(),
            "# HELP http_requests_total Requests answered, by status code.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{code=\"200\"} 41\n"
            "http_requests_total{code=\"400\"} 2\n"
            "# HELP process_resident_memory_bytes Resident memory.\n"
            "# TYPE process_resident_memory_bytes gauge\n"
            "process_resident_memory_bytes 1048576\n");
}

TEST(CorePrometheusText, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  PrometheusWriter writer;
  writer.histogram("latency_seconds", "Latency.",
                   {{{{"route", "/x"}}, {0.001, 0.01}, {3, 2, 1}, 0.5}});
  EXPECT_EQ(writer.text(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"/x\",le=\"0.001\"} 3\n"
            "latency_seconds_bucket{route=\"/x\",le=\"0.01\"} 5\n"
            "latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 6\n"
            "latency_seconds_sum{route=\"/x\"} 0.5\n"
            "latency_seconds_count{route=\"/x\"} 6\n");
  EXPECT_THROW(writer.histogram("bad", "", {{{}, {1.0}, {1}, 0}}), Error);
}

TEST(CorePrometheusText, EscapesLabelValuesAndHelpAndSanitisesNames) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(sanitize_metric_name("model-name.v2"), "model_name_v2");
  EXPECT_EQ(sanitize_metric_name("9lives"), "_9lives");
  EXPECT_EQ(sanitize_metric_name("ok:name_1"), "ok:name_1");
  EXPECT_EQ(sanitize_metric_name(""), "_");
  PrometheusWriter writer;
  writer.gauge("info", "line one\nback\\slash", {{{{"path", "C:\\x \"y\""}}, 1}});
  EXPECT_EQ(writer.text(),
            "# HELP info line one\\nback\\\\slash\n"
            "# TYPE info gauge\n"
            "info{path=\"C:\\\\x \\\"y\\\"\"} 1\n");
}

TEST(CorePrometheusText, SpecialValues) {
  EXPECT_EQ(format_metric_value(INFINITY), "+Inf");
  EXPECT_EQ(format_metric_value(-INFINITY), "-Inf");
  EXPECT_EQ(format_metric_value(NAN), "NaN");
  EXPECT_EQ(format_metric_value(0.25), "0.25");
  EXPECT_EQ(format_metric_value(1e21), "1e+21");
}

}  // namespace
}  // namespace archml::core
