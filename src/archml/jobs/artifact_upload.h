// Keeping a job's outputs in the workspace's artifact store (docs/artifacts.md): each
// output file is copied to
//   experiments/<experiment>/runs/<run>/<kind>-<job id>/<name>
// and described for the catalog by the store's URI of that copy, its size and SHA-256
// (measured on the local file before it leaves). The local file stays where it was.
// A failed upload throws archml::Error naming the file and the store, so the job fails
// rather than losing its record. Bundles given as store URIs come back through
// fetch_bundle().
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "archml/jobs/job_context.h"
#include "archml/store/artifact_store.h"
#include "archml/track/catalog.h"

namespace archml::jobs {

// "experiments/fraud/runs/run-3/training-17": where a job's artifacts go in the store.
std::string job_artifact_prefix(const track::Run& run, track::JobKind kind, std::int64_t job_id);

// Uploads `file` to `key` and returns its catalog record named `name`. For a folder
// store the URI is file:///absolute/path, for S3 s3://bucket/key.
track::Artifact keep_artifact(store::ArtifactStore& store, std::string_view key,
                              const std::string& name, const std::filesystem::path& file,
                              const std::string& media_type);

// `model` as a local bundle folder: a local path (or file:///path) is returned as a path;
// an s3:// URI of a bundle (…/bundle) or of a training job's folder holding bundle/ is
// downloaded, with the context's store settings, to <workspace>/cache/<bucket>/<key>/
// (replaced on every call) and that folder returned; a models:/ URI names a registered
// version (jobs/model_registration.h, docs/registry.md).
std::filesystem::path fetch_bundle(const JobContext& context, const std::string& model);

}  // namespace archml::jobs
