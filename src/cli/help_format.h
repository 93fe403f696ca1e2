// How archml lays out --help: a parent's list of commands shows one line per command, the
// first line of its description (a summary), so the list reads at a glance as git's and
// docker's do; the whole description (summary, paragraphs, examples) is in the command's
// own --help. Set on the app before its commands are added: they inherit it.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace archml::cli {

std::shared_ptr<CLI::Formatter> one_line_command_list();

}  // namespace archml::cli
