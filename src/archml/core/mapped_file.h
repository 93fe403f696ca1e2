// A read-only memory map of a whole file. Readers that stream through a big file
// call release() on the ranges they are done with, so pages already parsed do not
// stay resident (they remain in the page cache and fault back in if touched again).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace archml::core {

class MappedFile {
 public:
  // Throws archml::Error: not found when the file does not exist, I/O otherwise.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_, size_}; }

  // Drops the whole pages inside [offset, offset + length) from this process's
  // resident set; the content stays readable. Safe to call from several threads.
  void release(std::size_t offset, std::size_t length) const;

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace archml::core
