// The model registry (docs/registry.md), in the catalog's database: model groups hold
// numbered versions (SageMaker's model package groups and packages; MLflow's registered
// models and versions). A version points at a training job's bundle in the artifact
// store and keeps a snapshot of its lineage (run, training data digest, recipe,
// parameters, final metrics), so it stays whole when the run is deleted. Its approval
// status is SageMaker's: PendingManualApproval when registered, then Approved or
// Rejected. Aliases (MLflow's) name one version each, e.g. production or staging;
// models:/GROUP@latest-approved names the highest Approved version.
//
// Versions are numbered per group from 1 inside one BEGIN IMMEDIATE transaction, so
// processes registering at once get distinct numbers; a deleted version's number is
// never given again. Lookups of a missing group, version or alias throw archml::Error
// (not found) naming what exists; a malformed name or a refused change throws invalid
// input. Shares the Catalog's connection and mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archml/track/catalog.h"
#include "archml/track/model_uri.h"

namespace archml::track {

enum class ApprovalStatus { kPendingManualApproval, kApproved, kRejected };

// SageMaker's spellings; parse throws archml::Error (invalid input) naming them.
std::string to_string(ApprovalStatus status);
ApprovalStatus parse_approval_status(const std::string& text);

// Where a version came from: its training job and that job's inputs and results.
struct ModelLineage {
  std::optional<std::int64_t> run_id;  // empty once the run is deleted
  std::optional<std::int64_t> job_id;
  std::string experiment;
  std::string run;
  std::string bundle_uri;                         // file:///.../bundle or s3://bucket/.../bundle
  std::string model_sha256;                       // of bundle/model.json as the job recorded it
  std::string data_digest;                        // "xxh64:..." of the training data file
  std::string data_uri;                           // the training data file, as the job read it
  std::string recipe_digest;                      // "sha256:..." of the recipe text
  std::string recipe_source;                      // its file URI, or "automatic"
  std::map<std::string, std::string> parameters;  // the training job's
  std::map<std::string, double> metrics;  // last values of its series (no resource: samples)
};

struct ModelVersion {
  std::int64_t id = 0;
  std::string group;
  std::int64_t version = 0;
  ApprovalStatus status = ApprovalStatus::kPendingManualApproval;
  std::string status_note;
  double status_changed_at = 0;
  std::string description;
  double created_at = 0;
  std::vector<std::string> aliases;  // sorted
  ModelLineage lineage;

  std::string uri() const { return ModelUri{group, version, {}}.text(); }
};

struct ModelGroup {
  std::int64_t id = 0;
  std::string name;
  double created_at = 0;
  std::int64_t versions = 0;        // how many exist now
  std::int64_t latest_version = 0;  // 0: none
  std::optional<std::int64_t> latest_approved;
  std::map<std::string, std::int64_t> aliases;  // alias -> version
};

class ModelRegistry {
 public:
  explicit ModelRegistry(std::shared_ptr<Catalog> catalog);

  Catalog& catalog() const { return *catalog_; }

  // The lineage of a training job as the catalog recorded it. Throws invalid input for a
  // job that is not a training job or did not complete (naming its status and reason),
  // or that recorded no bundle; not found for an unknown job.
  ModelLineage training_lineage(std::int64_t job_id);

  // Creates the group when new and its next version, PendingManualApproval.
  ModelVersion register_version(const std::string& group, const std::string& description,
                                const ModelLineage& lineage);

  std::vector<ModelGroup> groups();
  ModelGroup group(const std::string& name);
  // Newest first.
  std::vector<ModelVersion> versions(const std::string& group);
  // The version a reference names (a number, an alias or latest-approved).
  ModelVersion version(const ModelUri& uri);
  // Only the number `uri` names now, in one indexed query: what a server following an
  // alias polls. Throws as version() does.
  std::int64_t version_number(const ModelUri& uri);

  ModelVersion set_status(const std::string& group, std::int64_t version, ApprovalStatus status,
                          const std::string& note);
  // Points `alias` at `version`, creating or moving it; returns the version it pointed at
  // before, if any. A Rejected version is refused unless `force`.
  std::optional<std::int64_t> set_alias(const std::string& group, const std::string& alias,
                                        std::int64_t version, bool force = false);
  // Returns the version it pointed at.
  std::int64_t remove_alias(const std::string& group, const std::string& alias);
  // Deletes one version; one an alias points at needs `force` (and loses the alias).
  // Returns the aliases removed with it.
  std::vector<std::string> delete_version(const std::string& group, std::int64_t version,
                                          bool force = false);
  // Deletes a group; one that still has versions needs `force`. Returns versions removed.
  std::int64_t delete_group(const std::string& group, bool force = false);

 private:
  std::int64_t group_id(const std::string& name);
  std::vector<ModelVersion> select_versions(const std::string& condition,
                                            const std::function<void(Statement&)>& bind);
  [[noreturn]] void throw_missing_version(const ModelUri& uri);
  // `body` inside one BEGIN IMMEDIATE transaction on the catalog's connection: its
  // checks and its writes see the same state.
  void write(const std::function<void()>& body);
  // One statement inside write().
  void execute(const std::string& sql, const std::function<void(Statement&)>& bind);

  std::shared_ptr<Catalog> catalog_;
};

}  // namespace archml::track
