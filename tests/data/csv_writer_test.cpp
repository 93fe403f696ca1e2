#include "archml/data/csv_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "archml/core/error.h"
#include "archml/data/csv_reader.h"

namespace archml::data {
namespace {

Table sample_table() {
  Table table;
  Column ints("i", ColumnType::kInt64);
  Column floats("f", ColumnType::kFloat64);
  Column bools("b", ColumnType::kBool);
  Column strings("s", ColumnType::kString);
  ints.append_int(-3);
  ints.append_missing();
  ints.append_int(9007199254740993);
  floats.append_float(0.1);
  floats.append_float(1.916920493e7);
  floats.append_missing();
  bools.append_bool(true);
  bools.append_bool(false);
  bools.append_missing();
  strings.append_string("plain");
  strings.append_string("with, comma \"and\" quotes\nand newline");
  strings.append_missing();
  table.add_column(std::move(ints));
  table.add_column(std::move(floats));
  table.add_column(std::move(bools));
  table.add_column(std::move(strings));
  return table;
}

TEST(CsvWriter, WritesHeaderQuotesOnlyWhenNeededAndMissingAsEmpty) {
  std::ostringstream out;
  write_csv(sample_table(), out);
  EXPECT_EQ(out.str(),
            "i,f,b,s\n"
            "-3,0.1,true,plain\n"
            ",19169204.93,false,\"with, comma \"\"and\"\" quotes\nand newline\"\n"
            "9007199254740993,,,\n");
}

TEST(CsvWriter, RoundTripsThroughTheReader) {
  Table original = sample_table();
  auto dir = std::filesystem::temp_directory_path() / "archml_csv_writer_test";
  std::filesystem::create_directories(dir);
  auto path = (dir / "table.csv").string();
  write_csv(original, path);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  CsvOptions options;
  options.progress_label.clear();
  Table again = read_csv(path, options);
  ASSERT_EQ(again.row_count(), original.row_count());
  for (std::size_t c = 0; c < original.column_count(); ++c) {
    ASSERT_EQ(again.column(c).type(), original.column(c).type()) << original.column(c).name();
    for (std::size_t row = 0; row < original.row_count(); ++row) {
      EXPECT_EQ(again.column(c).text(row), original.column(c).text(row));
      EXPECT_EQ(again.column(c).is_missing(row), original.column(c).is_missing(row));
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(CsvWriter, ShortestRoundTripDoubles) {
  Table table;
  Column column("x", ColumnType::kFloat64);
  const double values[] = {0.1 + 0.2, 1e-300, 123456789.123456789, -0.0, 5e22};
  for (double value : values) column.append_float(value);
  table.add_column(std::move(column));
  std::ostringstream out;
  write_csv(table, out);
  CsvOptions options;
  options.progress_label.clear();
  Table again = read_csv_text(out.str(), options);
  for (std::size_t i = 0; i < std::size(values); ++i)
    EXPECT_EQ(again.column(0).floats()[i], values[i]);
  EXPECT_NE(out.str().find("0.30000000000000004"), std::string::npos);
}

TEST(CsvWriter, UnwritablePathIsAnError) {
  EXPECT_THROW(write_csv(sample_table(), std::string("/nonexistent/dir/out.csv")), Error);
}

}  // namespace
}  // namespace archml::data
