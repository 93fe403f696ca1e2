// --experiment and --run, for commands whose job is recorded in the catalog
// (train, evaluate, predict): where in the catalog the job goes.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "archml/jobs/job_record.h"

namespace archml::cli {

// What --model takes, for the commands that load a trained bundle.
inline constexpr const char* kModelFlagHelp =
    "The bundle directory, the training job's output directory, an s3:// URI of either, or\n"
    "a registered version: models:/GROUP/VERSION, models:/GROUP@ALIAS or\n"
    "models:/GROUP@latest-approved (docs/registry.md)";

struct RunFlags {
  std::string experiment;
  std::string run;
  jobs::RunChoice choice() const;
};

// `attaches_to_bundle`: the command works on a trained bundle and joins its run by
// default (evaluate, predict); otherwise a new run is started (train).
void add_run_flags(CLI::App& command, RunFlags& flags, bool attaches_to_bundle);

}  // namespace archml::cli
