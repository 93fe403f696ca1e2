#include "archml/data/paysim.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "archml/core/error.h"
#include "archml/data/java_double.h"

namespace archml::data {
namespace {

std::string generate(std::uint64_t rows, std::uint64_t seed, unsigned threads = 2) {
  std::string text;
  generate_paysim({rows, seed, threads}, [&](std::string_view piece) { text.append(piece); });
  return text;
}

// The generator's own output is simple enough to split by hand; this keeps the test
// independent of the CSV reader.
struct Record {
  int step;
  std::string type;
  double amount;
  std::string name_orig;
  double old_orig, new_orig;
  std::string name_dest;
  double old_dest, new_dest;
  int fraud, flagged;
};

std::vector<Record> parse(const std::string& text) {
  std::vector<Record> records;
  std::size_t line_start = text.find('\n') + 1;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    std::vector<std::string> fields;
    std::size_t field_start = line_start;
    for (std::size_t i = line_start; i <= line_end; ++i) {
      if (i == line_end || text[i] == ',') {
        fields.emplace_back(text.substr(field_start, i - field_start));
        field_start = i + 1;
      }
    }
    EXPECT_EQ(fields.size(), 11u);
    auto number = [](const std::string& s) { return std::strtod(s.c_str(), nullptr); };
    records.push_back({std::atoi(fields[0].c_str()), fields[1], number(fields[2]), fields[3],
                       number(fields[4]), number(fields[5]), fields[6], number(fields[7]),
                       number(fields[8]), std::atoi(fields[9].c_str()),
                       std::atoi(fields[10].c_str())});
    line_start = line_end + 1;
  }
  return records;
}

TEST(JavaDouble, MatchesDoubleToString) {
  EXPECT_EQ(java_double_string(0.0), "0.0");
  EXPECT_EQ(java_double_string(-0.0), "-0.0");
  EXPECT_EQ(java_double_string(9839.64), "9839.64");
  EXPECT_EQ(java_double_string(170136.0), "170136.0");
  EXPECT_EQ(java_double_string(1.916920493e7), "1.916920493E7");
  EXPECT_EQ(java_double_string(1e7), "1.0E7");
  EXPECT_EQ(java_double_string(0.01), "0.01");
  EXPECT_EQ(java_double_string(9999999.99), "9999999.99");
  EXPECT_EQ(java_double_string(0.001), "0.001");
  EXPECT_EQ(java_double_string(0.0001), "1.0E-4");
  EXPECT_EQ(java_double_string(1.5e-5), "1.5E-5");
  EXPECT_EQ(java_double_string(92445516.64), "9.244551664E7");
  EXPECT_EQ(java_double_string(-123.5), "-123.5");
  EXPECT_EQ(java_double_string(1e21), "1.0E21");
  EXPECT_EQ(java_double_string(0.1 + 0.2), "0.30000000000000004");
}

TEST(JavaDouble, CentsPathAgreesWithTheGeneralOne) {
  auto cents_text = [](std::int64_t cents) {
    char buffer[kJavaDoubleMaxChars];
    return std::string(buffer, format_java_cents(cents, buffer));
  };
  EXPECT_EQ(cents_text(0), "0.0");
  EXPECT_EQ(cents_text(1), "0.01");
  EXPECT_EQ(cents_text(10), "0.1");
  EXPECT_EQ(cents_text(983964), "9839.64");
  EXPECT_EQ(cents_text(999999999), "9999999.99");
  EXPECT_EQ(cents_text(1'000'000'000), "1.0E7");
  EXPECT_EQ(cents_text(1'916'920'493), "1.916920493E7");
  std::uint64_t state = 12345;
  for (int i = 0; i < 200000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    // Magnitudes from one cent to ~10^13 currency units, both signs.
    int digits = 1 + static_cast<int>((state >> 59) % 15);
    std::int64_t cents = static_cast<std::int64_t>((state >> 8) % 1'000'000'000'000'000ull);
    for (int d = digits; d < 15; ++d) cents /= 10;
    if (i % 7 == 0) cents = -cents;
    ASSERT_EQ(cents_text(cents), java_double_string(static_cast<double>(cents) / 100.0)) << cents;
  }
}

TEST(Paysim, CountsAreExactlyThePublishedOnesAtFullSize) {
  PaysimCounts counts = paysim_counts(kPaysimPublishedRows);
  EXPECT_EQ(counts.by_type[static_cast<int>(PaysimType::kCashOut)], 2'237'500u);
  EXPECT_EQ(counts.by_type[static_cast<int>(PaysimType::kPayment)], 2'151'495u);
  EXPECT_EQ(counts.by_type[static_cast<int>(PaysimType::kCashIn)], 1'399'284u);
  EXPECT_EQ(counts.by_type[static_cast<int>(PaysimType::kTransfer)], 532'909u);
  EXPECT_EQ(counts.by_type[static_cast<int>(PaysimType::kDebit)], 41'432u);
  EXPECT_EQ(counts.fraud_transfers, 4'097u);
  EXPECT_EQ(counts.fraud_cash_outs, 4'116u);
  EXPECT_EQ(counts.frauds(), 8'213u);
  EXPECT_EQ(counts.flagged, 16u);
}

TEST(Paysim, CountsScaleProportionallyAndAddUp) {
  for (std::uint64_t rows : {1ull, 2ull, 7ull, 1000ull, 20000ull, 636262ull, 12725240ull}) {
    PaysimCounts counts = paysim_counts(rows);
    std::uint64_t sum = 0;
    for (std::uint64_t n : counts.by_type) sum += n;
    EXPECT_EQ(sum, rows);
    EXPECT_GE(counts.fraud_cash_outs, counts.fraud_transfers);
    double scale = static_cast<double>(rows) / static_cast<double>(kPaysimPublishedRows);
    EXPECT_NEAR(static_cast<double>(counts.by_type[static_cast<int>(PaysimType::kCashOut)]),
                2'237'500 * scale, 1.0);
    EXPECT_NEAR(static_cast<double>(counts.frauds()), 8'213 * scale, 2.0);
  }
  PaysimCounts doubled = paysim_counts(2 * kPaysimPublishedRows);
  EXPECT_EQ(doubled.frauds(), 2u * 8'213u);
  EXPECT_EQ(doubled.by_type[static_cast<int>(PaysimType::kDebit)], 2u * 41'432u);
}

TEST(Paysim, SameSeedSameBytesWhateverTheThreads) {
  std::string one_thread = generate(100'000, 7, 1);
  EXPECT_EQ(one_thread, generate(100'000, 7, 2));
  EXPECT_EQ(one_thread, generate(100'000, 7, 5));
  EXPECT_NE(one_thread, generate(100'000, 8, 2));
}

TEST(Paysim, GeneratedRowsMatchTheCounts) {
  constexpr std::uint64_t kRows = 300'000;
  std::string text = generate(kRows, 1);
  ASSERT_EQ(text.substr(0, kPaysimHeader.size()), kPaysimHeader);
  std::vector<Record> records = parse(text);
  ASSERT_EQ(records.size(), kRows);
  PaysimCounts expected = paysim_counts(kRows);
  std::map<std::string, std::uint64_t> by_type;
  std::uint64_t fraud_transfers = 0, fraud_cash_outs = 0, flagged = 0;
  for (const Record& r : records) {
    ++by_type[r.type];
    fraud_transfers += r.fraud && r.type == "TRANSFER";
    fraud_cash_outs += r.fraud && r.type == "CASH_OUT";
    flagged += r.flagged;
  }
  for (int t = 0; t < kPaysimTypeCount; ++t) {
    EXPECT_EQ(by_type[std::string(to_string(static_cast<PaysimType>(t)))], expected.by_type[t])
        << to_string(static_cast<PaysimType>(t));
  }
  EXPECT_EQ(fraud_transfers, expected.fraud_transfers);
  EXPECT_EQ(fraud_cash_outs, expected.fraud_cash_outs);
  EXPECT_EQ(flagged, expected.flagged);
}

TEST(Paysim, FraudAndMerchantMechanics) {
  // Large enough that a few transactions are flagged.
  std::vector<Record> records = parse(generate(800'000, 3));
  int previous_step = 1;
  std::uint64_t flagged = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    ASSERT_GE(r.step, previous_step) << "rows must be ordered by step";
    ASSERT_LE(r.step, kPaysimSteps);
    previous_step = r.step;
    ASSERT_TRUE(r.name_orig[0] == 'C');
    if (r.name_dest[0] == 'M') {
      EXPECT_EQ(r.type, "PAYMENT");
      EXPECT_EQ(r.old_dest, 0.0);
      EXPECT_EQ(r.new_dest, 0.0);
    }
    if (r.type == "PAYMENT") {
      EXPECT_EQ(r.name_dest[0], 'M');
    }
    if (r.flagged) {
      ++flagged;
      EXPECT_EQ(r.fraud, 1);
      EXPECT_EQ(r.type, "TRANSFER");
      EXPECT_GT(r.amount, 200'000.0);
    }
    if (r.fraud) {
      EXPECT_TRUE(r.type == "TRANSFER" || r.type == "CASH_OUT");
    }
    if (r.fraud && r.type == "TRANSFER") {
      EXPECT_LE(r.amount, 10'000'000.0);
      EXPECT_EQ(r.old_dest, 0.0);  // a fresh mule account
      EXPECT_EQ(r.new_dest, 0.0);
      if (!r.flagged) {
        EXPECT_NEAR(r.new_orig, r.old_orig - r.amount, 0.005) << "the victim is emptied";
        if (r.amount < 10'000'000.0) {
          EXPECT_EQ(r.new_orig, 0.0);
        }
      }
      ASSERT_LT(i + 1, records.size());
      const Record& cash_out = records[i + 1];
      EXPECT_EQ(cash_out.type, "CASH_OUT");
      EXPECT_EQ(cash_out.fraud, 1);
      EXPECT_EQ(cash_out.amount, r.amount);
      EXPECT_EQ(cash_out.step, r.step);
    }
  }
  EXPECT_EQ(flagged, paysim_counts(800'000).flagged);
  EXPECT_GT(flagged, 0u);
}

TEST(Paysim, LegitBalancesMostlyFollowTheArithmetic) {
  std::vector<Record> records = parse(generate(50'000, 11));
  std::uint64_t outgoing = 0, consistent = 0;
  for (const Record& r : records) {
    if (r.fraud || r.type == "CASH_IN") continue;
    ++outgoing;
    double expected = r.old_orig > r.amount ? r.old_orig - r.amount : 0.0;
    consistent += std::abs(r.new_orig - expected) < 0.005;
  }
  EXPECT_GT(static_cast<double>(consistent), 0.95 * static_cast<double>(outgoing));
}

TEST(Paysim, RejectsZeroRows) {
  try {
    generate(0, 1);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
  }
}

TEST(Paysim, UnwritablePathIsAnIoError) {
  try {
    write_paysim_csv({10, 1, 1}, "/dev/null/not-a-directory/paysim.csv");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
  }
}

}  // namespace
}  // namespace archml::data
