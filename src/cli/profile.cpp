#include "cli/commands.h"

namespace archml::cli {

void add_profile_command(CLI::App& app) {
  app.add_subcommand("profile", "Profile a CSV file (not yet built)");
}

}  // namespace archml::cli
