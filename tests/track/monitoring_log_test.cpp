#include "archml/track/monitoring_log.h"

#include <gtest/gtest.h>

#include "archml/track/schema.h"
#include "temp_directory.h"

namespace archml::track {
namespace {

TEST(MonitoringLog, AVersion3CatalogGainsTheExecutionsTableAndKeepsItsRegistry) {
  testing::TempDirectory directory;
  const auto file = directory.path() / "catalog.db";
  {
    Connection old(file.string());
    migrate(old, 3);
    old.execute("INSERT INTO model_groups (name, created_at) VALUES ('fraud', 1)");
  }
  auto catalog = std::make_shared<Catalog>(file);
  Connection check(file.string());
  EXPECT_EQ(schema_version(check), 4);
  Statement groups(check.handle(), "SELECT count(*) FROM model_groups");
  ASSERT_TRUE(groups.step());
  EXPECT_EQ(groups.int64(0), 1);

  MonitoringLog log(catalog);
  MonitoringExecution first;
  first.schedule = "hourly";
  first.started_at = 10;
  first.ended_at = 11;
  first.status = "Completed";
  first.records = 1000;
  first.output = "checks/1";
  MonitoringExecution second = first;
  second.started_at = 20;
  second.status = "CompletedWithViolations";
  second.violations = 2;
  MonitoringExecution other = first;
  other.schedule = "daily";
  const std::int64_t id = log.record(first);
  log.record(second);
  log.record(other);
  const auto hourly = log.executions("hourly", 10);
  ASSERT_EQ(hourly.size(), 2u);
  EXPECT_EQ(hourly[0].status, "CompletedWithViolations");  // newest first
  EXPECT_EQ(hourly[0].violations, 2);
  EXPECT_EQ(hourly[1].id, id);
  EXPECT_EQ(hourly[1].records, 1000);
  EXPECT_EQ(log.executions("", 10).size(), 3u);
  EXPECT_EQ(log.executions("", 1).size(), 1u);
}

}  // namespace
}  // namespace archml::track
