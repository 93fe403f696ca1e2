#include "cli/commands.h"

namespace archml::cli {

void add_datagen_command(CLI::App& app) {
  auto* command = app.add_subcommand("datagen", "Generate synthetic data sets");
  command->require_subcommand(1);
  command->add_subcommand("paysim", "PaySim-like mobile-money transactions (not yet built)");
}

}  // namespace archml::cli
