#include "archml/core/text_file.h"

#include <fstream>
#include <sstream>

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
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) throw_io("cannot write '" + path.string() + "': check the directory is writable");
}

}  // namespace archml::core
