#include "archml/jobs/model_registration.h"

#include <nlohmann/json.hpp>

#include "archml/core/digest.h"
#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/jobs/artifact_upload.h"
#include "archml/model/bundle.h"
#include "archml/store/open_store.h"
#include "archml/track/workspace.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

// The training job a RUN_OR_BUNDLE argument names, and the bundle folder when it is one.
struct TrainingOrigin {
  std::int64_t job_id = 0;
  std::optional<fs::path> bundle;
  std::string experiment;  // as the bundle's tracking names them
  std::string run;
};

TrainingOrigin origin_of_bundle(const JobContext& context, const std::string& source) {
  TrainingOrigin origin;
  origin.bundle = model::Bundle::locate(fetch_bundle(context, source));
  const fs::path manifest = *origin.bundle / "bundle.json";
  nlohmann::json tracking;
  try {
    tracking = nlohmann::json::parse(core::read_text_file(manifest, "bundle metadata"))
                   .value("tracking", nlohmann::json::object());
  } catch (const nlohmann::json::exception& error) {
    throw_invalid("'" + manifest.string() + "' is corrupt (" + error.what() + ")");
  }
  if (!tracking.contains("job_id") || !tracking["job_id"].is_number_integer())
    throw_invalid("the bundle at " + source +
                  " names no training job (its bundle.json has no tracking.job_id), so the "
                  "registry cannot know its lineage; train it with 'archml train' in this "
                  "workspace, then register the run");
  origin.job_id = tracking["job_id"].get<std::int64_t>();
  origin.experiment = tracking.value("experiment", "");
  origin.run = tracking.value("run", "");
  return origin;
}

TrainingOrigin origin_of_run(track::Catalog& catalog, const std::string& source) {
  track::Run run;
  try {
    run = catalog.find_run(source);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kNotFound) throw;
    throw_not_found("no bundle folder '" + source + "' and no run of that name: " + error.what());
  }
  const track::RunDetails details = catalog.run_details(run.id);
  for (auto job = details.jobs.rbegin(); job != details.jobs.rend(); ++job)
    if (job->kind == track::JobKind::kTraining)
      return {job->id, std::nullopt, run.experiment, run.name};
  throw_invalid("run " + run.experiment + "/" + run.name +
                " has no training job; register a run that 'archml train' recorded");
}

// A tuning job's output folder (archml tune --out): its best trial's folder.
std::optional<std::string> best_trial_of(const std::string& source) {
  const fs::path summary = fs::path(source) / "tuning_summary.json";
  std::error_code error;
  if (!fs::is_regular_file(summary, error)) return std::nullopt;
  nlohmann::json best;
  try {
    best = nlohmann::json::parse(core::read_text_file(summary, "tuning summary"))["best_trial"];
  } catch (const nlohmann::json::exception& failure) {
    throw_invalid("'" + summary.string() + "' is corrupt (" + failure.what() + ")");
  }
  if (!best.is_object() || !best.contains("dir") || !best["dir"].is_string())
    throw_invalid("the tuning job in " + source +
                  " has no best trial with a bundle (no trial completed, or its trials ran a "
                  "command rather than archml's training); register a trial's folder instead");
  return (fs::path(source) / best["dir"].get<std::string>()).string();
}

TrainingOrigin origin_of(const JobContext& context, track::Catalog& catalog,
                         const std::string& source) {
  std::error_code error;
  if (store::is_s3_uri(source)) return origin_of_bundle(context, source);
  if (fs::exists(source, error))
    return origin_of_bundle(context, best_trial_of(source).value_or(source));
  return origin_of_run(catalog, source);
}

void check_same_model(const fs::path& bundle, const std::string& sha256, const std::string& what,
                      const std::string& advice) {
  if (core::file_sha256_hex((bundle / "model.json").string()) != sha256)
    throw_invalid("the model at " + bundle.string() + " is not the one " + what +
                  " recorded (model.json's SHA-256 differs): " + advice);
}

}  // namespace

void check_bundle_present(const store::StoreOptions& options, const std::string& bundle_uri,
                          const std::string& what) {
  const bool s3 = store::is_s3_uri(bundle_uri);
  std::unique_ptr<store::ArtifactStore> store;
  if (s3) store = store::open_artifact_store(bundle_uri, options);
  for (const char* file : {"bundle.json", "model.json"}) {
    std::error_code error;
    const bool present = s3 ? store->exists(file)
                            : fs::exists(fs::path(store::local_path(bundle_uri)) / file, error);
    if (!present)
      throw_not_found("the bundle of " + what +
                      " is missing from the artifact store: " + bundle_uri + "/" + file +
                      " does not exist (deleted or moved?); train again and register the new run");
  }
}

track::ModelVersion register_model(const JobContext& context, track::ModelRegistry& registry,
                                   const std::string& source, const std::string& group,
                                   const std::string& description) {
  track::check_group_name(group);  // before any download
  const TrainingOrigin origin = origin_of(context, registry.catalog(), source);
  const track::ModelLineage lineage = registry.training_lineage(origin.job_id);
  const std::string job = "training job " + std::to_string(origin.job_id) + " (run " +
                          lineage.experiment + "/" + lineage.run + ")";
  if (origin.bundle && (origin.experiment != lineage.experiment || origin.run != lineage.run))
    throw_invalid("the bundle at " + source + " was trained in run " + origin.experiment + "/" +
                  origin.run + ", but job " + std::to_string(origin.job_id) +
                  " of this catalog belongs to run " + lineage.experiment + "/" + lineage.run +
                  ": it comes from another workspace; register it with that --home");
  check_bundle_present(context.store, lineage.bundle_uri, job);
  if (origin.bundle)
    check_same_model(*origin.bundle, lineage.model_sha256, job,
                     "it was retrained or edited since; register the run that trained it");
  return registry.register_version(group, description, lineage);
}

LocatedModel locate_model(const JobContext& context, track::ModelRegistry& registry,
                          const track::ModelUri& uri) {
  track::ModelVersion version = registry.version(uri);
  const std::string what = version.uri() + (uri.moves() ? " (" + uri.text() + ")" : "");
  const std::string& bundle_uri = version.lineage.bundle_uri;
  check_bundle_present(context.store, bundle_uri, what);
  const fs::path directory = fetch_bundle(context, bundle_uri);
  check_same_model(directory, version.lineage.model_sha256, what + " at registration",
                   "the artifact store's copy was replaced; register a new version");
  return {directory, std::move(version)};
}

LocatedModel locate_model(const JobContext& context, const std::string& model) {
  if (!track::is_model_uri(model)) return {fetch_bundle(context, model), std::nullopt};
  const track::ModelUri uri = track::parse_model_uri(model);
  track::ModelRegistry registry(track::Workspace::open_existing(context.workspace).catalog());
  return locate_model(context, registry, uri);
}

}  // namespace archml::jobs
