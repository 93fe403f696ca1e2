#include "archml/track/schema.h"

#include <gtest/gtest.h>

#include <cmath>

#include "archml/core/error.h"
#include "archml/track/catalog.h"
#include "temp_directory.h"

namespace archml::track {
namespace {

TEST(Migrations, ANewCatalogIsAtTheLatestVersion) {
  testing::TempDirectory directory;
  Catalog catalog(directory.path() / "catalog.db");
  Connection connection((directory.path() / "catalog.db").string());
  EXPECT_EQ(schema_version(connection), latest_schema_version());
  EXPECT_GE(latest_schema_version(), 2);
}

TEST(Migrations, AVersion1CatalogGainsSummariesOfItsExistingPoints) {
  testing::TempDirectory directory;
  const auto file = directory.path() / "catalog.db";
  {
    // A catalog as the first release wrote it: points, but no summary table.
    Connection old(file.string());
    migrate(old, 1);
    ASSERT_EQ(schema_version(old), 1);
    old.execute(
        "INSERT INTO experiments VALUES (1, 'e', '', 0);"
        "INSERT INTO runs VALUES (1, 1, 'r', 0);"
        "INSERT INTO jobs (id, run_id, kind, status, started_at, command_line, archml_version, "
        "host, pid, pid_start) VALUES (1, 1, 'training', 'Completed', 0, 'x', '0.0.1', 'h', 1, "
        "'1');"
        "INSERT INTO metrics VALUES (1, 'auc', 2, 0.8, 5), (1, 'auc', 0, 0.6, 3),"
        " (1, 'auc', 1, 0.7, 4), (1, 'loss', 0, 2.0, 3);");
  }
  Catalog catalog(file);
  Connection check(file.string());
  EXPECT_EQ(schema_version(check), latest_schema_version());
  auto summaries = catalog.metric_summaries(1);
  ASSERT_EQ(summaries.size(), 2u);
  const MetricSummary& auc = summaries[0];
  EXPECT_EQ(auc.name, "auc");
  EXPECT_EQ(auc.count, 3);
  EXPECT_DOUBLE_EQ(auc.min, 0.6);
  EXPECT_DOUBLE_EQ(auc.max, 0.8);
  EXPECT_NEAR(auc.avg, 0.7, 1e-12);
  EXPECT_NEAR(auc.std, 0.1, 1e-12);  // sample std of 0.6, 0.7, 0.8
  EXPECT_DOUBLE_EQ(auc.last, 0.8);
  EXPECT_EQ(auc.last_step, 2);
  EXPECT_EQ(summaries[1].count, 1);
  EXPECT_DOUBLE_EQ(summaries[1].std, 0);

  // New points merge into the migrated summary.
  catalog.log_metrics(1, std::vector<MetricPoint>{{"auc", 3, 0.9, 6}});
  auto merged = catalog.metric_summaries(1).at(0);
  EXPECT_EQ(merged.count, 4);
  EXPECT_NEAR(merged.avg, 0.75, 1e-12);
  EXPECT_NEAR(merged.std, std::sqrt(0.05 / 3), 1e-12);
  EXPECT_DOUBLE_EQ(merged.last, 0.9);
}

TEST(Migrations, ACatalogFromANewerArchmlIsRefused) {
  testing::TempDirectory directory;
  const auto file = directory.path() / "catalog.db";
  {
    Connection newer(file.string());
    newer.execute("PRAGMA user_version = 99");
  }
  try {
    Catalog catalog(file);
    FAIL() << "a newer schema was opened";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUnsupported);
    EXPECT_NE(std::string(error.what()).find("upgrade archml"), std::string::npos);
  }
}

// A reader migrates nothing: an older catalog it can write is upgraded once before it is
// opened read-only; one it cannot write (read-only media) is refused, as is a newer one.
TEST(Migrations, AReaderUpgradesAWritableOlderCatalogAndRefusesWhatItCannotRead) {
  testing::TempDirectory directory;
  const auto file = directory.path() / "catalog.db";
  {
    Connection old(file.string());
    migrate(old, 1);
  }
  {
    Connection reader(file.string(), Connection::Access::kReadOnly);
    try {
      require_latest_schema(reader);
      FAIL() << "an older schema passed for a reader";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUnsupported);
      EXPECT_NE(std::string(error.what()).find("older"), std::string::npos) << error.what();
    }
  }
  auto catalog = Catalog::open_read_only(file);
  EXPECT_TRUE(catalog->read_only());
  EXPECT_TRUE(catalog->experiments().empty());
  Connection check(file.string());
  EXPECT_EQ(schema_version(check), latest_schema_version());
  check.execute("PRAGMA user_version = 99");
  try {
    Catalog::open_read_only(file);
    FAIL() << "a reader opened a newer schema";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUnsupported);
    EXPECT_NE(std::string(error.what()).find("upgrade archml"), std::string::npos);
  }
}

}  // namespace
}  // namespace archml::track
