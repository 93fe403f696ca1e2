// An artifact store in a local directory: key "a/b.json" is the file ROOT/a/b.json.
// Writes go to a temporary file in the same directory and are renamed into place, so a
// crash leaves either the old object or the new one, never a torn file; the temporary
// names are hidden from list(). Removing the last object of a folder removes the folder.
#pragma once

#include <filesystem>

#include "archml/store/artifact_store.h"

namespace archml::store {

class LocalStore : public ArtifactStore {
 public:
  // Creates `root` if needed.
  explicit LocalStore(std::filesystem::path root);

  std::string uri() const override;
  void put_bytes(std::string_view key, std::string_view bytes) override;
  void put_file(std::string_view key, const std::filesystem::path& source) override;
  std::string get_bytes(std::string_view key) override;
  void get_file(std::string_view key, const std::filesystem::path& destination) override;
  std::string get_range(std::string_view key, std::uint64_t offset, std::uint64_t length) override;
  std::optional<ObjectInfo> head(std::string_view key) override;
  std::vector<ObjectInfo> list(std::string_view prefix) override;
  void remove(std::string_view key) override;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path path_of(std::string_view key) const;

  std::filesystem::path root_;
};

}  // namespace archml::store
