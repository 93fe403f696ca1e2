#include "archml/core/text_file.h"

#include <fstream>
#include <sstream>

#include "archml/core/atomic_file.h"
#include "archml/core/error.h"

namespace archml::core {

std::string read_text_file(const std::filesystem::path& path, std::string_view what) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw_not_found(std::string(what) + " '" + path.string() + "' does not exist");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw_io("cannot read " + std::string(what) + " '" + path.string() +
             "': check its permissions");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text_file(const std::filesystem::path& path, std::string_view text) {
  AtomicFile file(path);
  file.write(text);
  file.commit(false);
}

}  // namespace archml::core
