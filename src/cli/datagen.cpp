// `archml datagen <kind>`: synthetic data sets for trying the platform end to end without
// downloading anything. The generators live in src/archml/data; this file parses flags,
// draws progress and prints the summary.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "archml/core/error.h"
#include "archml/core/progress.h"
#include "archml/data/paysim.h"
#include "cli/commands.h"

namespace archml::cli {
namespace {

struct PaysimFlags {
  std::int64_t rows = 0;  // signed, so that "-5" reaches our own check with a clear message
  std::uint64_t seed = 42;
  std::string out;
};

void run_paysim(const jobs::JobContext& context, const PaysimFlags& flags) {
  if (flags.rows <= 0)
    throw_invalid("--rows must be a positive number of rows (got " + std::to_string(flags.rows) +
                  "); the real PaySim data set has 6362620");
  if (flags.out.empty()) throw_invalid("--out needs a file name, e.g. --out data/paysim.csv");

  data::PaysimOptions options;
  options.rows = static_cast<std::uint64_t>(flags.rows);
  options.seed = flags.seed;
  options.threads = context.threads;
  auto start = std::chrono::steady_clock::now();
  core::Progress progress("generating " + flags.out, options.rows, "rows", context.progress);
  data::PaysimSummary summary = data::write_paysim_csv(
      options, flags.out, [&](std::uint64_t rows) { progress.advance(rows); });
  progress.finish();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("wrote %s: %llu rows, %llu frauds (%llu flagged), %llu bytes in %.2f s\n",
              flags.out.c_str(), static_cast<unsigned long long>(options.rows),
              static_cast<unsigned long long>(summary.counts.frauds()),
              static_cast<unsigned long long>(summary.counts.flagged),
              static_cast<unsigned long long>(summary.bytes), seconds);
}

void add_paysim_command(CLI::App& datagen, const jobs::JobContext& context) {
  auto flags = std::make_shared<PaysimFlags>();
  auto* command = datagen.add_subcommand(
      "paysim",
      "PaySim-like mobile-money transactions with fraud, as a CSV file.\n"
      "Same columns and number formats as the real PaySim data set (Kaggle, 6,362,620 rows\n"
      "over 743 hourly steps): transaction type mix, per-type amounts, balance arithmetic and\n"
      "its known inconsistencies, and the fraud pattern (a TRANSFER that empties the victim's\n"
      "account, at most 10,000,000 each, followed by a CASH_OUT of the same amount; 0.13 % of\n"
      "rows). Counts scale exactly with --rows; the same seed always gives the same bytes,\n"
      "whatever --threads. See docs/paysim.md.");
  command
      ->add_option("--rows", flags->rows,
                   "Number of transactions to generate (> 0; 6362620 is the real size)")
      ->required();
  command->add_option("--seed", flags->seed, "Random seed; same seed, same file")
      ->capture_default_str();
  command
      ->add_option("--out", flags->out, "CSV file to write (its directory is created if missing)")
      ->required();
  command->footer(
      "Example:\n"
      "  archml datagen paysim --rows 6362620 --seed 42 --out data/paysim.csv\n"
      "  (about 500 MB; a few seconds on two cores)\n");
  command->callback([flags, &context] { run_paysim(context, *flags); });
}

}  // namespace

void add_datagen_command(CLI::App& app, const jobs::JobContext& context) {
  auto* command = app.add_subcommand("datagen", "Generate synthetic data sets");
  command->require_subcommand(1);
  add_paysim_command(*command, context);
}

}  // namespace archml::cli
