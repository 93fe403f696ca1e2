#include "archml/data/profile.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "archml/core/error.h"
#include "archml/data/profile_report.h"

namespace archml::data {
namespace {

Column float_column(const std::string& name, std::initializer_list<std::optional<double>> values) {
  Column column(name, ColumnType::kFloat64);
  for (const auto& value : values) value ? column.append_float(*value) : column.append_missing();
  return column;
}

Column int_column(const std::string& name, std::initializer_list<std::int64_t> values) {
  Column column(name, ColumnType::kInt64);
  for (auto value : values) column.append_int(value);
  return column;
}

Column bool_column(const std::string& name, std::initializer_list<int> values) {
  Column column(name, ColumnType::kBool);
  for (auto value : values) column.append_bool(value != 0);
  return column;
}

Column string_column(const std::string& name,
                     std::initializer_list<std::optional<std::string>> values) {
  Column column(name, ColumnType::kString);
  for (const auto& value : values) value ? column.append_string(*value) : column.append_missing();
  return column;
}

// x: floats with one missing; y: ints; c: constant; s: strings; label: bool target.
Table small_table() {
  Table table;
  table.add_column(float_column("x", {1, 2, 3, 4, std::nullopt}));
  table.add_column(int_column("y", {10, 20, 30, 40, 50}));
  table.add_column(int_column("c", {7, 7, 7, 7, 7}));
  table.add_column(string_column("s", {"a", "b", "a", "c", "a"}));
  table.add_column(bool_column("label", {0, 0, 1, 0, 1}));
  return table;
}

const ColumnProfile& column(const Profile& profile, const std::string& name) {
  for (const auto& c : profile.columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}

double correlation(const Profile& profile, const std::string& a, const std::string& b) {
  auto index = [&](const std::string& name) {
    for (std::size_t i = 0; i < profile.correlation_columns.size(); ++i)
      if (profile.correlation_columns[i] == name) return i;
    throw std::runtime_error("no correlation column " + name);
  };
  return profile.correlations[index(a)][index(b)];
}

bool has_warning(const Profile& profile, const std::string& kind, const std::string& column) {
  for (const auto& warning : profile.warnings)
    if (warning.kind == kind && warning.column == column) return true;
  return false;
}

ProfileOptions profile_options(std::string target = "") {
  ProfileOptions options;
  options.target = std::move(target);
  options.progress_label = "";
  return options;
}

TEST(ProfileTest, DescribeMatchesPandasSemantics) {
  Profile profile = compute_profile(small_table(), profile_options());
  EXPECT_EQ(profile.rows, 5u);
  const auto& x = column(profile, "x");
  EXPECT_EQ(x.count, 4u);
  EXPECT_EQ(x.missing, 1u);
  ASSERT_TRUE(x.numeric);
  EXPECT_DOUBLE_EQ(x.numeric->mean, 2.5);
  EXPECT_DOUBLE_EQ(x.numeric->std, std::sqrt(5.0 / 3.0));  // ddof = 1
  EXPECT_DOUBLE_EQ(x.numeric->min, 1);
  EXPECT_DOUBLE_EQ(x.numeric->p25, 1.75);  // linear interpolation at position 0.75
  EXPECT_DOUBLE_EQ(x.numeric->p50, 2.5);
  EXPECT_DOUBLE_EQ(x.numeric->p75, 3.25);
  EXPECT_DOUBLE_EQ(x.numeric->max, 4);

  const auto& y = column(profile, "y");
  EXPECT_EQ(y.missing, 0u);
  EXPECT_DOUBLE_EQ(y.numeric->mean, 30);
  EXPECT_DOUBLE_EQ(y.numeric->std, std::sqrt(250.0));
  EXPECT_DOUBLE_EQ(y.numeric->p25, 20);
  EXPECT_DOUBLE_EQ(y.numeric->p75, 40);

  const auto& label = column(profile, "label");  // bools count as numeric 0/1
  ASSERT_TRUE(label.numeric);
  EXPECT_DOUBLE_EQ(label.numeric->mean, 0.4);
}

TEST(ProfileTest, QuartilesOfUnorderedValues) {
  Table table;
  table.add_column(float_column("v", {7, 3, 9, 0, 5, 1, 8, 2, 6, 4}));
  table.add_column(float_column(
      "single", {std::nullopt, std::nullopt, 42, std::nullopt, std::nullopt, std::nullopt,
                 std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
  Profile profile = compute_profile(table, profile_options());
  const auto& v = *column(profile, "v").numeric;
  EXPECT_DOUBLE_EQ(v.p25, 2.25);
  EXPECT_DOUBLE_EQ(v.p50, 4.5);
  EXPECT_DOUBLE_EQ(v.p75, 6.75);
  const auto& single = column(profile, "single");
  EXPECT_EQ(single.count, 1u);
  EXPECT_DOUBLE_EQ(single.numeric->p25, 42);
  EXPECT_DOUBLE_EQ(single.numeric->p75, 42);
  EXPECT_TRUE(std::isnan(single.numeric->std));
}

// Large columns take a sample-bracketing path; it must agree with a full sort, also when
// the data is sorted, has many ties, or is periodic with the sampling stride.
TEST(ProfileTest, QuartilesOfLargeColumnsAreExact) {
  const std::size_t n = 600001;
  auto expected = [](std::vector<double> values, double q) {
    std::sort(values.begin(), values.end());
    double position = q * static_cast<double>(values.size() - 1);
    auto low = static_cast<std::size_t>(position);
    double fraction = position - static_cast<double>(low);
    return fraction == 0 ? values[low] : values[low] + (values[low + 1] - values[low]) * fraction;
  };
  std::vector<std::vector<double>> cases(4);
  for (std::size_t i = 0; i < n; ++i) {
    cases[0].push_back(std::sin(static_cast<double>(i)) * 1e6);
    cases[1].push_back(static_cast<double>(i) * 0.5);
    cases[2].push_back(static_cast<double>(i % 7));
    cases[3].push_back(i % 18 == 0 ? 1.0 : static_cast<double>(i));  // stride-aligned outliers
  }
  for (const auto& values : cases) {
    Table table;
    Column column("v", ColumnType::kFloat64);
    for (double value : values) column.append_float(value);
    table.add_column(std::move(column));
    Profile profile = compute_profile(table, profile_options());
    const auto& summary = *profile.columns[0].numeric;
    EXPECT_NEAR(summary.p25, expected(values, 0.25), 1e-9 * (1 + std::fabs(summary.p25)));
    EXPECT_NEAR(summary.p50, expected(values, 0.5), 1e-9 * (1 + std::fabs(summary.p50)));
    EXPECT_NEAR(summary.p75, expected(values, 0.75), 1e-9 * (1 + std::fabs(summary.p75)));
  }
}

TEST(ProfileTest, CorrelationIsPairwiseAndNanForConstant) {
  Profile profile = compute_profile(small_table(), profile_options("label"));
  // x is missing in the last row, so x and y are compared on the first four rows only.
  EXPECT_NEAR(correlation(profile, "x", "y"), 1.0, 1e-12);
  EXPECT_NEAR(correlation(profile, "y", "label"), 20 / std::sqrt(1200.0), 1e-12);
  EXPECT_TRUE(std::isnan(correlation(profile, "c", "y")));
  EXPECT_TRUE(std::isnan(correlation(profile, "c", "c")));
  EXPECT_DOUBLE_EQ(correlation(profile, "y", "y"), 1.0);
  // Strings stay out of the matrix unless they are a two-class target.
  for (const auto& name : profile.correlation_columns) EXPECT_NE(name, "s");
  auto json = to_json(profile);
  EXPECT_TRUE(json["correlations"]["matrix"][2][1].is_null());
}

TEST(ProfileTest, TargetClassesAndPerClassStats) {
  Profile profile = compute_profile(small_table(), profile_options("label"));
  ASSERT_TRUE(profile.target_is_classes);
  ASSERT_EQ(profile.classes, (std::vector<std::string>{"false", "true"}));
  EXPECT_EQ(profile.class_counts, (std::vector<std::uint64_t>{3, 2}));
  const auto& y = column(profile, "y");
  ASSERT_EQ(y.by_class.size(), 2u);
  EXPECT_EQ(y.by_class[0].count, 3u);  // rows 0, 1, 3: 10, 20, 40
  EXPECT_DOUBLE_EQ(y.by_class[0].mean, 70.0 / 3);
  EXPECT_NEAR(y.by_class[0].std, std::sqrt(700.0 / 3), 1e-12);
  EXPECT_DOUBLE_EQ(y.by_class[0].max, 40);
  EXPECT_DOUBLE_EQ(y.by_class[1].mean, 40);  // rows 2, 4: 30, 50
  EXPECT_DOUBLE_EQ(y.by_class[1].std, std::sqrt(200.0));
  EXPECT_DOUBLE_EQ(y.by_class[1].max, 50);
  // Missing x in row 4 (a 'true' row) leaves one value in that class: std undefined.
  const auto& x = column(profile, "x");
  EXPECT_EQ(x.by_class[1].count, 1u);
  EXPECT_TRUE(std::isnan(x.by_class[1].std));
  EXPECT_TRUE(column(profile, "label").by_class.empty());

  auto json = to_json(profile);
  EXPECT_EQ(json["target"]["counts"]["true"], 2);
  EXPECT_DOUBLE_EQ(json["target"]["ratios"]["false"].get<double>(), 0.6);
  EXPECT_DOUBLE_EQ(json["target"]["per_class"]["y"]["true"]["mean"].get<double>(), 40);
}

TEST(ProfileTest, StringTargetWithTwoClassesIsEncodedForCorrelation) {
  Table table;
  table.add_column(int_column("v", {1, 2, 3, 4, 5, 6}));
  table.add_column(string_column("outcome", {"no", "no", "no", "no", "yes", "yes"}));
  Profile profile = compute_profile(table, profile_options("outcome"));
  EXPECT_EQ(profile.classes, (std::vector<std::string>{"no", "yes"}));
  ASSERT_EQ(profile.correlation_columns, (std::vector<std::string>{"v", "outcome"}));
  // v against the 0/1 indicator of the minority class 'yes'.
  double r = correlation(profile, "v", "outcome");
  EXPECT_NEAR(r, 0.828078671210825, 1e-12);
  EXPECT_NE(profile.target_encoding.find("'yes' = 1"), std::string::npos);
}

TEST(ProfileTest, TopValuesWithOther) {
  ProfileOptions options = profile_options("label");
  options.top_values = 2;
  Profile profile = compute_profile(small_table(), options);
  const auto& s = column(profile, "s");
  ASSERT_TRUE(s.categorical);
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.categorical->distinct, 3u);
  ASSERT_EQ(s.categorical->top.size(), 2u);
  EXPECT_EQ(s.categorical->top[0].value, "a");
  EXPECT_EQ(s.categorical->top[0].count, 3u);
  EXPECT_EQ(s.categorical->top[1].value, "b");  // tie with 'c': first seen wins
  EXPECT_EQ(s.categorical->other, 1u);
  EXPECT_EQ(s.categorical->top[0].by_class, (std::vector<std::uint64_t>{1, 2}));
}

TEST(ProfileTest, MissingStrings) {
  Table table;
  table.add_column(string_column("s", {"a", std::nullopt, "a", std::nullopt}));
  Profile profile = compute_profile(table, profile_options());
  const auto& s = column(profile, "s");
  EXPECT_EQ(s.missing, 2u);
  EXPECT_EQ(s.categorical->distinct, 1u);
  EXPECT_EQ(s.categorical->other, 0u);
}

TEST(ProfileTest, HistogramCountsEveryValue) {
  Table table;
  Column v("v", ColumnType::kFloat64);
  for (int i = 0; i < 1000; ++i) v.append_float(i * 0.37);
  table.add_column(std::move(v));
  Profile profile = compute_profile(table, profile_options());
  const auto& histogram = column(profile, "v").numeric->histogram;
  ASSERT_EQ(histogram.counts.size(), 30u);
  std::uint64_t total = 0;
  for (auto count : histogram.counts) total += count;
  EXPECT_EQ(total, 1000u);
  EXPECT_DOUBLE_EQ(histogram.edges.front(), 0);
  EXPECT_DOUBLE_EQ(histogram.edges.back(), 999 * 0.37);
}

TEST(ProfileTest, InfinitiesAreCountedApartAndWarnedAbout) {
  Table table;
  const double inf = std::numeric_limits<double>::infinity();
  table.add_column(float_column("v", {1, inf, 2, std::nullopt, -inf, 3}));
  table.add_column(int_column("y", {0, 1, 0, 1, 0, 1}));
  for (const std::string target : {"", "y"}) {  // both ways of reading the column
    Profile profile = compute_profile(table, profile_options(target));
    const ColumnProfile& v = column(profile, "v");
    EXPECT_EQ(v.count, 3u);
    EXPECT_EQ(v.missing, 1u);
    EXPECT_EQ(v.numeric->infinite, 2u);
    EXPECT_DOUBLE_EQ(v.numeric->min, 1);
    EXPECT_DOUBLE_EQ(v.numeric->max, 3);
    EXPECT_DOUBLE_EQ(v.numeric->mean, 2);
    std::uint64_t total = 0;
    for (auto count : v.numeric->histogram.counts) total += count;
    EXPECT_EQ(total, 3u);
    EXPECT_TRUE(std::isfinite(v.numeric->histogram.edges.front()));
    EXPECT_TRUE(has_warning(profile, "infinite", "v"));
  }
}

TEST(ProfileTest, WarningsFire) {
  Table table;
  Column id("account", ColumnType::kString);
  Column row_number("row", ColumnType::kInt64);
  Column leak("chargeback", ColumnType::kFloat64);
  Column kind("kind", ColumnType::kString);
  Column sparse("note", ColumnType::kFloat64);
  Column same("country", ColumnType::kString);
  Column label("fraud", ColumnType::kInt64);
  for (int i = 0; i < 80; ++i) {
    bool fraud = i == 7 || i == 30 || i == 61;
    std::string account = "C";
    account += std::to_string(1000 + i);
    id.append_string(account);
    row_number.append_int(i);
    leak.append_float(fraud ? 1000.0 : 0.0);
    kind.append_string(fraud ? "TRANSFER" : (i % 2 ? "PAYMENT" : "CASH_IN"));
    if (i % 3 == 0)
      sparse.append_float(i);
    else
      sparse.append_missing();
    same.append_string("KE");
    label.append_int(fraud ? 1 : 0);
  }
  for (Column* c : {&id, &row_number, &leak, &kind, &sparse, &same, &label})
    table.add_column(std::move(*c));
  Profile profile = compute_profile(table, profile_options("fraud"));
  EXPECT_TRUE(has_warning(profile, "id_like", "account"));
  EXPECT_TRUE(has_warning(profile, "id_like", "row"));
  EXPECT_TRUE(has_warning(profile, "constant", "country"));
  EXPECT_TRUE(has_warning(profile, "high_missing", "note"));
  EXPECT_TRUE(has_warning(profile, "class_imbalance", "fraud"));
  EXPECT_TRUE(has_warning(profile, "target_leak", "chargeback"));
  EXPECT_TRUE(has_warning(profile, "target_leak", "kind"));
  EXPECT_FALSE(has_warning(profile, "target_leak", "account"));  // each ID holds one fraud of 3
  EXPECT_FALSE(has_warning(profile, "target_leak", "row"));
}

TEST(ProfileTest, WarningsStayQuietOnOrdinaryColumns) {
  Table table;
  Column amount("amount", ColumnType::kFloat64);
  Column kind("kind", ColumnType::kString);
  Column step("step", ColumnType::kInt64);
  Column label("fraud", ColumnType::kBool);
  for (int i = 0; i < 200; ++i) {
    amount.append_float((i * 37) % 101 + 0.5);
    kind.append_string(i % 3 == 0 ? "A" : (i % 3 == 1 ? "B" : "C"));
    step.append_int(i / 10);
    label.append_bool(i % 4 == 0);
  }
  for (Column* c : {&amount, &kind, &step, &label}) table.add_column(std::move(*c));
  Profile profile = compute_profile(table, profile_options("fraud"));
  for (const auto& warning : profile.warnings) ADD_FAILURE() << warning.message;
}

TEST(ProfileTest, EmptyInputIsWarnedAbout) {
  Profile no_columns = compute_profile(Table(), profile_options());
  EXPECT_TRUE(has_warning(no_columns, "no_rows", ""));
  Table header_only;
  header_only.add_column(float_column("x", {}));
  header_only.add_column(string_column("s", {}));
  Profile no_rows = compute_profile(header_only, profile_options());
  ASSERT_EQ(no_rows.warnings.size(), 1u);
  EXPECT_EQ(no_rows.warnings[0].kind, "no_rows");
  EXPECT_NE(no_rows.warnings[0].message.find("header but no data rows"), std::string::npos);
  EXPECT_FALSE(has_warning(compute_profile(small_table(), profile_options()), "no_rows", ""));
}

TEST(ProfileTest, UnknownTargetNamesTheColumns) {
  try {
    compute_profile(small_table(), profile_options("nope"));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(error.what()).find("label"), std::string::npos);
  }
}

TEST(ProfileTest, ContinuousTargetHasNoClasses) {
  Table table;
  table.add_column(float_column("price", {1.5, 2.25, 3.75, 4.5}));
  table.add_column(int_column("size", {1, 2, 3, 4}));
  Profile profile = compute_profile(table, profile_options("price"));
  EXPECT_FALSE(profile.target_is_classes);
  EXPECT_TRUE(column(profile, "size").by_class.empty());
  EXPECT_EQ(to_json(profile)["target"]["kind"], "continuous");
}

TEST(ProfileTest, ParallelResultEqualsSerial) {
  Table table;
  Column a("a", ColumnType::kFloat64), b("b", ColumnType::kInt64), t("t", ColumnType::kBool);
  for (int i = 0; i < 300000; ++i) {
    double value = std::sin(i * 0.001) * 1e6 + i;
    if (i % 97 == 0)
      a.append_missing();
    else
      a.append_float(value);
    b.append_int((std::int64_t{i} * 7919) % 10007);
    t.append_bool(i % 13 == 0);
  }
  table.add_column(std::move(a));
  table.add_column(std::move(b));
  table.add_column(std::move(t));
  ProfileOptions serial = profile_options("t");
  serial.threads = 1;
  ProfileOptions parallel = profile_options("t");
  parallel.threads = 4;
  EXPECT_EQ(to_json(compute_profile(table, serial)).dump(),
            to_json(compute_profile(table, parallel)).dump());
}

// `columns` columns of 100 rows: floats of varied values, and a bool target "label".
// Column "leak" (the last) equals the target.
Table wide_table(std::size_t columns) {
  Table table;
  const std::size_t rows = 100;
  for (std::size_t c = 0; c + 2 < columns; ++c) {
    Column column("feature_" + std::to_string(c), ColumnType::kFloat64);
    for (std::size_t r = 0; r < rows; ++r)
      column.append_float(std::sin(static_cast<double>(r * (c + 3) + c)) * 100.0);
    table.add_column(std::move(column));
  }
  Column leak("leak", ColumnType::kFloat64), label("label", ColumnType::kBool);
  for (std::size_t r = 0; r < rows; ++r) {
    leak.append_float(r % 3 == 0 ? 1 : 0);
    label.append_bool(r % 3 == 0);
  }
  table.add_column(std::move(leak));
  table.add_column(std::move(label));
  return table;
}

// The report of a wide table grows with its columns, not with their square: the
// correlation matrix and the per-column charts are bounded.
TEST(ProfileTest, OutputGrowsLinearlyWithColumns) {
  std::size_t json_bytes[2], html_bytes[2];
  const std::size_t widths[2] = {200, 2000};
  for (int i = 0; i < 2; ++i) {
    Profile profile = compute_profile(wide_table(widths[i]), profile_options("label"));
    json_bytes[i] = to_json(profile).dump(2).size();
    html_bytes[i] = render_profile_html(profile, "wide.csv").size();
  }
  const double columns_ratio = static_cast<double>(widths[1]) / widths[0];
  EXPECT_LT(static_cast<double>(json_bytes[1]) / json_bytes[0], 1.3 * columns_ratio)
      << json_bytes[0] << " -> " << json_bytes[1] << " bytes of JSON";
  EXPECT_LT(static_cast<double>(html_bytes[1]) / html_bytes[0], 1.3 * columns_ratio)
      << html_bytes[0] << " -> " << html_bytes[1] << " bytes of HTML";
}

TEST(ProfileTest, WideTableCorrelatesTheColumnsClosestToTheTarget) {
  Profile profile = compute_profile(wide_table(2000), profile_options("label"));
  ASSERT_EQ(profile.correlation_columns.size(), 50u);
  EXPECT_EQ(profile.correlation_left_out.size(), 2000u - 50u);
  EXPECT_NE(profile.correlation_selection.find("most correlated"), std::string::npos);
  // The target and the column that copies it are in the matrix, found among 2,000.
  EXPECT_DOUBLE_EQ(correlation(profile, "leak", "label"), 1.0);
  EXPECT_TRUE(has_warning(profile, "target_leak", "leak"));
  // Every column keeps its correlation with the target, in the matrix or not.
  for (const auto& c : profile.columns)
    if (c.name != "label") {
      EXPECT_TRUE(c.target_correlation.has_value()) << c.name;
    }
  // The same values as an unbounded matrix.
  ProfileOptions unbounded = profile_options("label");
  unbounded.max_correlation_columns = 0;
  Profile full = compute_profile(wide_table(120), unbounded);
  ProfileOptions bounded = profile_options("label");
  bounded.max_correlation_columns = 10;
  Profile part = compute_profile(wide_table(120), bounded);
  EXPECT_EQ(full.correlation_columns.size(), 120u);
  EXPECT_TRUE(full.correlation_left_out.empty());
  for (const auto& a : part.correlation_columns)
    for (const auto& b : part.correlation_columns) {
      double expected = correlation(full, a, b), actual = correlation(part, a, b);
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(actual));
      } else {
        EXPECT_EQ(actual, expected) << a << " x " << b;
      }
    }
  for (std::size_t i = 0; i < full.columns.size(); ++i)
    if (full.columns[i].target_correlation) {
      EXPECT_EQ(*part.columns[i].target_correlation, *full.columns[i].target_correlation);
    }
}

TEST(ProfileReportTest, PageIsSelfContained) {
  Profile profile = compute_profile(small_table(), profile_options("label"));
  std::string html = render_profile_html(profile, "small <table>.csv");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("small &lt;table&gt;.csv"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace archml::data
