#include "archml/jobs/job_context.h"

#include <charconv>

#include "archml/core/error.h"

namespace archml::jobs {
namespace {

// The variable's value, or empty when it is unset or empty.
std::string variable(const Environment& environment, const char* name) {
  const auto found = environment.find(name);
  return found == environment.end() ? std::string() : found->second;
}

// The flag when given, else the variable.
std::string flag_or_variable(const std::string& flag, const Environment& environment,
                             const char* name) {
  return flag.empty() ? variable(environment, name) : flag;
}

unsigned threads_from(unsigned flag, const Environment& environment) {
  if (flag > 0) return flag;
  const std::string text = variable(environment, "ARCHML_THREADS");
  if (text.empty()) return core::hardware_threads();
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 1024)
    throw_invalid("ARCHML_THREADS='" + text +
                  "' is not a thread count: set it to a whole number from 1 to 1024, or unset "
                  "it to use every core");
  return value;
}

}  // namespace

JobContext make_job_context(const ContextFlags& flags, const Environment& environment) {
  JobContext context;
  const std::string home = flag_or_variable(flags.home, environment, "ARCHML_HOME");
  if (!home.empty()) context.workspace.home = home;
  context.workspace.artifacts = flag_or_variable(flags.artifacts, environment, "ARCHML_ARTIFACTS");
  context.workspace.pushgateway =
      flag_or_variable(flags.pushgateway, environment, "ARCHML_PUSHGATEWAY_URL");
  context.threads = threads_from(flags.threads, environment);
  context.progress = !flags.quiet;
  context.store.environment = store::s3_environment(environment);
  context.store.progress = context.progress;
  return context;
}

}  // namespace archml::jobs
