#include "archml/store/curl_global.h"

#include <curl/curl.h>

#include <mutex>

namespace archml::store {

void initialise_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace archml::store
