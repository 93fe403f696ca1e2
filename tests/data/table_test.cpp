#include "archml/data/table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "archml/core/error.h"

namespace archml::data {
namespace {

TEST(Column, AppendKeepsValuesAndMissingMask) {
  Column amount("amount", ColumnType::kFloat64);
  amount.append_float(1.5);
  EXPECT_TRUE(amount.missing_mask().empty());  // no mask until a value is missing
  amount.append_missing();
  amount.append_float(-2);
  ASSERT_EQ(amount.size(), 3u);
  EXPECT_EQ(amount.missing_count(), 1u);
  EXPECT_FALSE(amount.is_missing(0));
  EXPECT_TRUE(amount.is_missing(1));
  EXPECT_TRUE(std::isnan(amount.number(1)));
  EXPECT_EQ(amount.number(2), -2);
  EXPECT_EQ(amount.text(0), "1.5");
  EXPECT_EQ(amount.text(1), "");
}

TEST(Column, FirstValueMissingIsRecorded) {
  Column step("step", ColumnType::kInt64);
  step.append_missing();
  step.append_int(3);
  ASSERT_EQ(step.missing_mask().size(), 2u);
  EXPECT_TRUE(step.is_missing(0));
  EXPECT_FALSE(step.is_missing(1));
  EXPECT_EQ(step.missing_count(), 1u);
}

TEST(Column, StringsShareDictionaryCodes) {
  Column type("type", ColumnType::kString);
  for (const char* value : {"PAYMENT", "TRANSFER", "PAYMENT", "CASH_OUT"})
    type.append_string(value);
  EXPECT_EQ(type.dictionary().size(), 3u);
  EXPECT_EQ(type.codes()[0], type.codes()[2]);
  EXPECT_EQ(type.dictionary().at(type.codes()[3]), "CASH_OUT");
  EXPECT_EQ(type.text(1), "TRANSFER");
  EXPECT_THROW(type.number(0), Error);
  EXPECT_FALSE(type.is_numeric());
}

TEST(Column, IntsAndBoolsReadAsNumbers) {
  Column step("step", ColumnType::kInt64);
  step.append_int(743);
  Column flag("isFraud", ColumnType::kBool);
  flag.append_bool(true);
  flag.append_missing();
  EXPECT_EQ(step.number(0), 743);
  EXPECT_EQ(flag.number(0), 1);
  EXPECT_TRUE(std::isnan(flag.number(1)));
  EXPECT_EQ(flag.text(0), "true");
}

TEST(Table, KeepOnlyDropsOtherColumnsInOrder) {
  Table table;
  for (const char* name : {"id", "amount", "type", "label"}) {
    Column column(name, ColumnType::kInt64);
    column.append_int(1);
    column.append_int(2);
    table.add_column(std::move(column));
  }
  table.keep_only({"label", "amount", "not-there"});
  ASSERT_EQ(table.column_count(), 2u);
  EXPECT_EQ(table.column(std::size_t{0}).name(), "amount");
  EXPECT_EQ(table.column(std::size_t{1}).name(), "label");
  EXPECT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.find("id"), -1);
}

TEST(Table, FindsColumnsAndRejectsMismatchedLengths) {
  Table table;
  Column a("a", ColumnType::kInt64);
  a.append_int(1);
  a.append_int(2);
  table.add_column(std::move(a));
  Column b("b", ColumnType::kInt64);
  b.append_int(1);
  EXPECT_THROW(table.add_column(std::move(b)), Error);
  EXPECT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.find("a"), 0);
  EXPECT_EQ(table.find("zzz"), -1);
  try {
    table.column("zzz");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(error.what()).find("the columns are: a"), std::string::npos);
  }
}

// Values of every short length, including ones with zero bytes and the empty string,
// then values too long for a record: every code keeps its value across the repacking.
TEST(Table, AnEmptyTableSaysSoWhenAColumnIsAskedFor) {
  Table empty;
  try {
    empty.column("isFraud");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("the input is empty"), std::string::npos)
        << error.what();
  }
}

TEST(Dictionary, AsciiCheckCoversRecordsAndPackedValues) {
  Dictionary dictionary;
  dictionary.append(std::string_view("Paris"));
  EXPECT_TRUE(dictionary.is_ascii());
  dictionary.append(std::string_view("a value longer than fifteen bytes"));
  EXPECT_TRUE(dictionary.is_ascii());
  dictionary.append(std::string_view("S\xC3\xA3o"));
  EXPECT_FALSE(dictionary.is_ascii());
  Dictionary records;
  records.append(std::string_view("fifteen bytes!\xE9"));  // the last of 15 bytes
  EXPECT_FALSE(records.is_ascii());
}

TEST(Dictionary, ShortValuesSurviveTheSwitchToPackedStorage) {
  std::vector<std::string> values;
  for (std::size_t length = 0; length <= Dictionary::kMaxRecordLength; ++length)
    values.push_back(std::string(length, static_cast<char>('a' + length)));
  values.push_back(std::string("a\0b", 3));
  values.push_back(std::string(Dictionary::kMaxRecordLength, '\0'));
  Dictionary dictionary;
  dictionary.reserve(4, 40);
  std::size_t length = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(dictionary.append(values[i]), i);
    length += values[i].size();
  }
  for (std::size_t i = 0; i < values.size(); ++i) ASSERT_EQ(dictionary.at(i), values[i]);
  EXPECT_EQ(dictionary.byte_size(), length);
  EXPECT_TRUE(dictionary.prefetch(0));  // records: the value is one access away

  values.push_back(std::string(Dictionary::kRecordBytes, 'L'));
  values.push_back("after");
  values.push_back(std::string(1000, 'M'));
  for (std::size_t i = values.size() - 3; i < values.size(); ++i) {
    ASSERT_EQ(dictionary.append(values[i]), i);
    length += values[i].size();
  }
  ASSERT_EQ(dictionary.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) ASSERT_EQ(dictionary.at(i), values[i]) << i;
  EXPECT_EQ(dictionary.byte_size(), length);
  EXPECT_FALSE(dictionary.prefetch(0));  // packed: the offset comes first

  dictionary.clear();
  EXPECT_EQ(dictionary.size(), 0u);
  EXPECT_EQ(dictionary.byte_size(), 0u);
  EXPECT_EQ(dictionary.append("again"), 0u);
  EXPECT_EQ(dictionary.append("more"), 1u);
  EXPECT_EQ(dictionary.at(0), "again");
  EXPECT_EQ(dictionary.at(1), "more");
  EXPECT_TRUE(dictionary.prefetch(1));
}

TEST(Dictionary, ShortValuesCostARecordEach) {
  Dictionary dictionary;
  for (int i = 0; i < 1000; ++i) dictionary.append("C" + std::to_string(1000000000 + i));
  EXPECT_EQ(dictionary.byte_size(), 11000u);
  EXPECT_LE(dictionary.memory_bytes(), 2 * 1000 * Dictionary::kRecordBytes);
}

TEST(ColumnType, ParsesNamesAndRejectsUnknown) {
  EXPECT_EQ(parse_column_type("int"), ColumnType::kInt64);
  EXPECT_EQ(parse_column_type("double"), ColumnType::kFloat64);
  EXPECT_EQ(parse_column_type("category"), ColumnType::kString);
  EXPECT_EQ(parse_column_type("bool"), ColumnType::kBool);
  EXPECT_THROW(parse_column_type("decimal"), Error);
  EXPECT_EQ(to_string(ColumnType::kFloat64), "float64");
}

}  // namespace
}  // namespace archml::data
