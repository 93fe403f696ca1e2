#include "archml/serve/model_source.h"

#include "archml/core/error.h"
#include "archml/jobs/model_registration.h"

namespace archml::serve {

ModelLocator registry_locator(const jobs::JobContext& context, const track::ModelUri& uri) {
  return [context, uri] {
    jobs::LocatedModel located = jobs::locate_model(context, uri.text());
    return ModelLocation{located.directory, uri.text(), located.version->group,
                         located.version->version};
  };
}

RegistryFollower::RegistryFollower(Endpoint& endpoint, track::ModelUri uri,
                                   std::shared_ptr<track::Catalog> catalog,
                                   std::chrono::milliseconds interval, std::FILE* log)
    : endpoint_(endpoint),
      uri_(std::move(uri)),
      registry_(std::move(catalog)),
      interval_(interval),
      log_(log) {
  thread_ = std::thread([this] { loop(); });
}

RegistryFollower::~RegistryFollower() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RegistryFollower::loop() {
  std::unique_lock lock(stop_mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    poll();
    lock.lock();
  }
}

void RegistryFollower::report(const std::string& problem) {
  if (problem == last_problem_) return;
  last_problem_ = problem;
  if (log_ == nullptr) return;
  std::fprintf(log_, "archml serve: %s\n", problem.c_str());
  std::fflush(log_);
}

bool RegistryFollower::poll() {
  std::lock_guard lock(poll_mutex_);
  const std::int64_t serving = endpoint_.location().version;
  const std::string still = "; still serving version " + std::to_string(serving);
  std::int64_t target = 0;
  try {
    target = registry_.version_number(uri_);
  } catch (const std::exception& error) {
    report("cannot resolve " + uri_.text() + ": " + error.what() + still);
    return false;
  }
  if (target == serving) {
    last_problem_.clear();
    failed_version_.reset();
    return false;
  }
  if (failed_version_ == target) return false;
  try {
    endpoint_.reload();
  } catch (const std::exception& error) {
    failed_version_ = target;
    report(uri_.text() + " now names version " + std::to_string(target) +
           ", which failed to load: " + error.what() + still);
    return false;
  }
  failed_version_.reset();
  const ModelLocation now = endpoint_.location();
  report(uri_.text() + " moved: now serving " + now.group + " version " +
         std::to_string(now.version) + " (was " + std::to_string(serving) + ")");
  return true;
}

}  // namespace archml::serve
