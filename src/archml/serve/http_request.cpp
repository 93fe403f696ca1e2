#include "archml/serve/http_request.h"

#include <charconv>
#include <optional>

namespace archml::serve {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

ParseResult rejected(int status, std::string message) {
  ParseResult result;
  result.outcome = ParseOutcome::kRejected;
  result.status = status;
  result.message = std::move(message);
  return result;
}

bool contains_token(std::string_view list, std::string_view token) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    if (equals_ignoring_case(trim_blanks(list.substr(start, end - start)), token)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view HttpRequest::path() const {
  return target.substr(0, target.find('?'));
}

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (equals_ignoring_case(key, name)) return value;
  return std::nullopt;
}

namespace {

// RFC 9110's tchar: the characters of a header name or a method.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text)
    if (!is_token_char(c)) return false;
  return true;
}

ParseResult headers_too_large(const HttpLimits& limits) {
  return rejected(
      431, "the request headers exceed " + std::to_string(limits.max_header_bytes) + " bytes");
}

// The request line into `request`; a rejection when it is malformed.
std::optional<ParseResult> parse_request_line(std::string_view line, HttpRequest& request) {
  const std::size_t first_space = line.find(' ');
  const std::size_t last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || first_space == last_space)
    return rejected(400, "malformed request line");
  request.method = line.substr(0, first_space);
  request.target = line.substr(first_space + 1, last_space - first_space - 1);
  const std::string_view version = line.substr(last_space + 1);
  if (version == "HTTP/1.1") {
    request.keep_alive = true;
  } else if (version == "HTTP/1.0") {
    request.keep_alive = false;
  } else {
    return rejected(505, "only HTTP/1.0 and HTTP/1.1 are served");
  }
  if (request.method.empty() || request.target.empty())
    return rejected(400, "malformed request line");
  return std::nullopt;
}

// The header lines (`fields`, CRLF-separated) into `request`, and the body's length; a
// rejection when one is malformed or not acceptable.
std::optional<ParseResult> parse_header_fields(std::string_view fields, HttpRequest& request,
                                               std::size_t& content_length) {
  const bool http_1_1 = request.keep_alive;  // set by the version before any header
  bool has_length = false;
  while (!fields.empty()) {
    const std::size_t end = fields.find("\r\n");
    const std::string_view field = fields.substr(0, end);
    fields = end == std::string_view::npos ? std::string_view() : fields.substr(end + 2);
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return rejected(400, "malformed header line");
    const std::string_view name = field.substr(0, colon);
    if (!is_token(name)) return rejected(400, "malformed header name");
    const std::string_view value = trim_blanks(field.substr(colon + 1));
    if (value.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos)
      return rejected(400, "a header value holds NUL, CR or LF");
    request.headers.emplace_back(name, value);
    if (equals_ignoring_case(name, "content-length")) {
      std::size_t length = 0;
      const auto parsed = std::from_chars(value.data(), value.data() + value.size(), length);
      if (parsed.ec != std::errc() || parsed.ptr != value.data() + value.size() ||
          (has_length && length != content_length))
        return rejected(400, "invalid Content-Length");
      content_length = length;
      has_length = true;
    } else if (equals_ignoring_case(name, "transfer-encoding")) {
      return rejected(411, "chunked request bodies are not accepted; send Content-Length");
    } else if (equals_ignoring_case(name, "connection")) {
      if (contains_token(value, "close")) request.keep_alive = false;
      if (contains_token(value, "keep-alive")) request.keep_alive = true;
    } else if (equals_ignoring_case(name, "expect")) {
      if (!equals_ignoring_case(value, "100-continue"))
        return rejected(417, "the only expectation served is Expect: 100-continue");
      request.expects_continue = http_1_1;  // never a 100 to an HTTP/1.0 client
    }
  }
  return std::nullopt;
}

}  // namespace

ParseResult parse_http_request(std::string_view buffer, const HttpLimits& limits,
                               HttpRequest& request) {
  // Blank lines before a request are allowed (RFC 9112 section 2.2); they count towards
  // the header block, so a stream of them cannot grow the buffer without bound.
  std::size_t start = 0;
  while (start + 1 < buffer.size() && buffer[start] == '\r' && buffer[start + 1] == '\n')
    start += 2;
  // The block ends with the CRLFCRLF: once more than the limit has arrived without it,
  // the block is over the limit however the bytes came.
  const std::size_t header_end = buffer.find("\r\n\r\n", start);
  if (header_end == std::string_view::npos) {
    if (buffer.size() > limits.max_header_bytes) return headers_too_large(limits);
    return {};
  }
  const std::size_t body_start = header_end + 4;
  if (body_start > limits.max_header_bytes) return headers_too_large(limits);

  request = HttpRequest{};
  const std::string_view head = buffer.substr(start, header_end - start);
  const std::size_t line_end = head.find("\r\n");
  if (auto rejection = parse_request_line(head.substr(0, line_end), request)) return *rejection;
  std::size_t content_length = 0;
  const std::string_view fields =
      line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  if (auto rejection = parse_header_fields(fields, request, content_length)) return *rejection;
  if (content_length > limits.max_body_bytes)
    return rejected(413, "the body of " + std::to_string(content_length) +
                             " bytes exceeds the limit of " +
                             std::to_string(limits.max_body_bytes) + " bytes");
  ParseResult result;
  if (buffer.size() - body_start < content_length) {
    result.headers_complete = true;
    return result;
  }
  request.body = buffer.substr(body_start, content_length);
  result.outcome = ParseOutcome::kComplete;
  result.consumed = body_start + content_length;
  return result;
}

}  // namespace archml::serve
