#include "archml/store/open_store.h"

#include <cerrno>
#include <cstdlib>
#include <string>

#include "archml/core/error.h"
#include "archml/store/local_store.h"
#include "archml/store/s3_request.h"
#include "archml/store/s3_store.h"

namespace archml::store {
namespace {

// The first of the standard AWS SDK variables that is set.
std::string first_of(const std::map<std::string, std::string>& variables,
                     std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto found = variables.find(name);
    if (found != variables.end() && !found->second.empty()) return found->second;
  }
  return {};
}

// A whole number in [1, max] from an ARCHML_S3_* variable's text, or `fallback` when unset.
template <typename Number>
Number setting(std::optional<Number> option, const std::string& text, const char* variable,
               Number fallback, Number max, const char* unit) {
  if (option) return *option;
  if (text.empty()) return fallback;
  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (*end != '\0' || errno != 0 || value < 1 || value > static_cast<unsigned long long>(max) ||
      text.front() == '-' || text.front() == '+')
    throw_invalid(std::string(variable) + "='" + text + "' must be a whole number of " + unit +
                  " from 1 to " + std::to_string(max));
  return static_cast<Number>(value);
}

bool valid_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  return name.front() != '-' && name.front() != '.' && name.back() != '-' && name.back() != '.';
}

}  // namespace

S3Environment s3_environment(const std::map<std::string, std::string>& variables) {
  S3Environment environment;
  for (const char* variable : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
    environment.endpoint = first_of(variables, {variable});
    environment.endpoint_variable = variable;
    if (!environment.endpoint.empty()) break;
  }
  environment.region = first_of(variables, {"AWS_REGION", "AWS_DEFAULT_REGION"});
  environment.access_key = first_of(variables, {"AWS_ACCESS_KEY_ID"});
  environment.secret_key = first_of(variables, {"AWS_SECRET_ACCESS_KEY"});
  environment.session_token = first_of(variables, {"AWS_SESSION_TOKEN"});
  environment.connect_timeout = first_of(variables, {"ARCHML_S3_CONNECT_TIMEOUT"});
  environment.read_timeout = first_of(variables, {"ARCHML_S3_READ_TIMEOUT"});
  environment.list_max_keys = first_of(variables, {"ARCHML_S3_LIST_MAX_KEYS"});
  return environment;
}

bool is_s3_uri(std::string_view uri) {
  return uri.substr(0, 5) == "s3://";
}

std::string local_path(std::string_view uri) {
  constexpr std::string_view kFile = "file://";
  if (uri.substr(0, kFile.size()) == kFile) {
    std::string_view path = uri.substr(kFile.size());
    if (path.substr(0, 10) == "localhost/") path.remove_prefix(9);
    if (path.empty() || path.front() != '/')
      throw_invalid("'" + std::string(uri) +
                    "' is not a local file URI: write file:///absolute/path (three slashes) "
                    "or a plain path");
    return std::string(path);
  }
  if (uri.find("://") != std::string_view::npos)
    throw_invalid("unsupported artifact store '" + std::string(uri) +
                  "': use a folder path, file:///path or s3://bucket/prefix");
  return std::string(uri);
}

S3Uri parse_s3_uri(std::string_view uri) {
  if (!is_s3_uri(uri)) throw_invalid("'" + std::string(uri) + "' is not an s3:// URI");
  std::string_view rest = uri.substr(5);
  std::size_t slash = rest.find('/');
  S3Uri parsed;
  parsed.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) parsed.key = std::string(rest.substr(slash + 1));
  if (!valid_bucket_name(parsed.bucket))
    throw_invalid("'" + std::string(uri) +
                  "' does not start with a bucket name (3 to 63 characters: a-z, 0-9, '-', "
                  "'.'), as in s3://my-bucket/prefix");
  return parsed;
}

std::unique_ptr<ArtifactStore> open_artifact_store(std::string_view uri,
                                                   const StoreOptions& options) {
  if (uri.empty()) throw_invalid("an artifact store location cannot be empty");
  if (!is_s3_uri(uri)) return std::make_unique<LocalStore>(local_path(uri));
  S3Uri parsed = parse_s3_uri(uri);
  S3Config config;
  config.address.bucket = parsed.bucket;
  config.prefix = parsed.key;
  config.region = options.environment.region;
  if (config.region.empty()) config.region = "us-east-1";
  std::string source = "--s3-endpoint";
  std::string endpoint = options.s3_endpoint;
  if (endpoint.empty()) {
    endpoint = options.environment.endpoint;
    source = options.environment.endpoint_variable;
  }
  if (!endpoint.empty()) check_s3_endpoint(endpoint, source);
  config.address.endpoint = endpoint.empty() ? aws_default_endpoint(config.region) : endpoint;
  // Custom servers rarely have wildcard DNS for bucket subdomains; AWS prefers them.
  config.address.path_style = options.path_style.value_or(!endpoint.empty());
  config.access_key = options.environment.access_key;
  config.secret_key = options.environment.secret_key;
  config.session_token = options.environment.session_token;
  config.multipart_threshold = options.multipart_threshold;
  config.part_size = options.part_size;
  config.list_page_size = options.list_page_size;
  config.retry = options.retry;
  config.progress = options.progress;
  config.connect_timeout_seconds =
      setting<long>(options.connect_timeout_seconds, options.environment.connect_timeout,
                    "ARCHML_S3_CONNECT_TIMEOUT", config.connect_timeout_seconds, 3600, "seconds");
  config.read_timeout_seconds =
      setting<long>(options.read_timeout_seconds, options.environment.read_timeout,
                    "ARCHML_S3_READ_TIMEOUT", config.read_timeout_seconds, 3600, "seconds");
  config.list_limits.max_keys = setting<std::uint64_t>(
      options.list_max_keys, options.environment.list_max_keys, "ARCHML_S3_LIST_MAX_KEYS",
      config.list_limits.max_keys, 1'000'000'000'000ull, "keys");
  return std::make_unique<S3Store>(std::move(config));
}

}  // namespace archml::store
