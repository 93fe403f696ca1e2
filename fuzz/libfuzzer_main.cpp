// The libFuzzer entry point of one harness, chosen at compile time by ARCHML_FUZZ_HARNESS
// (see fuzz/CMakeLists.txt). A finding prints what broke and aborts, which libFuzzer
// reports as a crash and saves the input of.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    archml::fuzz::run_one(archml::fuzz::ARCHML_FUZZ_HARNESS,
                          std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const archml::fuzz::Finding& finding) {
    std::fprintf(stderr, "== archml fuzz finding: %s\n", finding.what());
    std::abort();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "== archml fuzz finding: an exception that is not archml::Error: %s\n",
                 error.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "== archml fuzz finding: an exception that is not a std::exception\n");
    std::abort();
  }
  return 0;
}
