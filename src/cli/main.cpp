// The archml binary: one entry point for every stage of the machine-learning life cycle.
// This is the error boundary of the command line: archml::Error becomes a message on
// stderr and an exit code by kind; anything else is a bug and exits 1. It is also the
// settings boundary: the global flags and the environment are read here, once, into the
// jobs::JobContext every command receives (docs/architecture.md, "Settings").
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "archml/core/error.h"
#include "archml/core/resources.h"
#include "archml/jobs/job_context.h"
#include "archml/version.h"
#include "cli/commands.h"
#include "cli/help_format.h"

extern char** environ;

namespace {

// The process environment as the context builder takes it.
archml::jobs::Environment process_environment() {
  archml::jobs::Environment variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string::npos) variables[text.substr(0, equals)] = text.substr(equals + 1);
  }
  return variables;
}

}  // namespace

int main(int argc, char** argv) {
  archml::core::ResourceMeter meter;
  CLI::App app{
      "archml " ARCHML_VERSION
      " — the machine-learning life cycle for tabular data on one machine:\n"
      "generate or load data, profile it, engineer features, train XGBoost, evaluate against\n"
      "business costs, tune, track every run in a catalog, keep artifacts and serve.\n\n"
      "Run 'archml <command> --help' for the flags of a command.",
      "archml"};
  app.require_subcommand(1);
  app.formatter(archml::cli::one_line_command_list());
  app.set_version_flag("--version", "archml " ARCHML_VERSION);

  bool print_stats = false;
  archml::jobs::ContextFlags flags;
  archml::jobs::JobContext context;
  app.add_flag("--stats", print_stats,
               "Print wall time, CPU time and peak memory to stderr when the command ends")
      ->configurable(false);
  app.add_flag("-q,--quiet", flags.quiet,
               "No progress bars (they appear only on a terminal anyway)");
  app.add_option("--threads", flags.threads,
                 "Threads for parallel work (default: all cores, or ARCHML_THREADS)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--home", flags.home,
                 "Workspace directory holding the catalog (default: ARCHML_HOME, else "
                 "./.archml; docs/catalog.md)");
  app.add_option("--pushgateway", flags.pushgateway,
                 "Prometheus Pushgateway URL that jobs push their live metrics to (default: "
                 "ARCHML_PUSHGATEWAY_URL, else the workspace config's pushgateway; "
                 "docs/monitoring.md)");
  app.add_option("--artifacts", flags.artifacts,
                 "Artifact store where jobs keep their outputs: a folder or "
                 "s3://bucket/prefix (default: ARCHML_ARTIFACTS, else the workspace config's "
                 "'artifacts', else WORKSPACE/artifacts; docs/artifacts.md)");
  // Runs after parsing and before any command's callback.
  app.parse_complete_callback(
      [&] { context = archml::jobs::make_job_context(flags, process_environment()); });

  archml::cli::add_artifacts_command(app, context);
  archml::cli::add_datagen_command(app, context);
  archml::cli::add_evaluate_command(app, context);
  archml::cli::add_experiments_command(app, context);
  archml::cli::add_metrics_command(app, context);
  archml::cli::add_metrics_server_command(app, context);
  archml::cli::add_models_command(app, context);
  archml::cli::add_monitor_command(app, context);
  archml::cli::add_predict_command(app, context);
  archml::cli::add_profile_command(app, context);
  archml::cli::add_runs_command(app, context);
  archml::cli::add_schema_command(app, context);
  archml::cli::add_serve_command(app, context);
  archml::cli::add_train_command(app, context);
  archml::cli::add_tune_command(app, context);

  int status = 0;
  try {
    app.parse(argc, argv);
  } catch (const CLI::RequiredError& error) {
    // CLI11 reports an unknown command as a missing one; name what the user typed.
    std::vector<std::string> unknown = app.remaining();
    if (!unknown.empty() && !unknown.front().empty() && unknown.front()[0] != '-') {
      std::fprintf(stderr, "archml: unknown command '%s'; run 'archml --help' for the list\n",
                   unknown.front().c_str());
      status = 2;
    } else {
      status = app.exit(error) == 0 ? 0 : 2;
    }
  } catch (const CLI::RuntimeError& error) {
    // A command's own documented status (archml monitor: 6 when it found violations).
    status = error.get_exit_code();
  } catch (const CLI::ParseError& error) {
    // Help and --version are "errors" with code 0; every real usage error exits 2.
    status = app.exit(error) == 0 ? 0 : 2;
  } catch (const archml::Error& error) {
    std::fprintf(stderr, "archml: %s: %s\n", std::string(to_string(error.kind())).c_str(),
                 error.what());
    status = archml::exit_code(error.kind());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "archml: unexpected failure (please report it): %s\n", error.what());
    status = 1;
  }
  if (print_stats)
    std::fprintf(stderr, "archml stats: %s\n", archml::core::format_usage(meter.usage()).c_str());
  return status;
}
