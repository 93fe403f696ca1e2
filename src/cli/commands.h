// Each archml subcommand lives in its own file and adds itself to the app here.
// A command parses its flags, calls into the library, and prints; it holds no logic
// that another front end (the HTTP server, a test) would need. `context` is filled by
// main from the global flags and the environment once parsing completes, before any
// command's callback runs; commands hand it (or plain values of it) down explicitly.
#pragma once

#include <CLI/CLI.hpp>

#include "archml/jobs/job_context.h"

namespace archml::cli {

void add_artifacts_command(CLI::App& app, const jobs::JobContext& context);
void add_datagen_command(CLI::App& app, const jobs::JobContext& context);
void add_evaluate_command(CLI::App& app, const jobs::JobContext& context);
void add_experiments_command(CLI::App& app, const jobs::JobContext& context);
void add_metrics_command(CLI::App& app, const jobs::JobContext& context);
void add_metrics_server_command(CLI::App& app, const jobs::JobContext& context);
void add_models_command(CLI::App& app, const jobs::JobContext& context);
void add_monitor_command(CLI::App& app, const jobs::JobContext& context);
void add_predict_command(CLI::App& app, const jobs::JobContext& context);
void add_profile_command(CLI::App& app, const jobs::JobContext& context);
void add_runs_command(CLI::App& app, const jobs::JobContext& context);
void add_schema_command(CLI::App& app, const jobs::JobContext& context);
void add_serve_command(CLI::App& app, const jobs::JobContext& context);
void add_train_command(CLI::App& app, const jobs::JobContext& context);
void add_tune_command(CLI::App& app, const jobs::JobContext& context);

}  // namespace archml::cli
