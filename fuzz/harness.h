// Fuzz harnesses: each takes one input (any bytes) and drives one parser of archml with it,
// checking what must hold whatever the bytes. The same sources are linked two ways:
// into libFuzzer executables (fuzz/libfuzzer_main.cpp, built by clang with ARCHML_FUZZ=ON,
// run by scripts/fuzz), and into the unit tests (tests/fuzz/replay_test.cpp), which replay
// every seed of fuzz/corpus/<name>/ and every input that ever failed, kept in
// fuzz/regressions/<name>/.
//
// An archml::Error is an expected outcome for bad input, except one of kind kInternal
// (a bug by its own definition). A Finding (a broken oracle), any other exception, a
// crash, a sanitizer report or a hang is a finding.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace archml::fuzz {

// An oracle that did not hold.
class Finding : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Throws Finding(describe()) unless `holds`: the message is made only on failure (some
// checks run per row, and some messages print what only a failure may hold).
template <typename Describe>
void check(bool holds, Describe&& describe) {
  if (!holds) throw Finding(describe());
}
inline void check(bool holds, const char* what) {
  check(holds, [what] { return std::string(what); });
}

using Harness = void (*)(std::string_view input);

// The harnesses, one per parser (fuzz/<name>_fuzz.cpp).
void csv_reader(std::string_view input);
void http_request(std::string_view input);
void request_decoding(std::string_view input);
void expression(std::string_view input);
void recipe(std::string_view input);
void tuning_config(std::string_view input);
void s3_xml(std::string_view input);

// Runs `harness` on `input`, taking an archml::Error other than kInternal as the expected
// outcome of bad input; everything else (Finding, an internal Error, other exceptions)
// propagates.
void run_one(Harness harness, std::string_view input);

}  // namespace archml::fuzz
