// A PaySim-like generator of mobile-money transactions: the schema, number formats and
// published mechanics of the PaySim data set (6,362,620 rows over 743 hourly steps, 8,213
// frauds), at any size. Type and fraud counts are exact proportional shares of the
// published ones (exactly the published counts at 6,362,620 rows). Output is ordered by
// step and depends only on (rows, seed): never on the thread count. docs/paysim.md
// describes the mechanics and their calibration.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace archml::data {

inline constexpr std::uint64_t kPaysimPublishedRows = 6'362'620;
inline constexpr int kPaysimSteps = 743;
inline constexpr std::string_view kPaysimHeader =
    "step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,"
    "newbalanceDest,isFraud,isFlaggedFraud\n";

enum class PaysimType { kCashIn, kCashOut, kDebit, kPayment, kTransfer };
inline constexpr int kPaysimTypeCount = 5;
std::string_view to_string(PaysimType type);

// How many rows of each kind a data set of `rows` rows holds.
struct PaysimCounts {
  std::array<std::uint64_t, kPaysimTypeCount> by_type{};  // indexed by PaysimType, frauds included
  std::uint64_t fraud_transfers = 0;  // each followed by a fraud CASH_OUT of the same amount
  std::uint64_t fraud_cash_outs = 0;  // fraud_transfers paired + a few without a transfer
  std::uint64_t flagged = 0;          // fraud TRANSFERs over 200,000 that isFlaggedFraud marks
  std::uint64_t frauds() const { return fraud_transfers + fraud_cash_outs; }
};
PaysimCounts paysim_counts(std::uint64_t rows);

struct PaysimOptions {
  std::uint64_t rows = 0;  // > 0
  std::uint64_t seed = 0;
  unsigned threads = 0;  // 0 = every core; does not change the output
};

struct PaysimSummary {
  PaysimCounts counts;
  std::uint64_t bytes = 0;  // header included
};

// Receives the CSV text in order, header first, in pieces of a few megabytes.
using TextSink = std::function<void(std::string_view)>;
// Told how many more rows were handed to the sink; for progress bars.
using RowsDone = std::function<void(std::uint64_t)>;

// Generates the data set into `sink`. Throws archml::Error (invalid input) unless
// 0 < rows < 2^32; rethrows whatever the sink throws.
PaysimSummary generate_paysim(const PaysimOptions& options, const TextSink& sink,
                              const RowsDone& on_rows = {});

// Writes the data set to a CSV file, creating its directory if needed. Throws
// archml::Error (I/O) when the file cannot be created or written.
PaysimSummary write_paysim_csv(const PaysimOptions& options, const std::string& path,
                               const RowsDone& on_rows = {});

}  // namespace archml::data
