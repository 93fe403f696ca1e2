#include "archml/serve/http_request.h"

#include <gtest/gtest.h>

#include <string>

namespace archml::serve {
namespace {

TEST(ServeHttpRequest, ParsesOneRequestAndLeavesThePipelinedNext) {
  const std::string buffer =
      "POST /invocations?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: text/csv\r\n"
      "Content-Length: 5\r\n\r\n1,2,3GET /ping HTTP/1.1\r\n\r\n";
  HttpRequest request;
  const ParseResult first = parse_http_request(buffer, {}, request);
  ASSERT_EQ(first.outcome, ParseOutcome::kComplete);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path(), "/invocations");
  EXPECT_EQ(request.body, "1,2,3");
  EXPECT_EQ(request.header("content-type"), "text/csv");
  EXPECT_FALSE(request.header("Accept").has_value());
  EXPECT_TRUE(request.keep_alive);
  const ParseResult second =
      parse_http_request(std::string_view(buffer).substr(first.consumed), {}, request);
  ASSERT_EQ(second.outcome, ParseOutcome::kComplete);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path(), "/ping");
  EXPECT_EQ(first.consumed + second.consumed, buffer.size());
}

TEST(ServeHttpRequest, WaitsForTheWholeHeaderAndBody) {
  HttpRequest request;
  EXPECT_EQ(parse_http_request("POST / HTTP/1.1\r\nContent-Le", {}, request).outcome,
            ParseOutcome::kIncomplete);
  EXPECT_EQ(
      parse_http_request("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nab", {}, request).outcome,
      ParseOutcome::kIncomplete);
}

// A header block of exactly the limit (its closing "\r\n\r\n" included) is accepted
// however its bytes arrive. (Found by fuzz/http_request_fuzz.cpp: 431 or 200 depended on
// where the reads split.)
TEST(ServeHttpRequest, TheHeaderLimitDoesNotDependOnHowBytesArrive) {
  HttpLimits limits;
  limits.max_header_bytes = 32;
  const std::string head = "GET / HTTP/1.1\r\nX: " + std::string(32 - 19 - 4, 'y');
  const std::string whole = head + "\r\n\r\n";
  ASSERT_EQ(whole.size(), 32u);
  HttpRequest request;
  for (std::size_t size = 0; size < whole.size(); ++size)
    EXPECT_EQ(parse_http_request(whole.substr(0, size), limits, request).outcome,
              ParseOutcome::kIncomplete)
        << size << " bytes";
  EXPECT_EQ(parse_http_request(whole, limits, request).outcome, ParseOutcome::kComplete);
  const ParseResult longer = parse_http_request(head + "yyyyy", limits, request);
  EXPECT_EQ(longer.outcome, ParseOutcome::kRejected);
  EXPECT_EQ(longer.status, 431);
}

TEST(ServeHttpRequest, ConnectionHeaderAndVersionDecideKeepAlive) {
  HttpRequest request;
  parse_http_request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", {}, request);
  EXPECT_FALSE(request.keep_alive);
  parse_http_request("GET / HTTP/1.0\r\n\r\n", {}, request);
  EXPECT_FALSE(request.keep_alive);
  parse_http_request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", {}, request);
  EXPECT_TRUE(request.keep_alive);
}

TEST(ServeHttpRequest, RejectsWithTheStatusToAnswer) {
  HttpRequest request;
  HttpLimits limits;
  limits.max_body_bytes = 10;
  limits.max_header_bytes = 64;
  auto status = [&](const std::string& text) {
    const ParseResult result = parse_http_request(text, limits, request);
    return result.outcome == ParseOutcome::kRejected ? result.status : 0;
  };
  EXPECT_EQ(status("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n"), 413);
  EXPECT_EQ(status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), 411);
  EXPECT_EQ(status("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"), 400);
  EXPECT_EQ(status("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400);
  EXPECT_EQ(status("GARBAGE\r\n\r\n"), 400);
  EXPECT_EQ(status("GET / HTTP/2.0\r\n\r\n"), 505);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nno colon here\r\n\r\n"), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX: " + std::string(100, 'a')), 431);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n"), 431);
}

}  // namespace
}  // namespace archml::serve

namespace archml::serve {
namespace {

// Feeds `bytes` to the parser as a connection would receive them, `step` bytes at a time
// (0: all at once), and returns the status it rejects with (0 when it accepts).
int status_when_received(const std::string& bytes, std::size_t step, const HttpLimits& limits) {
  HttpRequest request;
  const std::size_t chunk = step == 0 ? bytes.size() : step;
  for (std::size_t received = std::min(chunk, bytes.size());; received += chunk) {
    received = std::min(received, bytes.size());
    const ParseResult result =
        parse_http_request(std::string_view(bytes).substr(0, received), limits, request);
    if (result.outcome == ParseOutcome::kRejected) return result.status;
    if (result.outcome == ParseOutcome::kComplete) return 0;
    if (received == bytes.size()) return -1;  // still incomplete: a test error
  }
}

// A GET whose header block (CRLFs and the final empty line included) is `size` bytes.
std::string request_with_header_block(std::size_t size) {
  const std::string head = "GET / HTTP/1.1\r\nX: ";
  return head + std::string(size - head.size() - 4, 'a') + "\r\n\r\n";
}

TEST(ServeHttpRequest, TheHeaderLimitIsExactWhateverTheChunking) {
  HttpLimits limits;  // 16 KiB
  for (const std::size_t size : {16382u, 16383u, 16384u, 16385u, 16386u}) {
    const std::string bytes = request_with_header_block(size);
    const int expected = size <= 16384 ? 0 : 431;
    EXPECT_EQ(status_when_received(bytes, 0, limits), expected) << size << " bytes whole";
    EXPECT_EQ(status_when_received(bytes, 1, limits), expected) << size << " bytes one by one";
    EXPECT_EQ(status_when_received(bytes, 7, limits), expected) << size << " bytes 7 at a time";
  }
}

TEST(ServeHttpRequest, BlankLinesBeforeARequestCountTowardsTheHeaderLimit) {
  HttpLimits limits;
  limits.max_header_bytes = 64;
  HttpRequest request;
  std::string blank_lines;
  for (int i = 0; i < 40; ++i) blank_lines += "\r\n";
  const ParseResult result = parse_http_request(blank_lines, limits, request);
  EXPECT_EQ(result.outcome, ParseOutcome::kRejected);
  EXPECT_EQ(result.status, 431);
}

TEST(ServeHttpRequest, HeaderNamesMustBeTokensAndValuesFreeOfNulAndCr) {
  using namespace std::string_literals;
  HttpRequest request;
  auto status = [&](const std::string& text) {
    const ParseResult result = parse_http_request(text, {}, request);
    return result.outcome == ParseOutcome::kRejected ? result.status : 0;
  };
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX\0Y: 1\r\n\r\n"s), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX\rY: 1\r\n\r\n"), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX(Y): 1\r\n\r\n"), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX-Y: a\rb\r\n\r\n"), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX-Y: a\0b\r\n\r\n"s), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX-Y: a\nB: b\r\n\r\n"), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX-Y_z.1!#$%&'*+^`|~: a\tb \"c\"\r\n\r\n"), 0);
}

TEST(ServeHttpRequest, ReportsExpect100ContinueOnceTheHeadersAreIn) {
  HttpRequest request;
  const std::string head = "POST / HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n";
  ParseResult result = parse_http_request(head, {}, request);
  EXPECT_EQ(result.outcome, ParseOutcome::kIncomplete);
  EXPECT_TRUE(result.headers_complete);
  EXPECT_TRUE(request.expects_continue);
  result = parse_http_request(head.substr(0, head.size() - 1), {}, request);
  EXPECT_FALSE(result.headers_complete);
  const std::string whole = head + "abc";  // the request's views point into it
  result = parse_http_request(whole, {}, request);
  EXPECT_EQ(result.outcome, ParseOutcome::kComplete);
  EXPECT_EQ(request.body, "abc");
  // Never a 100 to HTTP/1.0; any other expectation is 417.
  parse_http_request("POST / HTTP/1.0\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n", {},
                     request);
  EXPECT_FALSE(request.expects_continue);
  result = parse_http_request("POST / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n", {}, request);
  EXPECT_EQ(result.outcome, ParseOutcome::kRejected);
  EXPECT_EQ(result.status, 417);
}

}  // namespace
}  // namespace archml::serve
