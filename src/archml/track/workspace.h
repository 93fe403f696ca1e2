// The workspace: the directory that holds the catalog (catalog.db) and the optional
// config.yaml. It is, in order: the --home flag (set_home_override), the ARCHML_HOME
// environment variable, or .archml/ in the current directory; created on first use.
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

// --home for this process; an empty path clears it.
void set_home_override(const std::filesystem::path& directory);
// --artifacts for this process; empty clears it.
void set_artifacts_override(const std::string& uri);

// The directory the rules above choose, without creating it.
std::filesystem::path workspace_directory();

struct WorkspaceConfig {
  // Adding a setting: a field here and one row in kConfigKeys (workspace.cpp).
  std::string experiment = "default";  // experiment of runs started without --experiment
  std::string pushgateway;  // Pushgateway URL jobs push their metrics to (track/pushgateway.h)
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
  // Resolves and creates the directory; throws archml::Error (I/O) when it cannot.
  static Workspace open();
  explicit Workspace(std::filesystem::path directory);

  const std::filesystem::path& directory() const { return directory_; }
  std::filesystem::path catalog_file() const { return directory_ / "catalog.db"; }
  const WorkspaceConfig& config() const { return config_; }
  // The artifact store jobs keep their outputs in: --artifacts, else ARCHML_ARTIFACTS,
  // else the config's `artifacts`, else the folder DIR/artifacts (docs/artifacts.md).
  std::string artifacts_uri() const;
  // Whether a store was named at all (flag, environment or config), not the default.
  bool artifacts_configured() const;
  // Opened on first call and kept; shared with job recorders.
  std::shared_ptr<Catalog> catalog();

 private:
  std::filesystem::path directory_;
  WorkspaceConfig config_;
  std::shared_ptr<Catalog> catalog_;
};

}  // namespace archml::track
