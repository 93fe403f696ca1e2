// libcurl's process-wide initialisation, done once for every HTTP client of this folder
// (the S3 store, the Pushgateway client): curl_global_init is not thread-safe in every
// libcurl build, and requests start on threads.
#pragma once

namespace archml::store {

void initialise_curl_once();

}  // namespace archml::store
