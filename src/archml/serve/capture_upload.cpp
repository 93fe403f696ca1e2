#include "archml/serve/capture_upload.h"

#include <cstdio>
#include <exception>
#include <memory>
#include <system_error>

#include "archml/store/open_store.h"

namespace archml::serve {

namespace fs = std::filesystem;

std::function<void(const fs::path&)> capture_uploader(const std::string& store_uri,
                                                      const store::StoreOptions& store_options,
                                                      const fs::path& capture_root,
                                                      bool keep_local) {
  // Shared only so the hook is copyable; the capture writer's single thread uses it.
  std::shared_ptr<store::ArtifactStore> store =
      store::open_artifact_store(store_uri, store_options);
  return [store, capture_root, keep_local](const fs::path& file) {
    const std::string key = file.lexically_relative(capture_root).generic_string();
    try {
      store->put_file(key, file);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "archml serve: capture file %s stays local, upload failed: %s\n",
                   file.c_str(), error.what());
      return;
    }
    if (keep_local) return;
    std::error_code ignored;
    fs::remove(file, ignored);
  };
}

}  // namespace archml::serve
