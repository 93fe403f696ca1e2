#include "cli/help_format.h"

#include <sstream>
#include <string>

namespace archml::cli {
namespace {

class OneLineCommandList : public CLI::Formatter {
 public:
  std::string make_subcommand(const CLI::App* command) const override {
    const std::string& description = command->get_description();
    std::stringstream out;
    CLI::detail::format_help(out, command->get_display_name(true),
                             description.substr(0, description.find('\n')), column_width_);
    return out.str();
  }
};

}  // namespace

std::shared_ptr<CLI::Formatter> one_line_command_list() {
  return std::make_shared<OneLineCommandList>();
}

}  // namespace archml::cli
