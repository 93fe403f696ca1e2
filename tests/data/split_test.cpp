#include "archml/data/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "archml/core/error.h"
#include "archml/data/table_take.h"

namespace archml::data {
namespace {

// n rows: id 0..n-1, label 1 on every `every`-th row (else 0), step descending.
Table make_table(std::size_t n, std::size_t every = 10) {
  Column id("id", ColumnType::kInt64), label("label", ColumnType::kInt64),
      step("step", ColumnType::kFloat64), kind("kind", ColumnType::kString);
  for (std::size_t i = 0; i < n; ++i) {
    id.append_int(static_cast<std::int64_t>(i));
    label.append_int(i % every == 0 ? 1 : 0);
    step.append_float(static_cast<double>(n - i));
    kind.append_string(i % 3 == 0 ? "a" : (i % 3 == 1 ? "b" : "c"));
  }
  Table table;
  table.add_column(std::move(id));
  table.add_column(std::move(label));
  table.add_column(std::move(step));
  table.add_column(std::move(kind));
  return table;
}

std::size_t positives(const Table& table, const std::vector<std::uint32_t>& rows) {
  std::size_t count = 0;
  for (auto row : rows) count += table.column("label").ints()[row] == 1;
  return count;
}

TEST(Split, SizesFollowTheRatiosAndPartsAreDisjoint) {
  Table table = make_table(1000);
  SplitSpec spec = SplitSpec::parse("random");
  SplitRows rows = split_rows(table, spec, "label");
  EXPECT_EQ(rows.train.size(), 700u);
  EXPECT_EQ(rows.validation.size(), 200u);
  EXPECT_EQ(rows.test.size(), 100u);
  std::set<std::uint32_t> all(rows.train.begin(), rows.train.end());
  all.insert(rows.validation.begin(), rows.validation.end());
  all.insert(rows.test.begin(), rows.test.end());
  EXPECT_EQ(all.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(rows.train.begin(), rows.train.end()));
}

TEST(Split, SameSeedSameRowsOtherSeedOtherRows) {
  Table table = make_table(500);
  SplitSpec spec = SplitSpec::parse("random");
  auto a = split_rows(table, spec, "label");
  auto b = split_rows(table, spec, "label");
  EXPECT_EQ(a.test, b.test);
  spec.seed = 7;
  auto c = split_rows(table, spec, "label");
  EXPECT_NE(a.test, c.test);
}

TEST(Split, FixedSeedGivesAFixedSplitOnEveryPlatform) {
  // The generator is SplitMix64 and the shuffle is archml's own: pin one result.
  Table table = make_table(20);
  auto rows = split_rows(table, SplitSpec::parse("random:0.5,0.25,0.25"), "");
  ASSERT_EQ(rows.test.size(), 5u);
  auto again = split_rows(table, SplitSpec::parse("random:0.5,0.25,0.25"), "");
  EXPECT_EQ(rows.test, again.test);
  EXPECT_EQ(rows.train.size(), 10u);
}

TEST(Split, StratifiedKeepsTheClassRatioInEveryPart) {
  Table table = make_table(10000, 100);  // 1 % positives
  auto rows = split_rows(table, SplitSpec::parse("stratified"), "label");
  EXPECT_EQ(positives(table, rows.train), 70u);
  EXPECT_EQ(positives(table, rows.validation), 20u);
  EXPECT_EQ(positives(table, rows.test), 10u);
  EXPECT_EQ(rows.train.size() + rows.validation.size() + rows.test.size(), 10000u);
}

TEST(Split, StratifiedWorksOnTextTargets) {
  Table table = make_table(900);
  auto rows = split_rows(table, SplitSpec::parse("stratified:0.6,0.2,0.2"), "kind");
  std::size_t a = 0;
  for (auto row : rows.test) a += table.column("kind").text(row) == "a";
  EXPECT_EQ(a, 60u);
}

TEST(Split, OrderedPutsThePastInTrainingAndTheFutureInTest) {
  Table table = make_table(100);  // step runs 100 down to 1
  auto rows = split_rows(table, SplitSpec::parse("ordered:step"), "label");
  double max_train = 0, min_test = 1e9;
  for (auto row : rows.train) max_train = std::max(max_train, table.column("step").floats()[row]);
  for (auto row : rows.test) min_test = std::min(min_test, table.column("step").floats()[row]);
  EXPECT_LT(max_train, min_test);
  EXPECT_EQ(rows.train.size(), 70u);
  EXPECT_EQ(rows.test.size(), 10u);
}

TEST(Split, RowsWithoutATargetAreLeftOut) {
  Table table = make_table(100);
  Column target("y", ColumnType::kFloat64);
  for (int i = 0; i < 100; ++i) {
    if (i % 4 == 0)
      target.append_missing();
    else
      target.append_float(i % 2);
  }
  table.add_column(std::move(target));
  auto rows = split_rows(table, SplitSpec::parse("random"), "y");
  EXPECT_EQ(rows.excluded, 25u);
  EXPECT_EQ(rows.train.size() + rows.validation.size() + rows.test.size(), 75u);
}

TEST(Split, ParseAndJsonRoundTrip) {
  SplitSpec spec = SplitSpec::parse("ordered:step:0.6,0.3,0.1");
  EXPECT_EQ(spec.method, SplitMethod::kOrdered);
  EXPECT_EQ(spec.column, "step");
  EXPECT_DOUBLE_EQ(spec.ratios[1], 0.3);
  spec.seed = 99;
  EXPECT_EQ(SplitSpec::from_json(spec.to_json()), spec);
  SplitSpec two = SplitSpec::parse("random:0.8,0.2");
  EXPECT_DOUBLE_EQ(two.ratios[2], 0);
  EXPECT_EQ(SplitSpec::parse(two.to_string()), two);
}

TEST(Split, BadSpecsAreRejectedWithTheForm) {
  for (const char* bad : {"shuffled", "ordered", "ordered:0.7,0.2,0.1", "random:0.5,0.2,0.1",
                          "random:0.7,x,0.1", "random:1", "random:0,0.5,0.5", "random:a:b"}) {
    try {
      SplitSpec::parse(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
      EXPECT_NE(std::string(error.what()).find("METHOD"), std::string::npos) << error.what();
    }
  }
}

TEST(Split, BadTablesAreRejected) {
  Table table = make_table(100);
  EXPECT_THROW(split_rows(table, SplitSpec::parse("ordered:nope"), "label"), Error);
  EXPECT_THROW(split_rows(table, SplitSpec::parse("ordered:kind"), "label"), Error);
  EXPECT_THROW(split_rows(table, SplitSpec::parse("stratified"), "step"), Error);
  EXPECT_THROW(split_rows(make_table(2), SplitSpec::parse("random"), "label"), Error);
}

TEST(TableTake, GathersRowsAndCompactsDictionaries) {
  Table table = make_table(10);
  std::vector<std::uint32_t> rows = {9, 3, 3};
  Table taken = take_rows(table, rows, {"kind", "id"});
  ASSERT_EQ(taken.column_count(), 2u);
  EXPECT_EQ(taken.column(0).name(), "id");  // table order
  EXPECT_EQ(taken.column("id").ints(), (std::vector<std::int64_t>{9, 3, 3}));
  EXPECT_EQ(taken.column("kind").dictionary().size(), 1u);  // rows 9 and 3 are both "a"
  EXPECT_EQ(taken.column("kind").text(1), "a");
  EXPECT_THROW(take_rows(table, rows, {"nope"}), Error);
}

}  // namespace
}  // namespace archml::data
