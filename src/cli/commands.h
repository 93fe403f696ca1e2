// Each archml subcommand lives in its own file and adds itself to the app here.
// A command parses its flags, calls into the library, and prints; it holds no logic
// that another front end (the HTTP server, a test) would need.
#pragma once

#include <CLI/CLI.hpp>

namespace archml::cli {

void add_artifacts_command(CLI::App& app);
void add_datagen_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_experiments_command(CLI::App& app);
void add_metrics_command(CLI::App& app);
void add_metrics_server_command(CLI::App& app);
void add_models_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_profile_command(CLI::App& app);
void add_runs_command(CLI::App& app);
void add_schema_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_tune_command(CLI::App& app);

}  // namespace archml::cli
