// The workspace: the directory that holds the catalog (catalog.db) and the optional
// config.yaml. Which one is the caller's WorkspaceSettings: the command line builds them
// once (jobs::JobContext: --home, else ARCHML_HOME, else .archml/ in the current
// directory) and hands them down; nothing here reads the environment. A job's workspace is
// created on first use; a command that only reads opens an existing one and creates
// nothing (open_existing).
//
// The workspace also names the artifact store (artifacts_uri()), so one flag or config
// line moves every job's outputs to a bucket.
//
// config.yaml is a flat map of known keys (see WorkspaceConfig); an unknown key is an
// error naming the known ones, so a typo never passes silently.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace archml::track {

class Catalog;

// Which workspace, and the settings given outside its config.yaml that win over it.
struct WorkspaceSettings {
  std::filesystem::path home = ".archml";
  // The artifact store named by --artifacts or ARCHML_ARTIFACTS; empty: the config's
  // `artifacts`, else HOME/artifacts.
  std::string artifacts;
  // The Pushgateway named by --pushgateway or ARCHML_PUSHGATEWAY_URL; empty: the config's
  // `pushgateway`, else none.
  std::string pushgateway;
};

struct WorkspaceConfig {
  // Adding a setting: a field here and one row in kConfigKeys (workspace.cpp).
  std::string experiment = "default";  // experiment of runs started without --experiment
  std::string pushgateway;  // the Pushgateway jobs push metrics to (store/pushgateway_client.h)
  std::string artifacts;    // artifact store URI; empty: <workspace>/artifacts

  // Every key with its one-line meaning, for messages and docs/catalog.md.
  static const std::map<std::string, std::string>& keys();
  // The raw values as read, including keys this struct does not model yet.
  std::map<std::string, std::string> values;
};

// Reads DIR/config.yaml; a missing file gives the defaults. Throws archml::Error
// (invalid input) for malformed YAML, a non-scalar value or an unknown key.
WorkspaceConfig read_workspace_config(const std::filesystem::path& directory);

class Workspace {
 public:
  // For a job: creates the directory when missing; throws archml::Error (I/O) when it
  // cannot. The catalog is opened for writing.
  static Workspace open(const WorkspaceSettings& settings);
  // For a command that only reads: throws archml::Error (not found) "no workspace at
  // <path>; run a job first or pass --home" when the directory is missing, and creates
  // nothing. The catalog is opened read-only (Catalog::open_read_only), so read-only media
  // can be listed.
  static Workspace open_existing(const WorkspaceSettings& settings);

  const std::filesystem::path& directory() const { return directory_; }
  std::filesystem::path catalog_file() const { return directory_ / "catalog.db"; }
  const WorkspaceConfig& config() const { return config_; }
  // The artifact store jobs keep their outputs in: the settings' `artifacts` (flag or
  // environment), else the config's, else the folder DIR/artifacts (docs/artifacts.md).
  std::string artifacts_uri() const;
  // Whether a store was named at all (flag, environment or config), not the default.
  bool artifacts_configured() const;
  // The Pushgateway URL as given (settings, else config), not normalised; empty: none.
  std::string pushgateway_url() const;
  // Opened on first call and kept; shared with job recorders. Read-only for a workspace
  // from open_existing.
  std::shared_ptr<Catalog> catalog();

 private:
  Workspace(WorkspaceSettings settings, bool read_only);

  WorkspaceSettings settings_;
  std::filesystem::path directory_;
  bool read_only_ = false;
  WorkspaceConfig config_;
  std::shared_ptr<Catalog> catalog_;
};

}  // namespace archml::track
