#include "archml/jobs/artifact_upload.h"

#include <system_error>

#include "archml/core/atomic_file.h"
#include "archml/core/digest.h"
#include "archml/core/error.h"
#include "archml/jobs/job_record.h"
#include "archml/jobs/model_registration.h"
#include "archml/store/artifact_key.h"
#include "archml/store/artifact_store.h"
#include "archml/store/open_store.h"
#include "archml/store/transfer.h"
#include "archml/track/workspace.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

std::string catalog_uri(const store::ArtifactStore& store, std::string_view key) {
  const std::string uri = store.uri_of(key);
  return store::is_s3_uri(uri) ? uri : file_uri(uri);
}

// What identifies the bundle's contents in the store: its objects' keys, sizes, ETags
// and times.
std::string listing_digest(store::ArtifactStore& store, const std::string& key) {
  core::Sha256 digest;
  for (const store::ObjectInfo& object : store.list(key + "/")) {
    digest.update(object.key + '\n' + std::to_string(object.size) + '\n' + object.etag + '\n' +
                  object.last_modified + '\n');
  }
  return digest.hex_digest().substr(0, 16);
}

// The bundle under `key`, kept in `cache`/<digest of its listing>. A folder there is
// whole and never changes: a bundle is downloaded beside it and renamed into place, so
// processes fetching the same bundle at once share one copy and never see half of one,
// and a bundle that changed in the store gets a folder of its own.
fs::path cached_bundle(store::ArtifactStore& store, const std::string& key, const fs::path& cache,
                       bool progress) {
  const fs::path folder = cache / listing_digest(store, key);
  if (fs::exists(folder / "bundle.json")) return folder;
  const fs::path staging = core::temporary_path_beside(folder);
  std::error_code error;
  try {
    store::download_directory(store, key, staging, progress);
  } catch (...) {
    fs::remove_all(staging, error);
    throw;
  }
  fs::rename(staging, folder, error);
  if (error) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    if (!fs::exists(folder / "bundle.json"))  // else another process put it there first
      throw_io("cannot keep the downloaded bundle in " + folder.string() + ": " + error.message());
  }
  return folder;
}

}  // namespace

std::string job_artifact_prefix(const track::Run& run, track::JobKind kind, std::int64_t job_id) {
  return "experiments/" + run.experiment + "/runs/" + run.name + "/" + track::to_string(kind) +
         "-" + std::to_string(job_id);
}

track::Artifact keep_artifact(store::ArtifactStore& store, std::string_view key,
                              const std::string& name, const fs::path& file,
                              const std::string& media_type) {
  std::error_code error;
  const auto size = fs::file_size(file, error);
  if (error) throw_io("cannot record artifact '" + file.string() + "': " + error.message());
  track::Artifact artifact{name, catalog_uri(store, key), media_type,
                           static_cast<std::uint64_t>(size), core::file_sha256_hex(file.string())};
  try {
    store.put_file(key, file);
  } catch (const Error& failure) {
    throw Error(failure.kind(), "could not keep '" + file.string() + "' in the artifact store " +
                                    store.uri() + " (the job is marked failed; its local " +
                                    "outputs are still there): " + failure.what());
  }
  return artifact;
}

fs::path fetch_bundle(const JobContext& context, const std::string& model) {
  if (track::is_model_uri(model)) return locate_model(context, model).directory;
  if (!store::is_s3_uri(model)) return store::local_path(model);
  const store::S3Uri location = store::parse_s3_uri(model);
  if (location.key.empty())
    throw_invalid("--model " + model + ": name the bundle inside the bucket, e.g. s3://" +
                  location.bucket + "/experiments/E/runs/R/training-N/bundle");
  auto store = store::open_artifact_store("s3://" + location.bucket, context.store);
  std::string key = location.key;
  while (!key.empty() && key.back() == '/') key.pop_back();
  if (!store->exists(key + "/bundle.json") && store->exists(key + "/bundle/bundle.json"))
    key += "/bundle";
  if (!store->exists(key + "/bundle.json"))
    throw_not_found("--model " + model + ": no bundle there (no " + store->uri_of(key) +
                    "/bundle.json, nor a training job folder with bundle/)");
  const fs::path cache =
      track::Workspace::open(context.workspace).directory() / "cache" / location.bucket / key;
  return cached_bundle(*store, key, cache, context.progress);
}

}  // namespace archml::jobs
