// Sends finished data-capture files to an artifact store: the hook for
// CaptureOptions::on_file_finished. The file ROOT/<endpoint>/.../<name>.jsonl goes to the
// key <endpoint>/.../<name>.jsonl under the store URI (SageMaker's S3 layout), on the
// capture writer's thread, never a request's. Once stored it is removed locally unless
// `keep_local`; a failed upload keeps the file and says so on stderr, so no capture is
// lost and the server keeps serving.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "archml/store/open_store.h"

namespace archml::serve {

// Opens the store now, with the context's store settings (credentials, endpoint), so a
// bad URI or missing credentials fail at startup.
std::function<void(const std::filesystem::path&)> capture_uploader(
    const std::string& store_uri, const store::StoreOptions& store_options,
    const std::filesystem::path& capture_root, bool keep_local);

}  // namespace archml::serve
