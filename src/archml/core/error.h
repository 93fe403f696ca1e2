// The one error type of archml. Code below the boundaries (CLI main, HTTP handler,
// job runner) throws it; the boundaries turn its kind into an exit code or a status.
// The message must tell the user what went wrong and what to do about it.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace archml {

enum class ErrorKind {
  kInvalidInput,  // the user gave something malformed: a bad flag value, a broken file
  kNotFound,      // a file, column, run or object that does not exist
  kIo,            // the operating system or a server refused a read or write
  kUnsupported,   // a valid request that archml does not handle (yet)
  kInternal,      // a bug: an invariant that should have held did not
};

std::string_view to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// Process exit code for an error kind; 1 is reserved for unexpected failures.
int exit_code(ErrorKind kind);

[[noreturn]] void throw_invalid(const std::string& message);
[[noreturn]] void throw_not_found(const std::string& message);
[[noreturn]] void throw_io(const std::string& message);

}  // namespace archml
