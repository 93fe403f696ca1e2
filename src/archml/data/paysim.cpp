#include "archml/data/paysim.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <numeric>
#include <vector>

#include "archml/core/atomic_file.h"
#include "archml/core/error.h"
#include "archml/core/parallel.h"
#include "archml/data/java_double.h"

namespace archml::data {
namespace {

// ---------------------------------------------------------------------------------------
// Randomness. Our own generator and normal variates (not <random>'s distributions, whose
// algorithms differ between standard libraries) so that a seed means the same bytes
// everywhere.

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t state = a ^ (b * 0xD1B54A32D192ED03ull);
  splitmix64(state);
  return splitmix64(state);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  // xoshiro256**
  std::uint64_t next() {
    std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  // Uniform in [0, n) by multiply-shift; the bias (n / 2^64) is far below anything visible.
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }

  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53;  // never 0
    double u2 = uniform();
    double radius = std::sqrt(-2.0 * std::log(u1));
    double angle = 6.283185307179586 * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

// Streams of one seed that must never overlap.
constexpr std::uint64_t kPlanStream = 0x504C414E;   // row layout and every fraud row
constexpr std::uint64_t kBlockStream = 0x424C4F43;  // legit rows, one generator a block
constexpr std::uint64_t kPoolStream = 0x504F4F4C;   // names of the shared destination pool

// ---------------------------------------------------------------------------------------
// Published counts of the full data set and their proportional shares.

constexpr std::int64_t kCent = 1;
constexpr std::int64_t kUnit = 100 * kCent;
constexpr std::int64_t kTransferCap = 10'000'000 * kUnit;  // PaySim's per-transfer limit
constexpr std::int64_t kFlagThreshold = 200'000 * kUnit;

// The full data set as categories whose shares are allocated together, so that their sum
// is always `rows`. Fraud pairs count two rows each.
enum Category {
  kLegitCashIn,
  kLegitCashOut,
  kLegitDebit,
  kLegitPayment,
  kLegitTransfer,
  kFraudPairRows,
  kLoneFraudCashOut,
  kCategoryCount
};
constexpr std::uint64_t kPublished[kCategoryCount] = {
    1'399'284,          // CASH_IN
    2'237'500 - 4'116,  // CASH_OUT without the frauds
    41'432,             // DEBIT
    2'151'495,          // PAYMENT
    532'909 - 4'097,    // TRANSFER without the frauds
    2 * 4'097,          // fraud TRANSFER + its CASH_OUT
    4'116 - 4'097,      // fraud CASH_OUTs with no fraud TRANSFER in the data
};
constexpr std::uint64_t kPublishedFlagged = 16;

// Largest-remainder shares of `total` in proportion to `weights` (ties: earlier first).
template <typename Weight>
std::vector<std::uint64_t> largest_remainder(std::uint64_t total,
                                             const std::vector<Weight>& weights) {
  double weight_sum = 0;
  for (Weight w : weights) weight_sum += static_cast<double>(w);
  std::vector<std::uint64_t> shares(weights.size());
  std::vector<double> remainders(weights.size());
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    double quota = static_cast<double>(total) * static_cast<double>(weights[i]) / weight_sum;
    shares[i] = static_cast<std::uint64_t>(std::floor(quota));
    remainders[i] = quota - std::floor(quota);
    given += shares[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t k = 0; given < total; ++k, ++given) ++shares[order[k % order.size()]];
  return shares;
}

// Exact integer version for the category counts: no rounding can move a row.
std::vector<std::uint64_t> category_shares(std::uint64_t rows) {
  using U128 = unsigned __int128;
  std::vector<std::uint64_t> shares(kCategoryCount);
  std::vector<std::uint64_t> remainders(kCategoryCount);
  std::uint64_t given = 0;
  for (int i = 0; i < kCategoryCount; ++i) {
    U128 scaled = static_cast<U128>(rows) * kPublished[i];
    shares[i] = static_cast<std::uint64_t>(scaled / kPaysimPublishedRows);
    remainders[i] = static_cast<std::uint64_t>(scaled % kPaysimPublishedRows);
    given += shares[i];
  }
  std::vector<int> order(kCategoryCount);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return remainders[a] > remainders[b]; });
  for (int k = 0; given < rows; ++k, ++given) ++shares[order[k]];
  // Pairs need an even row count; the odd row becomes an unpaired fraud CASH_OUT.
  if (shares[kFraudPairRows] % 2 == 1) {
    --shares[kFraudPairRows];
    ++shares[kLoneFraudCashOut];
  }
  return shares;
}

// ---------------------------------------------------------------------------------------
// Time: 743 hourly steps. Legit activity follows the hour of day and fades after step
// ~400; frauds are spread uniformly over all steps, so the fraud rate is highest at
// night and late in the month, as in the real data.

double hour_weight(int hour) {
  static constexpr double kByHour[24] = {0.05, 0.07, 0.03, 0.015, 0.015, 0.02, 0.05, 0.18,
                                         0.55, 0.92, 0.95, 0.97,  1.00,  0.97, 0.93, 0.90,
                                         0.88, 0.87, 0.90, 0.85,  0.70,  0.45, 0.25, 0.10};
  return kByHour[hour];
}

double step_weight(int step) {
  int day = (step - 1) / 24;
  double weekly = 1.0 + 0.2 * std::sin(6.283185307179586 * day / 7.0);
  double season = step <= 400 ? 1.0 : 0.015;
  return hour_weight(step % 24) * weekly * season;
}

// ---------------------------------------------------------------------------------------
// Per-type calibration (docs/paysim.md): amounts are log-normal; an origin balance is 0
// with some probability, else log-normal and often a whole number (an opening balance
// never touched); a destination balance likewise.

struct TypeModel {
  double amount_mu, amount_sigma, amount_cap;
  double origin_zero, origin_mu, origin_sigma, origin_whole;
  double origin_consistent;  // P(newbalanceOrig follows the arithmetic)
  double dest_zero, dest_mu, dest_sigma, dest_whole;
  double dest_consistent;  // P(newbalanceDest = oldbalanceDest +- amount)
  double dest_new_zero;    // P(newbalanceDest = 0 | not consistent)
};

// Indexed by PaysimType.
constexpr TypeModel kModels[kPaysimTypeCount] = {
    // CASH_IN: rich origins (agents) whose balance grows; destination pays the cash.
    {11.8, 0.85, 1'915'267.90, 0.004, 14.79, 1.50, 0.05, 0.88, 0.011, 13.44, 1.81, 0.10, 0.25,
     0.06},
    // CASH_OUT
    {11.8, 0.90, 10'000'000.00, 0.65, 10.70, 2.07, 0.71, 0.984, 0.018, 13.04, 1.77, 0.16, 0.19,
     0.08},
    // DEBIT
    {7.95, 1.00, 569'077.51, 0.008, 9.90, 1.83, 0.89, 0.985, 0.0, 11.06, 1.89, 0.27, 0.30, 0.20},
    // PAYMENT: to merchants, whose balances the data never shows (always 0.0).
    {8.8, 1.00, 238'637.98, 0.16, 10.40, 2.05, 0.74, 0.968, 1.0, 0, 0, 0, 0, 0},
    // TRANSFER
    {12.8, 1.30, 92'445'516.64, 0.58, 10.60, 2.35, 0.87, 0.998, 0.093, 12.94, 2.36, 0.22, 0.17,
     0.05},
};

constexpr double kFraudBalanceMu = 12.997;  // ln 441,000: median fraud amount of the real data
constexpr double kFraudBalanceSigma = 1.55;

std::int64_t to_cents(double units) {
  return std::llround(units * 100.0);
}

std::int64_t lognormal_cents(Rng& rng, double mu, double sigma, double cap) {
  double value = std::min(std::exp(mu + sigma * rng.normal()), cap);
  return std::max<std::int64_t>(to_cents(value), 1);
}

std::int64_t balance_cents(Rng& rng, double zero, double mu, double sigma, double whole) {
  if (rng.chance(zero)) return 0;
  double value = std::exp(mu + sigma * rng.normal());
  return rng.chance(whole) ? to_cents(std::round(value)) : to_cents(value);
}

// The destination's balances are end-of-step snapshots in the real data, so they often
// disagree with the single transaction; model that as noise of the order of the amount.
std::int64_t next_dest_balance(Rng& rng, const TypeModel& model, std::int64_t old_balance,
                               std::int64_t delta) {
  if (rng.chance(model.dest_consistent)) return std::max<std::int64_t>(old_balance + delta, 0);
  if (rng.chance(model.dest_new_zero)) return 0;
  double noise = static_cast<double>(std::llabs(delta)) * std::exp(0.3 + 1.2 * rng.normal());
  if (rng.chance(0.45)) noise = -noise;
  return std::llabs(old_balance + delta + std::llround(noise));  // reflected, not piled on 0
}

std::uint32_t random_name(Rng& rng) {
  return static_cast<std::uint32_t>(rng.next() >> 33);
}

// ---------------------------------------------------------------------------------------
// Rows and their text.

struct Row {
  int step = 0;
  PaysimType type = PaysimType::kPayment;
  std::int64_t amount = 0;
  std::uint32_t name_orig = 0;
  std::int64_t old_orig = 0, new_orig = 0;
  char dest_prefix = 'C';
  std::uint32_t name_dest = 0;
  std::int64_t old_dest = 0, new_dest = 0;
  bool fraud = false, flagged = false;
};

constexpr std::size_t kMaxRowChars = 256;

char* append(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

char* append_uint(char* out, std::uint64_t value) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, value);
  return append(out, std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
}

char* format_row(const Row& row, char* out) {
  out = append_uint(out, static_cast<std::uint64_t>(row.step));
  *out++ = ',';
  out = append(out, to_string(row.type));
  *out++ = ',';
  out = format_java_cents(row.amount, out);
  *out++ = ',';
  *out++ = 'C';
  out = append_uint(out, row.name_orig);
  *out++ = ',';
  out = format_java_cents(row.old_orig, out);
  *out++ = ',';
  out = format_java_cents(row.new_orig, out);
  *out++ = ',';
  *out++ = row.dest_prefix;
  out = append_uint(out, row.name_dest);
  *out++ = ',';
  out = format_java_cents(row.old_dest, out);
  *out++ = ',';
  out = format_java_cents(row.new_dest, out);
  *out++ = ',';
  *out++ = row.fraud ? '1' : '0';
  *out++ = ',';
  *out++ = row.flagged ? '1' : '0';
  *out++ = '\n';
  return out;
}

// Destination customers recur across rows (the real data has ~9 % as many distinct
// C destinations as rows); a pool index names the same account in every block.
class DestinationPool {
 public:
  DestinationPool(std::uint64_t seed, std::uint64_t rows)
      : seed_(mix(seed, kPoolStream)), size_(std::max<std::uint64_t>(rows * 9 / 100, 1)) {}
  std::uint32_t draw(Rng& rng) const {
    return static_cast<std::uint32_t>(mix(seed_, rng.below(size_)) >> 33);
  }

 private:
  std::uint64_t seed_;
  std::uint64_t size_;
};

Row legit_row(Rng& rng, PaysimType type, int step, const DestinationPool& pool) {
  const TypeModel& model = kModels[static_cast<int>(type)];
  Row row;
  row.step = step;
  row.type = type;
  row.amount = lognormal_cents(rng, model.amount_mu, model.amount_sigma, model.amount_cap);
  row.name_orig = random_name(rng);
  row.old_orig = balance_cents(rng, model.origin_zero, model.origin_mu, model.origin_sigma,
                               model.origin_whole);
  bool incoming = type == PaysimType::kCashIn;
  if (incoming) {
    double u = rng.uniform();
    if (u < model.origin_consistent) {
      row.new_orig = row.old_orig + row.amount;
    } else if (u < 0.99) {  // the simulator's float arithmetic is off by a cent now and then
      row.new_orig = row.old_orig + row.amount + (rng.chance(0.5) ? kCent : -kCent);
    } else {
      row.new_orig = row.old_orig;
    }
  } else {
    row.new_orig = rng.chance(model.origin_consistent)
                       ? std::max<std::int64_t>(row.old_orig - row.amount, 0)
                       : row.old_orig;
  }
  if (type == PaysimType::kPayment) {
    row.dest_prefix = 'M';
    row.name_dest = random_name(rng);
    return row;  // merchants: 0.0, 0.0
  }
  row.name_dest = pool.draw(rng);
  row.old_dest =
      balance_cents(rng, model.dest_zero, model.dest_mu, model.dest_sigma, model.dest_whole);
  row.new_dest = next_dest_balance(rng, model, row.old_dest, incoming ? -row.amount : row.amount);
  return row;
}

// ---------------------------------------------------------------------------------------
// The plan: which kind of row sits where, made serially (it is cheap), so that blocks of
// rows can then be generated independently. Fraud rows are few and made in full here,
// because a fraud pair may straddle two blocks.

constexpr std::uint8_t kFraudKind = kPaysimTypeCount;  // kinds below it are PaysimType values
constexpr std::uint64_t kBlockRows = 32'768;  // fixed: the output must not depend on threads

struct Plan {
  std::vector<std::uint8_t> kinds;               // one per row
  std::vector<std::uint64_t> step_begin;         // first row of each step; [0] unused
  std::vector<Row> fraud_rows;                   // in row order
  std::vector<std::uint64_t> block_fraud_begin;  // index into fraud_rows of each block
  std::uint64_t flagged = 0;
};

// One fraud incident: a victim emptied by TRANSFER/CASH_OUT pairs (several when the balance
// exceeds the transfer cap), or a lone fraud CASH_OUT.
struct FraudUnit {
  int step;
  std::uint32_t first_row;  // into fraud_rows as built before placement
  std::uint32_t row_count;
};

Row fraud_cash_out(Rng& rng, int step, std::int64_t amount, std::int64_t old_orig,
                   const DestinationPool& pool) {
  const TypeModel& model = kModels[static_cast<int>(PaysimType::kCashOut)];
  Row row;
  row.step = step;
  row.type = PaysimType::kCashOut;
  row.amount = amount;
  row.name_orig = random_name(rng);  // the real data names the mule anew here
  row.old_orig = old_orig;
  row.new_orig = 0;
  row.name_dest = pool.draw(rng);
  row.old_dest = rng.chance(0.5) ? 0 : balance_cents(rng, 0, 13.0, 1.8, 0.3);
  row.new_dest =
      rng.chance(0.4) ? row.old_dest + amount : next_dest_balance(rng, model, row.old_dest, amount);
  row.fraud = true;
  return row;
}

Plan make_plan(std::uint64_t rows, std::uint64_t seed, const PaysimCounts& counts,
               const std::vector<std::uint64_t>& shares) {
  Rng rng(mix(seed, kPlanStream));
  DestinationPool pool(seed, rows);
  Plan plan;

  // Fraud incidents, in creation order; placed in time below.
  std::vector<Row> made;
  std::vector<FraudUnit> units;
  std::uint64_t pairs_left = counts.fraud_transfers;
  while (pairs_left > 0) {
    std::int64_t balance = lognormal_cents(rng, kFraudBalanceMu, kFraudBalanceSigma, 9.2e7);
    std::uint64_t pairs = static_cast<std::uint64_t>((balance + kTransferCap - 1) / kTransferCap);
    if (pairs > pairs_left) {
      pairs = pairs_left;
      balance = std::min<std::int64_t>(balance, static_cast<std::int64_t>(pairs) * kTransferCap);
    }
    int step = 1 + static_cast<int>(rng.below(kPaysimSteps));
    units.push_back(
        {step, static_cast<std::uint32_t>(made.size()), static_cast<std::uint32_t>(2 * pairs)});
    for (std::uint64_t p = 0; p < pairs; ++p) {
      Row transfer;
      transfer.step = step;
      transfer.type = PaysimType::kTransfer;
      transfer.amount = std::min(balance, kTransferCap);
      transfer.name_orig = random_name(rng);
      transfer.old_orig = balance;
      transfer.new_orig = balance - transfer.amount;
      transfer.name_dest = random_name(rng);  // a fresh mule: 0.0 before and after
      transfer.fraud = true;
      made.push_back(transfer);
      made.push_back(fraud_cash_out(rng, step, transfer.amount, transfer.amount, pool));
      balance -= transfer.amount;
    }
    pairs_left -= pairs;
  }
  for (std::uint64_t i = 0; i < shares[kLoneFraudCashOut]; ++i) {
    int step = 1 + static_cast<int>(rng.below(kPaysimSteps));
    std::int64_t amount = lognormal_cents(rng, 12.2, 1.2, 1e7);
    std::int64_t old_orig =
        rng.chance(0.5) ? 0
                        : static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(amount)));
    units.push_back({step, static_cast<std::uint32_t>(made.size()), 1});
    made.push_back(fraud_cash_out(rng, step, amount, old_orig, pool));
  }

  // isFlaggedFraud: the simulator's rule stopped a few large fraud transfers, leaving the
  // victim's balance untouched.
  std::vector<std::size_t> eligible;
  for (std::size_t i = 0; i < made.size(); ++i) {
    if (made[i].type == PaysimType::kTransfer && made[i].amount > kFlagThreshold)
      eligible.push_back(i);
  }
  std::uint64_t flagged = std::min<std::uint64_t>(counts.flagged, eligible.size());
  for (std::uint64_t k = 0; k < flagged; ++k) {
    std::swap(eligible[k], eligible[k + rng.below(eligible.size() - k)]);
    Row& row = made[eligible[k]];
    row.flagged = true;
    row.new_orig = row.old_orig;
  }
  plan.flagged = flagged;

  // Legit kinds in random order, then cut into steps by the daily rhythm.
  std::vector<std::uint8_t> legit;
  std::uint64_t legit_rows = 0;
  for (int c = kLegitCashIn; c <= kLegitTransfer; ++c) legit_rows += shares[c];
  legit.reserve(legit_rows);
  static constexpr PaysimType kCategoryType[] = {PaysimType::kCashIn, PaysimType::kCashOut,
                                                 PaysimType::kDebit, PaysimType::kPayment,
                                                 PaysimType::kTransfer};
  for (int c = kLegitCashIn; c <= kLegitTransfer; ++c)
    legit.insert(legit.end(), shares[c], static_cast<std::uint8_t>(kCategoryType[c]));
  for (std::uint64_t i = legit.size(); i > 1; --i) std::swap(legit[i - 1], legit[rng.below(i)]);
  std::vector<double> weights(kPaysimSteps);
  for (int s = 1; s <= kPaysimSteps; ++s) weights[s - 1] = step_weight(s);
  std::vector<std::uint64_t> legit_per_step = largest_remainder(legit_rows, weights);

  std::stable_sort(units.begin(), units.end(),
                   [](const FraudUnit& a, const FraudUnit& b) { return a.step < b.step; });

  // Lay out each step: its legit rows with the fraud incidents dropped in at random slots.
  plan.kinds.resize(rows);
  plan.step_begin.assign(kPaysimSteps + 2, 0);
  plan.fraud_rows.reserve(made.size());
  std::uint64_t row = 0, legit_cursor = 0;
  std::size_t unit = 0;
  std::vector<std::pair<std::uint64_t, std::size_t>> slots;
  for (int s = 1; s <= kPaysimSteps; ++s) {
    plan.step_begin[s] = row;
    std::uint64_t legit_here = legit_per_step[s - 1];
    slots.clear();
    for (; unit < units.size() && units[unit].step == s; ++unit)
      slots.emplace_back(rng.below(legit_here + 1), unit);
    std::sort(slots.begin(), slots.end());
    std::uint64_t placed = 0;
    for (const auto& [slot, u] : slots) {
      for (; placed < slot; ++placed) plan.kinds[row++] = legit[legit_cursor++];
      for (std::uint32_t k = 0; k < units[u].row_count; ++k) {
        plan.kinds[row++] = kFraudKind;
        plan.fraud_rows.push_back(made[units[u].first_row + k]);
      }
    }
    for (; placed < legit_here; ++placed) plan.kinds[row++] = legit[legit_cursor++];
  }
  plan.step_begin[kPaysimSteps + 1] = row;
  if (row != rows) throw Error(ErrorKind::kInternal, "PaySim plan lost rows");

  std::uint64_t blocks = (rows + kBlockRows - 1) / kBlockRows;
  plan.block_fraud_begin.resize(blocks);
  std::uint64_t frauds_before = 0;
  for (std::uint64_t b = 0; b < blocks; ++b) {
    plan.block_fraud_begin[b] = frauds_before;
    std::uint64_t end = std::min(rows, (b + 1) * kBlockRows);
    for (std::uint64_t r = b * kBlockRows; r < end; ++r)
      frauds_before += plan.kinds[r] == kFraudKind;
  }
  return plan;
}

std::string format_block(const Plan& plan, std::uint64_t block, std::uint64_t seed,
                         const DestinationPool& pool) {
  std::uint64_t begin = block * kBlockRows;
  std::uint64_t end = std::min<std::uint64_t>(plan.kinds.size(), begin + kBlockRows);
  Rng rng(mix(mix(seed, kBlockStream), block));
  std::string text;
  text.resize((end - begin) * kMaxRowChars);
  char* out = text.data();
  int step =
      static_cast<int>(std::upper_bound(plan.step_begin.begin() + 1, plan.step_begin.end(), begin) -
                       plan.step_begin.begin()) -
      1;
  std::uint64_t fraud = plan.block_fraud_begin[block];
  for (std::uint64_t r = begin; r < end; ++r) {
    while (plan.step_begin[step + 1] <= r) ++step;
    std::uint8_t kind = plan.kinds[r];
    if (kind == kFraudKind) {
      out = format_row(plan.fraud_rows[fraud++], out);
    } else {
      out = format_row(legit_row(rng, static_cast<PaysimType>(kind), step, pool), out);
    }
  }
  text.resize(static_cast<std::size_t>(out - text.data()));
  return text;
}

}  // namespace

std::string_view to_string(PaysimType type) {
  switch (type) {
    case PaysimType::kCashIn:
      return "CASH_IN";
    case PaysimType::kCashOut:
      return "CASH_OUT";
    case PaysimType::kDebit:
      return "DEBIT";
    case PaysimType::kPayment:
      return "PAYMENT";
    case PaysimType::kTransfer:
      return "TRANSFER";
  }
  return "?";
}

PaysimCounts paysim_counts(std::uint64_t rows) {
  std::vector<std::uint64_t> shares = category_shares(rows);
  PaysimCounts counts;
  counts.fraud_transfers = shares[kFraudPairRows] / 2;
  counts.fraud_cash_outs = counts.fraud_transfers + shares[kLoneFraudCashOut];
  auto at = [&](PaysimType type) -> std::uint64_t& {
    return counts.by_type[static_cast<int>(type)];
  };
  at(PaysimType::kCashIn) = shares[kLegitCashIn];
  at(PaysimType::kCashOut) = shares[kLegitCashOut] + counts.fraud_cash_outs;
  at(PaysimType::kDebit) = shares[kLegitDebit];
  at(PaysimType::kPayment) = shares[kLegitPayment];
  at(PaysimType::kTransfer) = shares[kLegitTransfer] + counts.fraud_transfers;
  using U128 = unsigned __int128;
  counts.flagged = static_cast<std::uint64_t>(
      (static_cast<U128>(rows) * kPublishedFlagged * 2 + kPaysimPublishedRows) /
      (2 * kPaysimPublishedRows));
  return counts;
}

PaysimSummary generate_paysim(const PaysimOptions& options, const TextSink& sink,
                              const RowsDone& on_rows) {
  if (options.rows == 0) throw_invalid("the number of rows must be at least 1");
  if (options.rows > (std::uint64_t{1} << 32) - 1)
    throw_invalid("at most 4,294,967,295 rows can be generated at once");
  PaysimSummary summary;
  summary.counts = paysim_counts(options.rows);
  Plan plan = make_plan(options.rows, options.seed, summary.counts, category_shares(options.rows));
  summary.counts.flagged = plan.flagged;
  DestinationPool pool(options.seed, options.rows);

  sink(kPaysimHeader);
  summary.bytes = kPaysimHeader.size();

  // Blocks are formatted in parallel and handed to the sink strictly in order: a finished
  // block waits for its predecessors, which parallel_for has already started.
  std::uint64_t blocks = plan.block_fraud_begin.size();
  std::mutex mutex;
  std::condition_variable turn;
  std::uint64_t next_block = 0;
  bool aborted = false;
  core::parallel_for(
      blocks,
      [&](std::size_t block) {
        try {
          std::string text = format_block(plan, block, options.seed, pool);
          std::unique_lock<std::mutex> lock(mutex);
          turn.wait(lock, [&] { return next_block == block || aborted; });
          if (aborted) return;
          sink(text);
          summary.bytes += text.size();
          ++next_block;
          std::uint64_t rows_here =
              std::min<std::uint64_t>(options.rows - block * kBlockRows, kBlockRows);
          if (on_rows) on_rows(rows_here);
          turn.notify_all();
        } catch (...) {
          {
            std::lock_guard<std::mutex> lock(mutex);
            aborted = true;
          }
          turn.notify_all();
          throw;
        }
      },
      options.threads);
  return summary;
}

PaysimSummary write_paysim_csv(const PaysimOptions& options, const std::string& path,
                               const RowsDone& on_rows) {
  if (options.rows == 0) throw_invalid("the number of rows must be at least 1");
  std::filesystem::path file(path);
  if (file.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    if (error)
      throw_io("cannot create the directory " + file.parent_path().string() + " for " + path +
               ": " + error.message() + "; choose another --out");
  }
  core::AtomicFile out(file);
  auto write = [&](std::string_view text) { out.write(text); };
  PaysimSummary summary = generate_paysim(options, write, on_rows);
  out.commit(false);
  return summary;
}

}  // namespace archml::data
