#include "archml/track/workspace.h"

#include <system_error>

#include <yaml-cpp/yaml.h>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/track/catalog.h"

namespace archml::track {
namespace {

namespace fs = std::filesystem;

struct ConfigKey {
  const char* name;
  std::string WorkspaceConfig::*field;
  const char* meaning;
};

// Every key config.yaml may hold: a new setting is a field and one row here.
const ConfigKey kConfigKeys[] = {
    {"experiment", &WorkspaceConfig::experiment,
     "the experiment of runs started without --experiment (default: default)"},
    {"pushgateway", &WorkspaceConfig::pushgateway,
     "Prometheus Pushgateway URL jobs push their metrics to (default: none; "
     "docs/monitoring.md)"},
    {"artifacts", &WorkspaceConfig::artifacts,
     "the artifact store jobs keep their outputs in, a folder or s3://bucket/prefix "
     "(default: the workspace's artifacts/ folder)"},
};

}  // namespace

const std::map<std::string, std::string>& WorkspaceConfig::keys() {
  static const std::map<std::string, std::string> known = [] {
    std::map<std::string, std::string> map;
    for (const auto& key : kConfigKeys) map[key.name] = key.meaning;
    return map;
  }();
  return known;
}

WorkspaceConfig read_workspace_config(const fs::path& directory) {
  WorkspaceConfig config;
  const fs::path file = directory / "config.yaml";
  std::error_code error;
  if (!fs::exists(file, error)) return config;
  YAML::Node root;
  try {
    root = YAML::Load(core::read_text_file(file, "workspace config"));
  } catch (const YAML::Exception& e) {
    throw_invalid(file.string() + ": not valid YAML: " + e.what());
  }
  if (root.IsNull()) return config;
  if (!root.IsMap()) throw_invalid(file.string() + ": expected 'key: value' lines");
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (WorkspaceConfig::keys().count(key) == 0) {
      std::string known;
      for (const auto& [name, meaning] : WorkspaceConfig::keys())
        known += "\n  " + name + ": " + meaning;
      throw_invalid(file.string() + ": unknown key '" + key + "'; known keys:" + known);
    }
    if (!entry.second.IsScalar())
      throw_invalid(file.string() + ": '" + key + "' needs a single value");
    const std::string value = entry.second.as<std::string>();
    config.values[key] = value;
    for (const auto& known : kConfigKeys)
      if (key == known.name) config.*known.field = value;
  }
  return config;
}

Workspace Workspace::open(const WorkspaceSettings& settings) {
  return Workspace(settings, false);
}

Workspace Workspace::open_existing(const WorkspaceSettings& settings) {
  return Workspace(settings, true);
}

Workspace::Workspace(WorkspaceSettings settings, bool read_only)
    : settings_(std::move(settings)), directory_(settings_.home), read_only_(read_only) {
  std::error_code error;
  if (read_only_) {
    if (!fs::is_directory(directory_, error))
      throw_not_found("no workspace at " + directory_.string() +
                      "; run a job first or pass --home DIR (or set ARCHML_HOME)");
  } else {
    fs::create_directories(directory_, error);
    if (error)
      throw_io("cannot create the workspace '" + directory_.string() + "': " + error.message() +
               " (choose another with --home DIR or ARCHML_HOME)");
  }
  config_ = read_workspace_config(directory_);
}

std::string Workspace::artifacts_uri() const {
  if (!settings_.artifacts.empty()) return settings_.artifacts;
  if (!config_.artifacts.empty()) return config_.artifacts;
  std::error_code error;
  const fs::path folder = fs::absolute(directory_ / "artifacts", error);
  return (error ? directory_ / "artifacts" : folder.lexically_normal()).string();
}

bool Workspace::artifacts_configured() const {
  return !settings_.artifacts.empty() || !config_.artifacts.empty();
}

std::string Workspace::pushgateway_url() const {
  return settings_.pushgateway.empty() ? config_.pushgateway : settings_.pushgateway;
}

std::shared_ptr<Catalog> Workspace::catalog() {
  if (!catalog_)
    catalog_ = read_only_ ? Catalog::open_read_only(catalog_file()) : Catalog::open(catalog_file());
  return catalog_;
}

}  // namespace archml::track
