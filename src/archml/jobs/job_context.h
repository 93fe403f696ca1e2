// The settings of one archml invocation, built once at the boundary (the command line,
// src/cli/main.cpp) from its flags and the environment, then handed explicitly to what
// needs them: the workspace (track::WorkspaceSettings), the artifact stores
// (store::StoreOptions), the thread count and whether progress bars may be drawn.
// Nothing below the boundary reads the environment or keeps a process-wide setting, so
// two contexts can be used side by side in one process. Algorithms get plain values from
// it (a thread count, a progress flag), never the context itself.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "archml/core/parallel.h"
#include "archml/store/open_store.h"
#include "archml/track/workspace.h"

namespace archml::jobs {

struct JobContext {
  track::WorkspaceSettings workspace;
  store::StoreOptions store;  // the AWS settings of the environment; store.progress
  unsigned threads = core::hardware_threads();  // >= 1
  bool progress = true;                         // drawn only on a terminal anyway (core::Progress)
};

// What the command line was given; empty or 0 means not given.
struct ContextFlags {
  std::string home;
  std::string artifacts;
  std::string pushgateway;
  unsigned threads = 0;
  bool quiet = false;
};

// The process environment as name -> value (only the variables below are looked at).
using Environment = std::map<std::string, std::string>;

// Flags win over the environment, which wins over the defaults:
//   home         --home, ARCHML_HOME, else ./.archml
//   artifacts    --artifacts, ARCHML_ARTIFACTS (else the workspace config's, else
//                HOME/artifacts: track::Workspace::artifacts_uri)
//   pushgateway  --pushgateway, ARCHML_PUSHGATEWAY_URL (else the workspace config's)
//   threads      --threads, ARCHML_THREADS, else the cores of the machine
//   progress     off with --quiet
//   store        the AWS_* variables of docs/artifacts.md (store::s3_environment)
// An empty variable counts as unset. Throws archml::Error (invalid input) for an
// ARCHML_THREADS that is not a whole number from 1 to 1024.
JobContext make_job_context(const ContextFlags& flags, const Environment& environment);

}  // namespace archml::jobs
