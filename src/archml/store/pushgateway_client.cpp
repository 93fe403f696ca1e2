#include "archml/store/pushgateway_client.h"

#include <curl/curl.h>

#include <memory>

#include "archml/core/base64.h"
#include "archml/core/error.h"
#include "archml/store/curl_global.h"

namespace archml::store {
namespace {

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool plain_path_segment(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value)
    if (!is_unreserved(c)) return false;
  return true;
}

std::string group_segment(std::string_view name, std::string_view value) {
  std::string segment = "/" + core::sanitize_metric_name(name);
  if (plain_path_segment(value)) return segment + "/" + std::string(value);
  // An empty value needs the single '=' the Pushgateway documents; otherwise its '//'
  // would be collapsed away.
  return segment + "@base64/" + (value.empty() ? std::string("=") : core::base64url(value));
}

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

std::string pushgateway_base_url(std::string_view url) {
  std::string base(url);
  const auto scheme_end = base.find("://");
  if (scheme_end == std::string::npos) {
    base = "http://" + base;
  } else {
    const std::string scheme = base.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https")
      throw_invalid("Pushgateway URL '" + std::string(url) +
                    "' must be http:// or https:// (e.g. http://127.0.0.1:9091)");
  }
  const auto host_start = base.find("://") + 3;
  while (base.size() > host_start && base.back() == '/') base.pop_back();
  if (host_start >= base.size() || base[host_start] == '/' || base[host_start] == ':')
    throw_invalid("Pushgateway URL '" + std::string(url) +
                  "' names no host (e.g. http://127.0.0.1:9091)");
  return base;
}

std::string pushgateway_group_url(std::string_view base_url, const PushGroup& group) {
  std::string url = std::string(base_url) + "/metrics" + group_segment("job", group.job);
  for (const auto& label : group.labels) url += group_segment(label.name, label.value);
  return url;
}

void pushgateway_put(const std::string& group_url, const std::string& body,
                     std::chrono::milliseconds timeout) {
  initialise_curl_once();
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw_io("cannot push to the Pushgateway: libcurl failed to initialise");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(
      curl_slist_append(
          nullptr, ("Content-Type: " + std::string(core::PrometheusWriter::kContentType)).c_str()),
      curl_slist_free_all);
  std::string answer;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, group_url.c_str());
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, "PUT");
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  // Signals would interrupt other threads' work; timeouts then rely on the threaded resolver.
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  char error_text[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
  const CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK)
    throw_io("cannot push to the Pushgateway at " + group_url + ": " +
             (error_text[0] != '\0' ? error_text : curl_easy_strerror(code)));
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    while (!answer.empty() && (answer.back() == '\n' || answer.back() == '\r')) answer.pop_back();
    throw_io("the Pushgateway at " + group_url + " answered HTTP " + std::to_string(status) +
             (answer.empty() ? "" : ": " + answer.substr(0, 300)));
  }
}

}  // namespace archml::store
