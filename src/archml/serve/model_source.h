// Serving a model from the registry (docs/registry.md): the locator that resolves a
// models:/ URI each time the endpoint (re)loads, and the follower that notices when the
// version a moving URI names (an alias, latest-approved) has changed and reloads.
//
// The follower polls on its own thread every `interval`: one indexed SELECT on a
// connection kept open (well under a millisecond; no request thread touches the catalog). When the
// number differs from the version serving it calls Endpoint::reload(), which resolves the
// URI again, loads the new bundle and swaps it in atomically, so requests keep being
// answered throughout. A failed lookup or reload leaves the current model serving; it is
// reported once on `log`, and a version whose reload failed is not retried until the URI
// names another one (SIGHUP or POST /admin/reload retries at once).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "archml/jobs/job_context.h"
#include "archml/serve/endpoint.h"
#include "archml/track/model_registry.h"

namespace archml::serve {

// Resolves `uri` in the registry of the context's workspace on each call
// (jobs::locate_model); keeps a copy of `context`.
ModelLocator registry_locator(const jobs::JobContext& context, const track::ModelUri& uri);

class RegistryFollower {
 public:
  // Starts polling; `log` (may be null) gets one line per swap or problem.
  RegistryFollower(Endpoint& endpoint, track::ModelUri uri, std::shared_ptr<track::Catalog> catalog,
                   std::chrono::milliseconds interval, std::FILE* log);
  // Stops the thread and waits for it.
  ~RegistryFollower();
  RegistryFollower(const RegistryFollower&) = delete;
  RegistryFollower& operator=(const RegistryFollower&) = delete;

  // One poll now, on the caller's thread (the thread runs it every interval): true when
  // it swapped a new version in.
  bool poll();

 private:
  void loop();
  void report(const std::string& problem);

  Endpoint& endpoint_;
  track::ModelUri uri_;
  track::ModelRegistry registry_;
  std::chrono::milliseconds interval_;
  std::FILE* log_;
  std::mutex poll_mutex_;
  std::string last_problem_;
  std::optional<std::int64_t> failed_version_;

  std::mutex stop_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace archml::serve
