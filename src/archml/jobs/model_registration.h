// The model registry's jobs-side work (docs/registry.md): registering the bundle of a
// training job, and finding a registered version's bundle for the commands that load
// one (evaluate, predict, serve: every --model goes through fetch_bundle, which hands
// models:/ URIs to locate_model here).
//
// Guard rails: a version is registered only from a training job that Completed, whose
// bundle is still in the artifact store, and (for a bundle folder) whose model.json is the
// one the job recorded; a registered version is loaded only when its model.json still has
// the SHA-256 recorded at registration, so what was approved is what serves.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "archml/jobs/job_context.h"
#include "archml/track/model_registry.h"

namespace archml::jobs {

// RUN_OR_BUNDLE: a bundle folder (or a training job's output folder, or a tuning job's
// output folder for its best trial) or an s3:// bundle URI names the training job in its
// bundle.json `tracking`; anything else is a run (id,
// name or EXPERIMENT/NAME) whose newest training job is registered. Creates the next
// version of `group`, PendingManualApproval. Throws archml::Error: invalid input for a
// training that did not complete or a bundle that changed, not found for an unknown run
// or a bundle gone from the store. S3 bundles are read with the context's store settings.
track::ModelVersion register_model(const JobContext& context, track::ModelRegistry& registry,
                                   const std::string& source, const std::string& group,
                                   const std::string& description);

struct LocatedModel {
  std::filesystem::path directory;             // a local bundle folder
  std::optional<track::ModelVersion> version;  // set for a models:/ URI
};

// A --model argument as a local bundle folder: a models:/ URI is resolved in the
// registry of the context's workspace, opened read-only (an S3 bundle downloaded as
// fetch_bundle does); anything else goes to fetch_bundle.
LocatedModel locate_model(const JobContext& context, const std::string& model);
// A registered version's bundle folder from `registry`. Throws archml::Error: not found
// for an unknown group, version or alias or a bundle gone from the store, invalid input
// when its model.json no longer has the SHA-256 recorded at registration.
LocatedModel locate_model(const JobContext& context, track::ModelRegistry& registry,
                          const track::ModelUri& uri);

// Throws archml::Error (not found) when the bundle at `bundle_uri` (file:// or s3://)
// lacks bundle.json or model.json; `what` names it in the message. S3 is reached with
// `options` (JobContext::store).
void check_bundle_present(const store::StoreOptions& options, const std::string& bundle_uri,
                          const std::string& what);

}  // namespace archml::jobs
