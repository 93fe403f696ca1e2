#include "archml/track/process_identity.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace archml::track {

ProcessIdentity current_process() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  ProcessIdentity identity;
  identity.host = host;
  identity.pid = static_cast<long>(getpid());
  identity.start = process_start(identity.pid);
  return identity;
}

std::string process_start(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return {};
  // The command name (field 2) is in parentheses and may hold spaces: count after it.
  auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(line.substr(close + 1));
  std::string field;
  // A zombie has ended; only its exit status waits to be collected.
  if (!(fields >> field) || field == "Z") return {};
  for (int index = 4; index <= 22 && fields >> field; ++index)
    if (index == 22) return field;
  return {};
}

bool is_running(const ProcessIdentity& identity) {
  if (identity.pid <= 0) return false;
  std::string start = process_start(identity.pid);
  if (start.empty()) return false;
  return identity.start.empty() || start == identity.start;
}

}  // namespace archml::track
