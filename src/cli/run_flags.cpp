#include "cli/run_flags.h"

namespace archml::cli {

jobs::RunChoice RunFlags::choice() const {
  jobs::RunChoice choice;
  if (!experiment.empty()) choice.experiment = experiment;
  if (!run.empty()) choice.run = run;
  return choice;
}

void add_run_flags(CLI::App& command, RunFlags& flags, bool attaches_to_bundle) {
  const std::string default_run =
      attaches_to_bundle ? "default: the run that trained the model" : "default: a new run-<id>";
  command.add_option("--experiment", flags.experiment,
                     "Experiment to record the job in, created if needed (default: the "
                     "workspace's config.yaml 'experiment', else 'default')");
  command.add_option("--run", flags.run,
                     "Run (trial) to record the job in, created if needed (" + default_run +
                         "); see 'archml runs list'");
}

}  // namespace archml::cli
