#include "archml/jobs/command_objective.h"

// GCC 12 reports std::regex's own internals as maybe-uninitialized at -O2 with the
// sanitizers (GCC bug 105562, fixed in 13); the warning is false, and -Werror would fail
// the build. The instantiations happen at the end of this file, so no push/pop.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "archml/core/error.h"

extern char** environ;

namespace archml::jobs {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kTailLines = 8;

// Replaces {name} with values[name]; {{ and }} are literal braces. With `values` null,
// only checks that every placeholder is in `known`.
std::string substitute(const std::string& word, const std::map<std::string, std::string>* values,
                       const std::set<std::string>& known) {
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if ((c == '{' || c == '}') && i + 1 < word.size() && word[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    const std::size_t close = word.find('}', i);
    if (close == std::string::npos)
      throw_invalid("command.run: '{' without a closing '}' in '" + word +
                    "' (write {{ for a literal brace)");
    const std::string name = word.substr(i + 1, close - i - 1);
    if (!known.contains(name)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + ("{" + k + "}");
      throw_invalid("command.run: unknown placeholder {" + name + "}; known: " + list);
    }
    if (values != nullptr) out += values->at(name);
    i = close;
  }
  return out;
}

class Pipe {
 public:
  Pipe() {
    if (::pipe2(fds_, O_CLOEXEC) != 0) throw_io(std::string("pipe: ") + std::strerror(errno));
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void close_read() {
    if (fds_[0] >= 0) ::close(fds_[0]);
    fds_[0] = -1;
  }
  void close_write() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

class CommandRunner {
 public:
  CommandRunner(CommandSpec spec, std::vector<std::string> words, std::set<std::string> known)
      : spec_(std::move(spec)),
        words_(std::move(words)),
        known_(std::move(known)),
        regex_(spec_.metric_regex, std::regex::ECMAScript) {}

  tune::TrialOutcome operator()(const tune::TrialRequest& request,
                                tune::TrialReporter& reporter) const {
    std::map<std::string, std::string> values(request.parameters.begin(), request.parameters.end());
    values["trial_dir"] = request.trial_dir.string();
    values["trial_number"] = std::to_string(request.trial_number);
    values["max_steps"] = std::to_string(request.max_steps);
    values["threads"] = std::to_string(request.threads);
    std::vector<std::string> argv_words;
    for (const auto& word : words_) argv_words.push_back(substitute(word, &values, known_));
    return run(argv_words, request, reporter);
  }

 private:
  tune::TrialOutcome run(const std::vector<std::string>& words, const tune::TrialRequest& request,
                         tune::TrialReporter& reporter) const {
    std::vector<char*> argv;
    for (const auto& word : words) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);

    Pipe output;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, output.write_end(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, output.write_end(), STDERR_FILENO);
    if (!spec_.working_dir.empty())
      posix_spawn_file_actions_addchdir_np(&actions, spec_.working_dir.c_str());
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group, so stopping the trial also stops what the command started.
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0) throw_invalid("cannot run '" + words[0] + "': " + std::strerror(spawned));
    output.close_write();

    std::ofstream log;
    if (!request.trial_dir.empty()) log.open(request.trial_dir / "output.log");
    tune::TrialOutcome outcome;
    bool have_value = false, timed_out = false;
    std::deque<std::string> tail;
    std::string pending;
    const auto deadline = Clock::now() + std::chrono::milliseconds(
                                             static_cast<long long>(spec_.timeout_seconds * 1000));
    auto stop_process = [&] { ::kill(-pid, SIGTERM); };
    auto take_line = [&](const std::string& line) {
      if (log.is_open()) log << line << '\n';
      tail.push_back(line);
      if (tail.size() > kTailLines) tail.pop_front();
      // Output already in the pipe when the trial was stopped is not part of its result.
      if (outcome.stopped_early) return;
      for (auto match = std::sregex_iterator(line.begin(), line.end(), regex_);
           match != std::sregex_iterator(); ++match) {
        const std::string text = match->size() > 1 ? (*match)[1].str() : (*match)[0].str();
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) continue;
        outcome.objective = value;
        have_value = true;
        ++outcome.steps;
        if (!outcome.stopped_early && !reporter.report(outcome.steps, value)) {
          outcome.stopped_early = true;
          stop_process();
        }
      }
    };
    char buffer[4096];
    while (true) {
      int wait_ms = -1;
      if (spec_.timeout_seconds > 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
          timed_out = true;
          ::kill(-pid, SIGKILL);
          break;
        }
        wait_ms = static_cast<int>(std::min<long long>(left.count(), 1000));
      }
      pollfd poll_fd{output.read_end(), POLLIN, 0};
      const int ready = ::poll(&poll_fd, 1, wait_ms);
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) continue;
      const ssize_t got = ::read(output.read_end(), buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      pending.append(buffer, static_cast<std::size_t>(got));
      std::size_t newline;
      while ((newline = pending.find('\n')) != std::string::npos) {
        take_line(pending.substr(0, newline));
        pending.erase(0, newline + 1);
      }
    }
    if (!pending.empty() && !timed_out) take_line(pending);
    output.close_read();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::string last_lines;
    for (const auto& line : tail) last_lines += "\n  | " + line;
    if (timed_out)
      throw_invalid("the command ran longer than timeout_seconds (" +
                    std::to_string(spec_.timeout_seconds) + ") and was killed" + last_lines);
    if (outcome.stopped_early) {
      if (!have_value) throw_invalid("the command was stopped before reporting a value");
      return outcome;
    }
    if (WIFSIGNALED(status))
      throw_invalid("the command was killed by signal " + std::to_string(WTERMSIG(status)) +
                    last_lines);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
      throw_invalid("the command exited with status " + std::to_string(WEXITSTATUS(status)) +
                    last_lines);
    if (!have_value)
      throw_invalid("metric_regex '" + spec_.metric_regex +
                    "' matched no number in the command's output" + last_lines);
    return outcome;
  }

  CommandSpec spec_;
  std::vector<std::string> words_;
  std::set<std::string> known_;
  std::regex regex_;
};

}  // namespace

CommandSpec parse_command_section(const nlohmann::json& section) {
  if (!section.is_object()) throw_invalid("command must be a mapping with run and metric_regex");
  for (const auto& [key, value] : section.items())
    if (key != "run" && key != "metric_regex" && key != "timeout_seconds")
      throw_invalid("command: unknown key '" + key +
                    "' (known: run, metric_regex, timeout_seconds)");
  CommandSpec spec;
  if (!section.contains("run") || !section["run"].is_string())
    throw_invalid("command.run must be the command to run, with {param} placeholders");
  spec.run = section["run"].get<std::string>();
  if (!section.contains("metric_regex") || !section["metric_regex"].is_string())
    throw_invalid(
        "command.metric_regex must be a regular expression whose first group captures "
        "the objective, e.g. 'objective: ([-+0-9.eE]+)'");
  spec.metric_regex = section["metric_regex"].get<std::string>();
  if (section.contains("timeout_seconds")) {
    const auto& timeout = section["timeout_seconds"];
    if (!timeout.is_number() || !(timeout.get<double>() >= 0))
      throw_invalid("command.timeout_seconds must be a number >= 0 (0 = no limit)");
    spec.timeout_seconds = timeout.get<double>();
  }
  return spec;
}

std::vector<std::string> split_command_words(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const std::size_t close = command.find('\'', i + 1);
      if (close == std::string_view::npos) throw_invalid("command.run: unterminated ' quote");
      word.append(command.substr(i + 1, close - i - 1));
      i = close;
      in_word = true;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < command.size() && command[j] != '"'; ++j) {
        if (command[j] == '\\' && j + 1 < command.size() &&
            (command[j + 1] == '"' || command[j + 1] == '\\'))
          ++j;
        word += command[j];
      }
      if (j >= command.size()) throw_invalid("command.run: unterminated \" quote");
      i = j;
      in_word = true;
    } else if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

tune::Objective make_command_objective(const CommandSpec& spec,
                                       const std::vector<std::string>& parameter_names) {
  std::vector<std::string> words = split_command_words(spec.run);
  if (words.empty()) throw_invalid("command.run is empty");
  std::set<std::string> known(parameter_names.begin(), parameter_names.end());
  for (const char* name : {"trial_dir", "trial_number", "max_steps", "threads"}) known.insert(name);
  for (const auto& word : words) substitute(word, nullptr, known);
  try {
    std::regex check(spec.metric_regex, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    throw_invalid("command.metric_regex '" + spec.metric_regex +
                  "' is not a valid regular "
                  "expression: " +
                  error.what());
  }
  auto runner = std::make_shared<const CommandRunner>(spec, std::move(words), std::move(known));
  return [runner](const tune::TrialRequest& request, tune::TrialReporter& reporter) {
    return (*runner)(request, reporter);
  };
}

}  // namespace archml::jobs
