#include "harness.h"

#include "archml/core/error.h"

namespace archml::fuzz {

void run_one(Harness harness, std::string_view input) {
  try {
    harness(input);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::kInternal)
      throw Finding(std::string("an internal error: ") + error.what());
  }
}

}  // namespace archml::fuzz
