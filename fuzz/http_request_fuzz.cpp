// The endpoint's HTTP request parser, fed a connection's bytes as pipelined requests.
// Oracles: a complete request's views lie inside the buffer and its consumed bytes are
// parsed alone to the same request; a shorter prefix of it is never complete; and how
// the bytes arrive does not change the answer: a prefix that is rejected means the whole
// buffer is rejected with the same status.
//
// Input: byte 0 picks the limits (header bytes 16 + 4 * (bits 0-5), so the 431 path is
// reached with short inputs; body bytes 8 << bits 6-7); the rest is the connection's bytes.
#include <cstdint>

#include "archml/serve/http_request.h"
#include "harness.h"

namespace archml::fuzz {
namespace {

using serve::HttpLimits;
using serve::HttpRequest;
using serve::ParseOutcome;
using serve::ParseResult;

bool inside(std::string_view part, std::string_view buffer) {
  return part.empty() || (part.data() >= buffer.data() &&
                          part.data() + part.size() <= buffer.data() + buffer.size());
}

void check_views(const HttpRequest& request, std::string_view buffer) {
  check(inside(request.method, buffer) && inside(request.target, buffer) &&
            inside(request.body, buffer),
        "a request view points outside the buffer");
  for (const auto& [name, value] : request.headers)
    check(inside(name, buffer) && inside(value, buffer), "a header view points outside the buffer");
  check(!request.method.empty() && !request.target.empty(), "a complete request without a method");
}

bool same(const HttpRequest& a, const HttpRequest& b) {
  return a.method == b.method && a.target == b.target && a.body == b.body &&
         a.headers == b.headers && a.keep_alive == b.keep_alive;
}

// The oracles of one parse of the front of `buffer`.
void check_request(std::string_view buffer, const HttpLimits& limits, const ParseResult& result,
                   const HttpRequest& request) {
  HttpRequest again;
  if (result.outcome == ParseOutcome::kComplete) {
    check(result.consumed > 0 && result.consumed <= buffer.size(), "consumed is out of range");
    check_views(request, buffer);
    const std::string_view alone = buffer.substr(0, result.consumed);
    const ParseResult reparsed = serve::parse_http_request(alone, limits, again);
    check(reparsed.outcome == ParseOutcome::kComplete && reparsed.consumed == result.consumed &&
              same(again, request),
          "the request's own bytes parse to another outcome");
    const ParseResult shorter =
        serve::parse_http_request(alone.substr(0, alone.size() - 1), limits, again);
    check(shorter.outcome != ParseOutcome::kComplete, "a prefix of a request is complete");
    check(shorter.outcome != ParseOutcome::kRejected, [&] {
      return "a prefix of a complete request is rejected with " + std::to_string(shorter.status);
    });
  }
  if (result.outcome == ParseOutcome::kRejected)
    check(result.status == 400 || result.status == 411 || result.status == 413 ||
              result.status == 417 || result.status == 431 || result.status == 505,
          [&] { return "rejected with status " + std::to_string(result.status); });
  // Prefixes, as the bytes may arrive: a rejection is final, and the same. Only the
  // header limit can reject a prefix that the whole passes (header lines and the body
  // length are the same in both), so the prefixes checked are the short ones and those
  // around the limit (after the blank lines that may precede a request).
  std::size_t blank = 0;
  while (blank + 1 < buffer.size() && buffer[blank] == '\r' && buffer[blank + 1] == '\n')
    blank += 2;
  const std::size_t near_limit = blank + limits.max_header_bytes;
  for (std::size_t size = 0; size < buffer.size() && size <= near_limit + 8; ++size) {
    if (size >= 8 && size + 4 < near_limit) size = near_limit - 4;
    const ParseResult prefix = serve::parse_http_request(buffer.substr(0, size), limits, again);
    if (prefix.outcome != ParseOutcome::kRejected) continue;
    check(result.outcome == ParseOutcome::kRejected && result.status == prefix.status, [&] {
      return "the first " + std::to_string(size) + " bytes are rejected with " +
             std::to_string(prefix.status) + ", all " + std::to_string(buffer.size()) +
             " bytes get " +
             (result.outcome == ParseOutcome::kRejected ? std::to_string(result.status)
                                                        : std::string("no rejection"));
    });
    break;
  }
}

}  // namespace

void http_request(std::string_view input) {
  if (input.empty()) return;
  const auto flags = static_cast<std::uint8_t>(input[0]);
  HttpLimits limits;
  limits.max_header_bytes = 16 + 4 * std::size_t{flags & 63u};
  limits.max_body_bytes = std::size_t{8} << (flags >> 6) * 4;
  std::string_view buffer = input.substr(1);
  // Pipelined requests, taken one at a time as the server does.
  while (true) {
    HttpRequest request;
    const ParseResult result = serve::parse_http_request(buffer, limits, request);
    check_request(buffer, limits, result, request);
    if (result.outcome != ParseOutcome::kComplete) break;
    (void)request.path();
    (void)request.header("content-type");
    buffer.remove_prefix(result.consumed);
  }
}

}  // namespace archml::fuzz
