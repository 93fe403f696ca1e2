#include "archml/data/csv_reader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../support/paysim_data.h"
#include "archml/core/error.h"
#include "archml/data/number_parse.h"

namespace archml::data {
namespace {

CsvOptions quiet() {
  CsvOptions options;
  options.progress_label.clear();
  return options;
}

Table read(std::string_view text, CsvOptions options = quiet(), CsvReport* report = nullptr) {
  options.progress_label.clear();
  return read_csv_text(text, options, report, "test.csv");
}

std::string error_of(std::string_view text, CsvOptions options = quiet()) {
  try {
    read(text, options);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

std::filesystem::path temp_dir() {
  auto dir = std::filesystem::temp_directory_path() /
             (std::string("archml_csv_test_") +
              std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::create_directories(dir);
  return dir;
}

// Same types, values, missing masks, codes and dictionaries.
void expect_same_table(const Table& expected, const Table& actual, const std::string& label) {
  ASSERT_EQ(actual.row_count(), expected.row_count()) << label;
  ASSERT_EQ(actual.column_count(), expected.column_count()) << label;
  for (std::size_t c = 0; c < expected.column_count(); ++c) {
    const Column& e = expected.column(c);
    const Column& a = actual.column(c);
    ASSERT_EQ(a.name(), e.name()) << label;
    ASSERT_EQ(a.type(), e.type()) << label << " " << e.name();
    EXPECT_EQ(a.missing_mask(), e.missing_mask()) << label << " " << e.name();
    if (e.type() == ColumnType::kString) {
      EXPECT_EQ(a.codes(), e.codes()) << label << " " << e.name();
      ASSERT_EQ(a.dictionary().size(), e.dictionary().size()) << label << " " << e.name();
      for (std::uint32_t code = 0; code < e.dictionary().size(); ++code)
        ASSERT_EQ(a.dictionary().at(code), e.dictionary().at(code)) << label << " " << e.name();
    } else {
      for (std::size_t row = 0; row < e.size(); ++row)
        ASSERT_EQ(a.text(row), e.text(row)) << label << " " << e.name() << " row " << row;
    }
  }
}

// Reads `text` as one chunk on one thread, then in small chunks on several threads,
// and checks both give the same table; returns the first.
Table read_every_way(const std::string& text, CsvOptions options = quiet()) {
  options.threads = 1;
  options.chunk_bytes = text.size() + 1;
  Table expected = read(text, options);
  for (unsigned threads : {1u, 2u, 8u}) {
    for (std::size_t chunk_bytes :
         {std::size_t{64}, std::size_t{1000}, std::size_t{4096}, std::size_t{30000}}) {
      options.threads = threads;
      options.chunk_bytes = chunk_bytes;
      expect_same_table(
          expected, read(text, options),
          "threads " + std::to_string(threads) + " chunk " + std::to_string(chunk_bytes));
    }
  }
  return expected;
}

// "-0" in a float64 column is -0.0 whether the column is already float where it is read
// or turns float in a later chunk, as are "-0.0" and "-0e0". (Found by
// fuzz/csv_reader_fuzz.cpp: the sign depended on where chunks began.)
TEST(CsvReader, NegativeZeroIsTheSameInEveryChunking) {
  const std::string text = "a,b\n2.5,-0.0\n-0,-0e0\n-0000000000000000,1\n";
  CsvOptions options = quiet();
  for (unsigned threads : {1u, 2u}) {
    for (std::size_t chunk_bytes : {std::size_t{1}, std::size_t{3}, text.size() + 1}) {
      options.threads = threads;
      options.chunk_bytes = chunk_bytes;
      const Table table = read(text, options);
      const std::string label = "chunks of " + std::to_string(chunk_bytes);
      const auto& a = table.column("a").floats();
      const auto& b = table.column("b").floats();
      ASSERT_EQ(a.size(), 3u) << label;
      EXPECT_TRUE(std::signbit(a[1]) && a[1] == 0.0) << label;
      EXPECT_TRUE(std::signbit(a[2]) && a[2] == 0.0) << label;
      EXPECT_TRUE(std::signbit(b[0]) && b[0] == 0.0) << label;
      EXPECT_TRUE(std::signbit(b[1]) && b[1] == 0.0) << label;
    }
  }
}

TEST(CsvReader, InfersEachType) {
  Table table = read("i,f,b,s,e\n1,1.5,true,x,1.916920493E7\n-2,2,False,y,3e-2\n");
  ASSERT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.column("i").type(), ColumnType::kInt64);
  EXPECT_EQ(table.column("f").type(), ColumnType::kFloat64);
  EXPECT_EQ(table.column("b").type(), ColumnType::kBool);
  EXPECT_EQ(table.column("s").type(), ColumnType::kString);
  EXPECT_EQ(table.column("e").type(), ColumnType::kFloat64);
  EXPECT_EQ(table.column("i").ints()[1], -2);
  EXPECT_DOUBLE_EQ(table.column("f").floats()[1], 2.0);
  EXPECT_EQ(table.column("b").bools()[1], 0);
  EXPECT_EQ(table.column("s").text(1), "y");
  EXPECT_DOUBLE_EQ(table.column("e").floats()[0], 19169204.93);
  EXPECT_DOUBLE_EQ(table.column("e").floats()[1], 0.03);
}

TEST(CsvReader, MixedKindsBecomeStrings) {
  Table table = read("a,b\n1,true\nx,1\n");
  EXPECT_EQ(table.column("a").type(), ColumnType::kString);
  EXPECT_EQ(table.column("a").text(0), "1");
  EXPECT_EQ(table.column("b").type(), ColumnType::kString);
  EXPECT_EQ(table.column("b").text(0), "true");
}

TEST(CsvReader, QuotedFieldsWithDelimitersQuotesAndNewlines) {
  Table table = read("name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"multi\nline\",plain\n");
  ASSERT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.column("name").text(0), "Smith, J");
  EXPECT_EQ(table.column("note").text(0), "said \"hi\"");
  EXPECT_EQ(table.column("name").text(1), "multi\nline");
  EXPECT_EQ(table.column("note").text(1), "plain");
}

TEST(CsvReader, CrlfAndNoTrailingNewline) {
  Table table = read("a,b\r\n1,x\r\n2,y");
  ASSERT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.column("a").ints()[1], 2);
  EXPECT_EQ(table.column("b").text(0), "x");
  EXPECT_EQ(table.column("b").text(1), "y");
}

TEST(CsvReader, EmptyFieldsAreMissing) {
  Table table = read("a,b,c\n1,,x\n,2.5,\n3,NA,z\n");
  const Column& a = table.column("a");
  EXPECT_EQ(a.type(), ColumnType::kInt64);
  EXPECT_TRUE(a.is_missing(1));
  EXPECT_EQ(a.ints()[2], 3);
  const Column& b = table.column("b");
  EXPECT_EQ(b.type(), ColumnType::kFloat64);
  EXPECT_TRUE(b.is_missing(0));
  EXPECT_TRUE(std::isnan(b.floats()[2]));
  EXPECT_EQ(b.missing_count(), 2u);
  const Column& c = table.column("c");
  EXPECT_EQ(c.codes()[1], Column::kMissingCode);
  EXPECT_EQ(c.dictionary().size(), 2u);
}

TEST(CsvReader, AllMissingColumnIsFloat) {
  Table table = read("a,b\n1,\n2,NA\n");
  EXPECT_EQ(table.column("b").type(), ColumnType::kFloat64);
  EXPECT_EQ(table.column("b").missing_count(), 2u);
}

TEST(CsvReader, CustomMissingTokens) {
  CsvOptions options = quiet();
  options.missing_tokens = {"", "-"};
  Table table = read("a,b\n1,NA\n-,x\n", options);
  EXPECT_EQ(table.column("a").type(), ColumnType::kInt64);
  EXPECT_TRUE(table.column("a").is_missing(1));
  EXPECT_EQ(table.column("b").text(0), "NA");
}

TEST(CsvReader, NoHeaderNamesColumns) {
  CsvOptions options = quiet();
  options.has_header = false;
  Table table = read("1,a\n2,b\n", options);
  ASSERT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.column(0).name(), "column_1");
  EXPECT_EQ(table.column(1).name(), "column_2");
  EXPECT_EQ(table.column("column_1").ints()[0], 1);
}

TEST(CsvReader, DuplicateHeaderNamesGetSuffixes) {
  Table table = read("a,a,b,a,\n1,2,3,4,5\n");
  EXPECT_EQ(table.column(0).name(), "a");
  EXPECT_EQ(table.column(1).name(), "a.1");
  EXPECT_EQ(table.column(3).name(), "a.2");
  EXPECT_EQ(table.column(4).name(), "Unnamed: 4");
}

TEST(CsvReader, Utf8PassesThrough) {
  Table table = read("\xEF\xBB\xBFville,n\nSão Paulo,1\n東京,2\n");
  EXPECT_EQ(table.column(0).name(), "ville");
  EXPECT_EQ(table.column("ville").text(0), "São Paulo");
  EXPECT_EQ(table.column("ville").text(1), "東京");
}

// docs/csv.md, "Text encoding": a header name must be UTF-8; in values, bytes that are
// not become U+FFFD, the same whatever the chunking, and values that then agree merge.
TEST(CsvReader, InvalidUtf8HeaderIsRefusedWithItsPosition) {
  std::string message = error_of("id,caf\xE9,n\n1,2,3\n");
  EXPECT_NE(message.find("column 2 in the header ('caf\xEF\xBF\xBD') is not valid UTF-8"),
            std::string::npos)
      << message;
  CsvOptions no_header = quiet();
  no_header.has_header = false;
  EXPECT_EQ(read("caf\xE9,1\n", no_header).column("column_1").text(0), "caf\xEF\xBF\xBD");
}

TEST(CsvReader, InvalidUtf8ValuesReadAsReplacementCharacters) {
  std::string text = "city,n\n";
  for (int row = 0; row < 500; ++row) {
    const char* cities[] = {"caf\xE9",          "Z\xFCrich", "caf\xE8",
                            "S\xC3\xA3o Paulo", "Oslo",      "caf\xEF\xBF\xBD"};
    text += std::string(cities[row % 6]) + "," + std::to_string(row) + "\n";
  }
  CsvReport report;
  Table table = read(text, quiet(), &report);
  EXPECT_EQ(report.invalid_utf8_values, 3u);
  const Column& city = table.column("city");
  EXPECT_EQ(city.text(0), "caf\xEF\xBF\xBD");
  EXPECT_EQ(city.text(1), "Z\xEF\xBF\xBDrich");
  EXPECT_EQ(city.text(3), "S\xC3\xA3o Paulo");
  // caf\xE9, caf\xE8 and a real "caf\uFFFD" are one value now, with the first's code.
  EXPECT_EQ(city.codes()[2], city.codes()[0]);
  EXPECT_EQ(city.codes()[5], city.codes()[0]);
  EXPECT_EQ(city.dictionary().size(), 4u);
  read_every_way(text);
  // A number column that turns to text late is checked too.
  Table late = read("x\n1\n2\n\xFF\n");
  EXPECT_EQ(late.column("x").text(2), "\xEF\xBF\xBD");
}

TEST(CsvReader, FifoIsReadToItsEnd) {
  std::filesystem::path dir = temp_dir();
  std::string path = (dir / "rows.csv").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::string text = "a,b\n";
  for (int row = 0; row < 50000; ++row)
    text += std::to_string(row) + ",x" + std::to_string(row % 7) + "\n";
  std::thread writer([&] {
    std::ofstream out(path, std::ios::binary);
    out << text;
  });
  CsvOptions options = quiet();
  Table table = read_csv(path, options);
  writer.join();
  ASSERT_EQ(table.row_count(), 50000u);
  EXPECT_EQ(table.column("a").ints()[49999], 49999);
  EXPECT_EQ(table.column("b").text(8), "x1");
  std::filesystem::remove_all(dir);
}

TEST(CsvReader, HugeField) {
  std::string big(1 << 20, 'x');
  big[1000] = ',';
  big[5000] = '\n';
  Table table = read("a,b\n\"" + big + "\",1\n" + big.substr(0, 999) + ",2\n");
  ASSERT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.column("a").text(0), big);
  EXPECT_EQ(table.column("b").ints()[1], 2);
}

TEST(CsvReader, EmptyAndHeaderOnlyInputs) {
  CsvReport report;
  Table empty = read("", quiet(), &report);
  EXPECT_EQ(empty.row_count(), 0u);
  EXPECT_EQ(report.rows, 0u);
  Table header_only = read("a,b\n");
  EXPECT_EQ(header_only.column_count(), 2u);
  EXPECT_EQ(header_only.row_count(), 0u);
  Table no_newline = read("a,b");
  EXPECT_EQ(no_newline.column_count(), 2u);
}

TEST(CsvReader, RaggedRowNamesFileLineAndColumn) {
  std::string message = error_of("a,b,c\n1,2,3\n4,5\n");
  EXPECT_NE(message.find("test.csv"), std::string::npos) << message;
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("column 3 'c'"), std::string::npos) << message;
  EXPECT_NE(message.find("2 fields, expected 3"), std::string::npos) << message;
  message = error_of("a,b\n\"x\ny\",1\n1,2,3\n");
  EXPECT_NE(message.find("line 4"), std::string::npos) << message;
  EXPECT_NE(message.find("3 fields, expected 2"), std::string::npos) << message;
}

TEST(CsvReader, UnterminatedQuote) {
  std::string message = error_of("a,b\n1,2\n3,\"open\n4,5\n");
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("column 2 'b'"), std::string::npos) << message;
  EXPECT_NE(message.find("closing quote"), std::string::npos) << message;
}

TEST(CsvReader, SchemaOverridesInference) {
  CsvOptions options = quiet();
  options.schema = {
      {"id", ColumnType::kString}, {"flag", ColumnType::kBool}, {"x", ColumnType::kFloat64}};
  Table table = read("id,flag,x\n007,1,2\n008,0,\n", options);
  EXPECT_EQ(table.column("id").type(), ColumnType::kString);
  EXPECT_EQ(table.column("id").text(0), "007");
  EXPECT_EQ(table.column("flag").type(), ColumnType::kBool);
  EXPECT_EQ(table.column("flag").bools()[0], 1);
  EXPECT_EQ(table.column("x").type(), ColumnType::kFloat64);
  EXPECT_TRUE(table.column("x").is_missing(1));
}

TEST(CsvReader, SchemaErrors) {
  CsvOptions options = quiet();
  options.schema = {{"missing_column", ColumnType::kInt64}};
  std::string message = error_of("a\n1\n", options);
  EXPECT_NE(message.find("missing_column"), std::string::npos) << message;

  options.schema = {{"n", ColumnType::kInt64}};
  message = error_of("s,n\nx,1\ny,abc\n", options);
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("column 2 'n'"), std::string::npos) << message;
  EXPECT_NE(message.find("\"abc\""), std::string::npos) << message;
}

TEST(CsvReader, LenientSkipsAndCountsBadRows) {
  CsvOptions options = quiet();
  options.lenient = true;
  options.schema = {{"n", ColumnType::kInt64}};
  CsvReport report;
  Table table = read("s,n\nx,1\ny,2,3\nz,abc\nw,4\n", options, &report);
  EXPECT_EQ(table.row_count(), 2u);
  EXPECT_EQ(report.rows, 2u);
  EXPECT_EQ(report.skipped_rows, 2u);
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_NE(report.problems[0].find("line 3"), std::string::npos);
  EXPECT_NE(report.problems[1].find("line 4"), std::string::npos);
  EXPECT_EQ(table.column("s").dictionary().size(), 2u);  // skipped rows leave no values
  EXPECT_EQ(table.column("n").ints()[1], 4);
}

TEST(CsvReader, MissingFileIsNotFound) {
  try {
    read_csv("/nonexistent/archml/file.csv", quiet());
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(error.what()).find("/nonexistent/archml/file.csv"), std::string::npos);
  }
}

TEST(CsvReader, ReadsGzipFiles) {
  auto path = temp_dir() / "small.csv.gz";
  std::string text = "a,b\n1,x\n2,y\n";
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  Table table = read_csv(path.string(), quiet());
  ASSERT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.column("b").text(1), "y");
  std::filesystem::remove_all(path.parent_path());
}

// Threads fill different columns at once, each column taking chunks in file order:
// IDs that turn out mostly distinct, an int column meeting a real number, a numeric
// column meeting a word (the earlier chunks are read again), a column missing until
// late, and bad rows skipped in lenient mode must all give the one-thread table and
// report.
TEST(CsvReader, ColumnsFilledByManyThreadsEqualOneThread) {
  std::mt19937 random(21);
  std::string text = "id,dest,kind,count,ratio,late_word,late_value,flag\n";
  for (int row = 0; row < 6000; ++row) {
    text.append("C").append(std::to_string(random())).append(",");
    text.append("M").append(std::to_string(random() % 2500)).append(",");
    text.append(random() % 3 ? "PAYMENT," : "\"CASH,OUT\",");
    text += row == 4000 ? "2.5," : std::to_string(random() % 1000) + ",";
    text.append(std::to_string(random() % 1000)).append(".").append(std::to_string(row % 10));
    text += row == 5100 ? ",word," : "," + std::to_string(row % 4) + ",";
    text += row < 3000 ? "," : std::to_string(row) + ",";
    text += row % 2 ? "true" : "false";
    if (row % 997 == 0) text += ",extra";  // a ragged row
    text += "\n";
  }
  CsvOptions lenient = quiet();
  lenient.lenient = true;
  lenient.threads = 1;
  lenient.chunk_bytes = text.size() + 1;
  CsvReport expected_report;
  Table expected = read(text, lenient, &expected_report);
  EXPECT_EQ(expected.column("count").type(), ColumnType::kFloat64);
  EXPECT_EQ(expected.column("late_word").type(), ColumnType::kString);
  EXPECT_EQ(expected.column("late_value").type(), ColumnType::kInt64);
  EXPECT_GT(expected_report.skipped_rows, 0u);
  for (unsigned threads : {2u, 3u, 8u}) {
    for (std::size_t chunk_bytes : {std::size_t{97}, std::size_t{2048}, std::size_t{20000}}) {
      lenient.threads = threads;
      lenient.chunk_bytes = chunk_bytes;
      CsvReport report;
      const std::string label =
          "threads " + std::to_string(threads) + " chunk " + std::to_string(chunk_bytes);
      expect_same_table(expected, read(text, lenient, &report), label);
      EXPECT_EQ(report.rows, expected_report.rows) << label;
      EXPECT_EQ(report.skipped_rows, expected_report.skipped_rows) << label;
      EXPECT_EQ(report.problems, expected_report.problems) << label;
    }
  }
}

// A file with quoted newlines, missing values, type changes late in the file and
// repeated strings, read in tiny chunks on many threads, must equal one-chunk reading.
TEST(CsvReader, ManyChunksEqualOneChunk) {
  std::mt19937 random(7);
  std::string text = "id,amount,name,note,late\n";
  for (int row = 0; row < 20000; ++row) {
    text += std::to_string(row) + ",";
    if (random() % 17 == 0)
      text += "";
    else
      text.append(std::to_string(random() % 100000))
          .append(".")
          .append(std::to_string(random() % 100));
    text.append(",C").append(std::to_string(random() % 5000)).append(",");
    if (random() % 5 == 0)
      text += "\"line one\nline \"\"two\"\", end\"";
    else
      text.append("n").append(std::to_string(row % 7));
    text += ",";
    text += row == 15000 ? "word" : std::to_string(row % 3);
    text += row % 2 ? "\n" : "\r\n";
  }
  auto path = temp_dir() / "chunks.csv";
  std::ofstream(path) << text;

  CsvOptions single = quiet();
  single.threads = 1;
  single.chunk_bytes = text.size() * 2;
  CsvOptions many = quiet();
  many.threads = 8;
  many.chunk_bytes = 4096;
  Table expected = read_csv(path.string(), single);
  Table actual = read_csv(path.string(), many);
  ASSERT_EQ(expected.row_count(), 20000u);
  ASSERT_EQ(actual.row_count(), expected.row_count());
  ASSERT_EQ(actual.column_count(), expected.column_count());
  EXPECT_EQ(actual.column("late").type(), ColumnType::kString);
  for (std::size_t c = 0; c < expected.column_count(); ++c) {
    const Column& e = expected.column(c);
    const Column& a = actual.column(c);
    ASSERT_EQ(a.type(), e.type()) << e.name();
    EXPECT_EQ(a.missing_mask(), e.missing_mask()) << e.name();
    if (e.type() == ColumnType::kString) {
      EXPECT_EQ(a.codes(), e.codes()) << e.name();
      ASSERT_EQ(a.dictionary().size(), e.dictionary().size());
      for (std::uint32_t code = 0; code < e.dictionary().size(); ++code)
        ASSERT_EQ(a.dictionary().at(code), e.dictionary().at(code));
    } else {
      for (std::size_t row = 0; row < e.size(); ++row) ASSERT_EQ(a.text(row), e.text(row));
    }
  }
  // The error line must also be right when chunk boundaries cut quoted newlines.
  std::string broken = text + "1,2,3\n";
  std::ofstream(path) << broken;
  try {
    read_csv(path.string(), many);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    EXPECT_NE(std::string(error.what())
                  .find(std::string("line ").append(std::to_string(lines + 1)).append(",")),
              std::string::npos)
        << error.what();
  }
  std::filesystem::remove_all(path.parent_path());
}

TEST(CsvReader, IntColumnBecomesFloatInALateChunk) {
  std::string text = "n,m\n";
  for (int row = 0; row < 3000; ++row)
    text += (row == 2900 ? std::string("2.5") : std::to_string(row)) + "," +
            (row % 10 == 3 ? std::string("") : std::to_string(row)) + "\n";
  Table table = read_every_way(text);
  EXPECT_EQ(table.column("n").type(), ColumnType::kFloat64);
  EXPECT_DOUBLE_EQ(table.column("n").floats()[7], 7.0);
  EXPECT_DOUBLE_EQ(table.column("n").floats()[2900], 2.5);
  EXPECT_EQ(table.column("m").type(), ColumnType::kInt64);
  EXPECT_TRUE(table.column("m").is_missing(3));
}

// A float column holds -0.0 for "-0" whether the rows before it in its chunk were read
// as ints (then promoted) or as floats, and whatever the chunk boundaries.
TEST(CsvReader, NegativeZeroKeepsItsSignInEveryChunking) {
  std::string text = "x,n\n";
  std::vector<std::size_t> negative_zero_rows;
  for (int row = 0; row < 400; ++row) {
    bool zero = row % 7 == 3;
    if (zero) negative_zero_rows.push_back(static_cast<std::size_t>(row));
    text += (zero ? std::string("-0") : std::to_string(row)) + "," + std::to_string(row) + "\n";
    if (row == 200) text += "2.5,0\n";  // the column becomes float64 half-way
  }
  for (std::size_t& row : negative_zero_rows)
    if (row > 200) ++row;  // the 2.5 row
  for (unsigned threads : {1u, 3u}) {
    for (std::size_t chunk_bytes :
         {std::size_t{8}, std::size_t{50}, std::size_t{333}, std::size_t{1000}, text.size() + 1}) {
      CsvOptions options = quiet();
      options.threads = threads;
      options.chunk_bytes = chunk_bytes;
      Table table = read(text, options);
      const Column& x = table.column("x");
      ASSERT_EQ(x.type(), ColumnType::kFloat64);
      for (std::size_t row : negative_zero_rows) {
        ASSERT_EQ(x.floats()[row], 0.0);
        ASSERT_TRUE(std::signbit(x.floats()[row]))
            << "row " << row << " threads " << threads << " chunk " << chunk_bytes;
      }
      EXPECT_FALSE(std::signbit(x.floats()[0]));
    }
  }
  // An int column keeps 0 (an int has no negative zero), as pandas reads it.
  Table ints = read("n\n-0\n3\n");
  EXPECT_EQ(ints.column("n").type(), ColumnType::kInt64);
  EXPECT_EQ(ints.column("n").ints()[0], 0);
}

TEST(CsvReader, NumbersThenAWordInALateChunkBecomeText) {
  std::string text = "id,late,early,flag\n";
  for (int row = 0; row < 3000; ++row) {
    text += std::to_string(row) + ",";
    text += row == 2950 ? std::string("word") : std::to_string(row % 50) + ".5";
    text += ",";
    // Text first, then a long run of numbers: later chunks see only numbers.
    text += row < 5 ? std::string("x") + std::to_string(row) : std::to_string(row % 7);
    text += ",";
    text += row < 2000 ? (row % 2 ? "true" : "false") : std::to_string(row % 2);
    text += "\n";
  }
  Table table = read_every_way(text);
  const Column& late = table.column("late");
  ASSERT_EQ(late.type(), ColumnType::kString);
  EXPECT_EQ(late.text(0), "0.5");
  EXPECT_EQ(late.text(2950), "word");
  EXPECT_EQ(late.dictionary().at(0), "0.5");  // codes follow first appearance
  const Column& early = table.column("early");
  ASSERT_EQ(early.type(), ColumnType::kString);
  EXPECT_EQ(early.text(6), "6");
  EXPECT_EQ(table.column("flag").type(), ColumnType::kString);
  EXPECT_EQ(table.column("flag").text(2001), "1");
  EXPECT_EQ(table.column("id").type(), ColumnType::kInt64);
}

TEST(CsvReader, MissingRunsAcrossChunksKeepTheirKind) {
  std::string text = "a,b,c\n";
  for (int row = 0; row < 2000; ++row) {
    text += row < 1500 ? "," : std::to_string(row) + ",";              // all missing, then ints
    text += row < 1500 ? "NA," : "s" + std::to_string(row % 3) + ",";  // missing, then text
    text += row >= 1000 ? "\n" : "1.5\n";                              // floats, then missing
  }
  Table table = read_every_way(text);
  EXPECT_EQ(table.column("a").type(), ColumnType::kInt64);
  EXPECT_EQ(table.column("a").missing_count(), 1500u);
  EXPECT_EQ(table.column("b").type(), ColumnType::kString);
  EXPECT_EQ(table.column("b").codes()[0], Column::kMissingCode);
  EXPECT_EQ(table.column("b").text(1500), "s0");
  EXPECT_EQ(table.column("c").type(), ColumnType::kFloat64);
  EXPECT_TRUE(std::isnan(table.column("c").floats()[1999]));
}

TEST(CsvReader, StringCodesDoNotDependOnThreads) {
  std::mt19937 random(11);
  std::string text = "who,n\n";
  for (int row = 0; row < 5000; ++row)
    text += "C" + std::to_string(random() % 3000) + "," + std::to_string(row) + "\n";
  Table table = read_every_way(text);
  const Column& who = table.column("who");
  std::vector<std::string> order;
  for (std::size_t row = 0; row < who.size(); ++row)
    if (who.codes()[row] == order.size()) order.push_back(who.text(row));
  EXPECT_EQ(order.size(), who.dictionary().size());
}

// IDs unique at first (chunks then skip deduplicating them), repeated later, with
// missing values and a quoted one: codes must still follow first appearance.
TEST(CsvReader, MostlyDistinctIdsKeepFirstAppearanceCodes) {
  std::string text = "id,n\n";
  for (int row = 0; row < 6000; ++row) {
    int id = row < 3000 ? row : (row * 7) % 3500;
    text += row % 97 == 5 ? std::string("") : row % 89 == 3 ? "\"C,1\"" : "C" + std::to_string(id);
    text += "," + std::to_string(row) + "\n";
  }
  Table table = read_every_way(text);
  const Column& id = table.column("id");
  ASSERT_EQ(id.type(), ColumnType::kString);
  std::vector<std::string> order;
  for (std::size_t row = 0; row < id.size(); ++row) {
    if (id.is_missing(row)) continue;
    if (id.codes()[row] == order.size()) order.push_back(id.text(row));
    ASSERT_LT(id.codes()[row], order.size());
    ASSERT_EQ(id.dictionary().at(id.codes()[row]), id.text(row));
  }
  EXPECT_EQ(order.size(), id.dictionary().size());
  EXPECT_EQ(id.dictionary().at(0), "C0");
}

TEST(CsvReader, FastPathEdgeCasesMatchTheGeneralRules) {
  Table table = read_every_way(
      "i,f,s,last\n"
      "1,1.5,a,x\n"
      "+2,-2.5,b,y\r\n"
      "3,nan,NA,z\n"
      "4,inf,\"q,uoted\",\n"
      "12345678901234567890,1e3,a\rb,w\n"
      "5,+6,c,v");
  EXPECT_EQ(table.column("i").type(), ColumnType::kFloat64);  // too big for int64
  EXPECT_DOUBLE_EQ(table.column("i").floats()[1], 2.0);
  const Column& f = table.column("f");
  EXPECT_TRUE(f.is_missing(2));
  EXPECT_TRUE(std::isinf(f.floats()[3]));
  EXPECT_DOUBLE_EQ(f.floats()[5], 6.0);
  EXPECT_TRUE(table.column("s").is_missing(2));
  EXPECT_EQ(table.column("s").text(3), "q,uoted");
  EXPECT_EQ(table.column("s").text(4), "a\rb");
  EXPECT_TRUE(table.column("last").is_missing(3));
  EXPECT_EQ(table.column("last").text(5), "v");

  CsvOptions dash = quiet();
  dash.missing_tokens = {"", "-"};
  Table dashed = read_every_way("n\n-1\n-\n2\n", dash);
  EXPECT_EQ(dashed.column("n").ints()[0], -1);
  EXPECT_TRUE(dashed.column("n").is_missing(1));
}

TEST(CsvReader, SchemaColumnsInSmallChunks) {
  std::string text = "id,flag,x\n";
  for (int row = 0; row < 2000; ++row)
    text += "00" + std::to_string(row % 40) + "," + std::to_string(row % 2) + "," +
            (row % 9 ? std::to_string(row) : std::string("")) + "\n";
  CsvOptions options = quiet();
  options.schema = {
      {"id", ColumnType::kString}, {"flag", ColumnType::kBool}, {"x", ColumnType::kFloat64}};
  Table table = read_every_way(text, options);
  EXPECT_EQ(table.column("id").text(1), "001");
  EXPECT_EQ(table.column("flag").type(), ColumnType::kBool);
  EXPECT_EQ(table.column("x").type(), ColumnType::kFloat64);
  EXPECT_TRUE(table.column("x").is_missing(9));
}

TEST(CsvReader, SimpleDecimalsMatchTheGeneralParser) {
  std::mt19937_64 random(3);
  for (int i = 0; i < 200000; ++i) {
    std::string text = random() % 2 ? "-" : "";
    text += std::to_string(random() % (std::uint64_t{1} << (random() % 50)));
    if (random() % 4 != 0) {
      text += ".";
      std::string fraction = std::to_string(random());
      text += fraction.substr(0, random() % 12);
    }
    double general = 0;
    double simple = 0;
    ASSERT_TRUE(parse_float64(text, general)) << text;
    const char* end = parse_simple_decimal(text.data(), text.data() + text.size(), simple);
    if (end == nullptr) continue;  // too many digits: left to the general parser
    ASSERT_EQ(end, text.data() + text.size()) << text;
    ASSERT_EQ(std::memcmp(&general, &simple, sizeof general), 0) << text;
    // Inside a row the digits are read a word at a time up to the delimiter.
    const std::string row = text + ",C1231006815,0.0\n";
    double in_row = 0;
    ASSERT_EQ(parse_simple_decimal(row.data(), row.data() + row.size(), in_row),
              row.data() + text.size())
        << text;
    ASSERT_EQ(std::memcmp(&general, &in_row, sizeof general), 0) << text;
    // An exponent (1.916920493E7) is left to the general parser, in a row or not.
    const std::string scientific = text + "E7";
    ASSERT_EQ(
        parse_simple_decimal(scientific.data(), scientific.data() + scientific.size(), in_row),
        nullptr)
        << scientific;
    const std::string scientific_row = scientific + ",C1231006815,0.0\n";
    ASSERT_EQ(parse_simple_decimal(scientific_row.data(),
                                   scientific_row.data() + scientific_row.size(), in_row),
              nullptr)
        << scientific_row;
  }
}

TEST(CsvReader, PaysimSample) {
  const std::string path = testing::paysim_sample_path();
  if (path.empty()) GTEST_SKIP() << testing::kPaysimSampleAbsent;
  CsvReport report;
  Table table = read_csv(path, quiet(), &report);
  EXPECT_EQ(table.row_count(), 4999u);
  EXPECT_EQ(report.rows, 4999u);
  ASSERT_EQ(table.column_count(), 11u);
  EXPECT_DOUBLE_EQ(table.column("amount").floats()[0], 9839.64);
  EXPECT_EQ(table.column("nameOrig").text(0), "C1231006815");
  EXPECT_EQ(table.column("type").text(0), "PAYMENT");
  const std::vector<std::pair<std::string, ColumnType>> types = {
      {"step", ColumnType::kInt64},
      {"type", ColumnType::kString},
      {"amount", ColumnType::kFloat64},
      {"nameOrig", ColumnType::kString},
      {"oldbalanceOrg", ColumnType::kFloat64},
      {"newbalanceOrig", ColumnType::kFloat64},
      {"nameDest", ColumnType::kString},
      {"oldbalanceDest", ColumnType::kFloat64},
      {"newbalanceDest", ColumnType::kFloat64},
      {"isFraud", ColumnType::kInt64},
      {"isFlaggedFraud", ColumnType::kInt64}};
  for (const auto& [name, type] : types) EXPECT_EQ(table.column(name).type(), type) << name;
  EXPECT_LE(table.column("type").dictionary().size(), 5u);
  CsvOptions small_chunks = quiet();
  small_chunks.chunk_bytes = 1000;
  small_chunks.threads = 4;
  Table chunked = read_csv(path, small_chunks);
  EXPECT_EQ(chunked.column("nameDest").codes(), table.column("nameDest").codes());
  EXPECT_EQ(chunked.column("amount").floats(), table.column("amount").floats());
}

}  // namespace
}  // namespace archml::data

namespace archml::data {
namespace {

// Keeping some columns gives exactly those columns of the full read, in file order,
// whatever the chunking; skipped fields may hold quotes, words or nothing.
TEST(CsvReaderColumns, KeepsOnlyNamedColumnsInFileOrder) {
  std::string text = "id,amount,note,label\n";
  for (int row = 0; row < 3000; ++row) {
    text += "C" + std::to_string(row * 7919) + "," + std::to_string(row % 97) + ".5,";
    text += row % 5 == 0 ? "\"a, \"\"quoted\"\"\nnote\"" : row % 7 == 0 ? "" : "plain";
    text += "," + std::to_string(row % 2) + "\n";
  }
  const Table full = read(text);
  CsvOptions options = quiet();
  options.columns = {"label", "amount"};
  const Table kept = read_every_way(text, options);
  ASSERT_EQ(kept.column_count(), 2u);
  EXPECT_EQ(kept.column(std::size_t{0}).name(), "amount");
  EXPECT_EQ(kept.column(std::size_t{1}).name(), "label");
  ASSERT_EQ(kept.row_count(), full.row_count());
  for (std::size_t row = 0; row < full.row_count(); row += 101) {
    EXPECT_EQ(kept.column("amount").text(row), full.column("amount").text(row));
    EXPECT_EQ(kept.column("label").text(row), full.column("label").text(row));
  }
}

TEST(CsvReaderColumns, SkippedColumnsStillCountFields) {
  CsvOptions options = quiet();
  options.columns = {"a"};
  EXPECT_NE(error_of("a,b,c\n1,2,3\n4,5\n", options).find("line 3"), std::string::npos);
  // A value that would not parse as its schema type is not checked when skipped.
  options.schema = {{"b", ColumnType::kInt64}};
  EXPECT_EQ(read("a,b\n1,x\n", options).column("a").ints(), (std::vector<std::int64_t>{1}));
}

TEST(CsvReaderColumns, UnknownColumnIsAnErrorNamingTheColumns) {
  CsvOptions options = quiet();
  options.columns = {"a", "missing"};
  const std::string message = error_of("a,b\n1,2\n", options);
  EXPECT_NE(message.find("'missing'"), std::string::npos) << message;
  EXPECT_NE(message.find("a, b"), std::string::npos) << message;
}

}  // namespace
}  // namespace archml::data
