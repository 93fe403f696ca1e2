// HTTP/1.1 requests as the endpoint's server reads them: an incremental parser over the
// bytes received so far on a connection. It finds one complete request at the front of
// the buffer (so pipelined requests are taken one at a time, in order), or says more
// bytes are needed, or rejects the request with the status to answer. Bodies must carry
// Content-Length; chunked bodies are refused with 411. The request's views point into the
// buffer and are valid until the caller consumes those bytes.
//
// The header limit is exact and independent of how the bytes arrive: the header block
// (blank lines before the request, the request line, the header lines and the empty line
// ending them, CRLFs included) may hold at most max_header_bytes bytes, whether the
// block came in one read or byte by byte. Header names must be tokens (RFC 9110: letters,
// digits and !#$%&'*+-.^_`|~) and values must not hold NUL, CR or LF: anything else is 400.
// `Expect: 100-continue` is reported (the server answers 100 before the body); any other
// expectation is 417.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archml::serve {

struct HttpLimits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 6 * 1024 * 1024;
};

struct HttpRequest {
  std::string_view method;
  std::string_view target;  // path and query as sent
  std::string_view body;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  bool keep_alive = true;         // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only on request
  bool expects_continue = false;  // HTTP/1.1 with "Expect: 100-continue"

  // The path without the query string.
  std::string_view path() const;
  // The first header of that name (case-insensitive), value without surrounding blanks.
  std::optional<std::string_view> header(std::string_view name) const;
};

enum class ParseOutcome { kIncomplete, kComplete, kRejected };

struct ParseResult {
  ParseOutcome outcome = ParseOutcome::kIncomplete;
  std::size_t consumed = 0;  // bytes of the complete request
  // When incomplete: the header block is complete and the body is still arriving (the
  // request's method, target and headers are filled in).
  bool headers_complete = false;
  int status = 0;       // when rejected: 400, 411, 413, 417, 431, 505
  std::string message;  // when rejected: what was wrong
};

ParseResult parse_http_request(std::string_view buffer, const HttpLimits& limits,
                               HttpRequest& request);

bool equals_ignoring_case(std::string_view a, std::string_view b);
// Without leading and trailing spaces and tabs (header values, list items).
std::string_view trim_blanks(std::string_view text);

}  // namespace archml::serve
