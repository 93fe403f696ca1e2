#include "archml/store/s3_store.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "archml/core/atomic_file.h"
#include "archml/core/digest.h"
#include "archml/core/error.h"
#include "archml/core/parallel.h"
#include "archml/core/progress.h"
#include "archml/store/artifact_key.h"
#include "archml/store/curl_global.h"
#include "archml/store/etag.h"
#include "archml/store/file_range.h"
#include "archml/store/multipart_plan.h"
#include "archml/store/s3_xml.h"

namespace archml::store {
namespace fs = std::filesystem;
namespace {

// Transfers below this size finish before a progress bar would be worth drawing.
constexpr std::uint64_t kProgressBytes = 8ull << 20;

CURL* as_curl(void* handle) {
  return static_cast<CURL*>(handle);
}

// The state the libcurl callbacks of one attempt share. Callbacks cannot throw through C,
// so a failure is parked here and rethrown once curl_easy_perform returns.
struct Transfer {
  CURL* curl = nullptr;
  std::string_view upload;
  std::size_t uploaded = 0;
  std::string* body = nullptr;
  std::map<std::string, std::string>* headers = nullptr;
  const std::function<void(std::string_view, std::uint64_t)>* sink = nullptr;
  std::exception_ptr failure;
};

std::size_t read_body(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t n = std::min(size * count, transfer->upload.size() - transfer->uploaded);
  std::memcpy(buffer, transfer->upload.data() + transfer->uploaded, n);
  transfer->uploaded += n;
  return n;
}

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view bytes(data, size * count);
  long status = 0;
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
  // Error bodies are small XML documents the caller needs; only success streams away.
  if (transfer->sink != nullptr && *transfer->sink && status / 100 == 2) {
    try {
      curl_off_t total = -1;
      curl_easy_getinfo(transfer->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &total);
      (*transfer->sink)(bytes, total < 0 ? 0 : static_cast<std::uint64_t>(total));
    } catch (...) {
      transfer->failure = std::current_exception();
      return 0;
    }
  } else {
    transfer->body->append(bytes);
  }
  return bytes.size();
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
      value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
      value.remove_suffix(1);
    (*transfer->headers)[name] = std::string(value);
  }
  return line.size();
}

// "Fri, 27 Nov 2026 23:52:52 GMT" -> "2026-11-27T23:52:52Z".
std::string iso8601_from_http_date(const std::string& date) {
  std::tm parts{};
  if (strptime(date.c_str(), "%a, %d %b %Y %H:%M:%S", &parts) == nullptr) return date;
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// "2026-11-27T23:52:52.200Z" -> "2026-11-27T23:52:52Z", as head() reports it.
std::string whole_seconds(const std::string& timestamp) {
  return timestamp.size() > 19 ? timestamp.substr(0, 19) + "Z" : timestamp;
}

std::uint64_t local_file_size(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) throw_not_found("no file '" + path.string() + "'");
  std::uint64_t size = fs::file_size(path, error);
  if (error) throw_io("cannot read the size of '" + path.string() + "': " + error.message());
  return size;
}

// Easy handles for the parts of one upload that are in flight at once; a handle keeps its
// connection between the parts it carries.
class CurlHandles {
 public:
  CurlHandles() = default;
  CurlHandles(const CurlHandles&) = delete;
  CurlHandles& operator=(const CurlHandles&) = delete;
  ~CurlHandles() {
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
  }

  CURL* acquire() {
    std::lock_guard lock(mutex_);
    if (idle_.empty()) {
      CURL* handle = curl_easy_init();
      if (handle == nullptr) throw_io("libcurl could not create a handle (out of memory?)");
      return handle;
    }
    CURL* handle = idle_.back();
    idle_.pop_back();
    return handle;
  }
  void release(CURL* handle) {
    std::lock_guard lock(mutex_);
    idle_.push_back(handle);
  }

 private:
  std::mutex mutex_;
  std::vector<CURL*> idle_;
};

// One handle of a CurlHandles for the length of a scope.
class CurlLease {
 public:
  explicit CurlLease(CurlHandles& handles) : handles_(handles), handle_(handles.acquire()) {}
  ~CurlLease() { handles_.release(handle_); }
  CurlLease(const CurlLease&) = delete;
  CurlLease& operator=(const CurlLease&) = delete;
  CURL* get() const { return handle_; }

 private:
  CurlHandles& handles_;
  CURL* handle_;
};

}  // namespace

std::string S3Store::Response::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

S3Store::S3Store(S3Config config) : config_(std::move(config)), curl_(nullptr) {
  if (config_.address.bucket.empty()) throw_invalid("an S3 artifact store needs a bucket name");
  if (config_.access_key.empty() || config_.secret_key.empty())
    throw_invalid("no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  while (!config_.prefix.empty() && config_.prefix.back() == '/') config_.prefix.pop_back();
  if (!config_.prefix.empty()) check_artifact_key(config_.prefix);
  initialise_curl_once();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw_io("libcurl could not create a handle (out of memory?)");
}

S3Store::~S3Store() {
  curl_easy_cleanup(as_curl(curl_));
}

std::string S3Store::uri() const {
  return "s3://" + config_.address.bucket + (config_.prefix.empty() ? "" : "/" + config_.prefix);
}

std::string S3Store::bucket_key(std::string_view key) const {
  check_artifact_key(key);
  return join_key(config_.prefix, key);
}

S3Store::Response S3Store::perform(const Request& request, void* handle) {
  CURL* curl = as_curl(handle != nullptr ? handle : curl_);
  std::string url = s3_url(config_.address, request.bucket_key, request.query);
  std::string sigv4 = "aws:amz:" + config_.region + ":s3";
  // libcurl 7.88 signs whatever x-amz-content-sha256 it is given but never adds one, and
  // S3 requires it: the payload hash is ours to compute.
  std::string payload_hash = "x-amz-content-sha256: " + core::sha256_hex(request.body);
  Response response;
  auto attempt = [&](int number) {
    response = Response{};
    response.attempts = number;
    if (request.restart) request.restart();
    Transfer transfer;
    transfer.curl = curl;
    transfer.upload = request.body;
    transfer.body = &response.body;
    transfer.headers = &response.headers;
    transfer.sink = &request.sink;

    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, payload_hash.c_str());
    // No "Expect:" line to suppress 100-continue: libcurl 7.88 would sign the empty
    // header and the server, which never receives it, would compute another signature.
    if (!config_.session_token.empty())
      headers =
          curl_slist_append(headers, ("x-amz-security-token: " + config_.session_token).c_str());
    for (const std::string& header : request.headers)
      headers = curl_slist_append(headers, header.c_str());

    char error_text[CURL_ERROR_SIZE] = "";
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERNAME, config_.access_key.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, config_.secret_key.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, config_.connect_timeout_seconds);
    // No byte in either direction for the read timeout (a server that accepts and never
    // answers, a stalled transfer) is a failure to retry, not a hang.
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, config_.read_timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    std::string_view method = request.method;
    if (method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (method == "PUT") {
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body);
      curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    } else if (method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    } else if (method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method);
    }
    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (transfer.failure) std::rethrow_exception(transfer.failure);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    response.transport_error = static_cast<int>(code);
    if (code != CURLE_OK)
      response.transport_message = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
    // The endpoint is checked when the store opens; libcurl may still refuse its URL.
    if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL)
      throw_invalid("the S3 endpoint '" + config_.address.endpoint + "' is not a usable URL (" +
                    response.transport_message + "); check --s3-endpoint / AWS_ENDPOINT_URL");
    return AttemptOutcome{code == CURLE_OK ? response.status : 0, static_cast<int>(code),
                          code == CURLE_OPERATION_TIMEDOUT};
  };
  run_with_retries(
      config_.retry, attempt,
      [](double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); },
      [] {
        thread_local std::mt19937 random(std::random_device{}());
        return std::uniform_real_distribution<double>(0.0, 1.0)(random);
      });
  return response;
}

void S3Store::fail(const Response& response, std::string_view action, std::string_view key) const {
  std::string target = key.empty() ? "s3://" + config_.address.bucket : uri_of(key);
  const std::string& endpoint = config_.address.endpoint;
  if (response.transport_error != 0) fail_transport(response, action, target);
  S3ErrorBody error = parse_error_body(response.body);
  std::string detail = "HTTP " + std::to_string(response.status) +
                       (error.code.empty() ? "" : " " + error.code) +
                       (error.message.empty() ? "" : ": " + error.message);
  if (error.code == "SignatureDoesNotMatch" || error.code == "InvalidAccessKeyId" ||
      (response.status == 403 && error.code.empty()))
    throw_invalid("the S3 server at " + endpoint + " refused the credentials (" + detail +
                  "); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" +
                  (config_.session_token.empty() ? "" : " and AWS_SESSION_TOKEN"));
  if (response.status == 403)
    throw_invalid("access to " + target + " denied (" + detail +
                  "); the key in AWS_ACCESS_KEY_ID lacks permission for it");
  if (error.code == "NoSuchBucket")
    throw_not_found("bucket '" + config_.address.bucket + "' does not exist at " + endpoint +
                    "; create it with 'archml artifacts mb s3://" + config_.address.bucket + "'");
  if (response.status == 404) throw_not_found("no artifact " + target);
  if (response.status == 416) throw_invalid("the range asked of " + target + " is past its end");
  if (response.status == 412)
    throw_io(target + " was replaced while it was being downloaded; try again");
  throw_io("cannot " + std::string(action) + " " + target + " (" + detail + ")");
}

void S3Store::fail_transport(const Response& response, std::string_view action,
                             const std::string& target) const {
  const std::string& endpoint = config_.address.endpoint;
  std::string cannot = "cannot " + std::string(action) + " " + target + ": ";
  std::string attempts = std::to_string(response.attempts) +
                         (response.attempts == 1 ? " attempt (" : " attempts (") +
                         response.transport_message + ")";
  if (response.transport_error == CURLE_PARTIAL_FILE)
    throw_io(cannot + "the S3 server at " + endpoint +
             " closed the connection before sending all the bytes it announced, in " + attempts +
             "; the object was truncated in transit and is not used");
  if (response.transport_error == CURLE_OPERATION_TIMEDOUT)
    throw_io(cannot + "the S3 endpoint " + endpoint + " did not answer within the timeouts (" +
             std::to_string(config_.connect_timeout_seconds) + " s to connect, " +
             std::to_string(config_.read_timeout_seconds) + " s without a byte) in " + attempts +
             "; check --s3-endpoint / AWS_ENDPOINT_URL and that the server is running, or "
             "raise ARCHML_S3_CONNECT_TIMEOUT / ARCHML_S3_READ_TIMEOUT for a slow one");
  throw_io(cannot + "the S3 endpoint " + endpoint + " did not answer after " + attempts +
           "; check --s3-endpoint / AWS_ENDPOINT_URL and that the server is running");
}

void S3Store::check_length(const Response& response, std::uint64_t received,
                           std::string_view key) const {
  std::string length = response.header("content-length");
  if (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) != received)
    throw_io("download of " + uri_of(key) + " ended after " + std::to_string(received) + " of " +
             length + " bytes; the object was truncated in transit and is not used");
}

void S3Store::verify_etag(const Response& response, const std::string& expected,
                          std::string_view key) const {
  std::string etag = unquote_etag(response.header("etag"));
  bool comparable = is_md5_etag(expected) ? is_md5_etag(etag) : etag.find('-') != std::string::npos;
  if (comparable && etag != expected)
    throw_io("integrity check failed for " + uri_of(key) + ": the server stored ETag " + etag +
             " but the bytes sent have " + expected);
}

void S3Store::put_bytes(std::string_view key, std::string_view bytes) {
  Request request;
  request.method = "PUT";
  request.bucket_key = bucket_key(key);
  request.headers = {"Content-Type: application/octet-stream"};
  request.body = bytes;
  Response response = perform(request);
  if (!response.ok(200)) fail(response, "upload", key);
  Md5 digest;
  digest.update(bytes);
  verify_etag(response, hex_encode(digest.raw_digest()), key);
}

void S3Store::put_file(std::string_view key, const fs::path& source) {
  std::uint64_t size = local_file_size(source);
  if (use_multipart(size, config_.multipart_threshold)) {
    upload_in_parts(key, source, size);
    return;
  }
  put_bytes(key, read_file_range(source, 0, size));
}

void S3Store::upload_in_parts(std::string_view key, const fs::path& source, std::uint64_t size) {
  std::string object = bucket_key(key);
  Request start;
  start.method = "POST";
  start.bucket_key = object;
  start.query = {{"uploads", ""}};
  start.headers = {"Content-Type: application/octet-stream"};
  Response started = perform(start);
  if (!started.ok(200)) fail(started, "start a multipart upload of", key);
  std::string upload_id = parse_upload_id(started.body);
  try {
    core::Progress progress("upload " + uri_of(key), size, "B", config_.progress);
    std::vector<Part> parts = plan_parts(size, config_.part_size);
    std::vector<std::string> etags(parts.size());
    std::vector<std::string> digests(parts.size());
    CurlHandles handles;
    core::parallel_for(
        parts.size(),
        [&](std::size_t i) {
          const Part& part = parts[i];
          std::string bytes = read_file_range(source, part.offset, part.length);
          Request put;
          put.method = "PUT";
          put.bucket_key = object;
          put.query = {{"partNumber", std::to_string(part.number)}, {"uploadId", upload_id}};
          put.body = bytes;
          Response response = perform(put, CurlLease(handles).get());
          if (!response.ok(200))
            fail(response, "upload part " + std::to_string(part.number) + " of", key);
          Md5 digest;
          digest.update(bytes);
          digests[i] = digest.raw_digest();
          verify_etag(response, hex_encode(digests[i]), key);
          etags[i] = response.header("etag");
          progress.advance(part.length);
        },
        std::max(1u, config_.parallel_parts));
    std::string body = complete_multipart_body(etags);
    Request complete;
    complete.method = "POST";
    complete.bucket_key = object;
    complete.query = {{"uploadId", upload_id}};
    complete.headers = {"Content-Type: application/xml"};
    complete.body = body;
    Response completed = perform(complete);
    // S3 may answer 200 and still report an error in the body of a completion.
    if (!completed.ok(200) || !parse_error_body(completed.body).code.empty()) {
      if (completed.status == 200) completed.status = 500;
      fail(completed, "complete the multipart upload of", key);
    }
    // The completion's ETag is in its XML body on some servers and a header on others;
    // a HEAD asks the one question that matters the same way everywhere.
    std::string expected = multipart_etag(digests);
    std::optional<ObjectInfo> stored = head(key);
    if (!stored || stored->size != size)
      throw_io("integrity check failed for " + uri_of(key) + ": " + std::to_string(size) +
               " bytes sent but the server holds " +
               (stored ? std::to_string(stored->size) : std::string("nothing")));
    if (stored->etag.find('-') != std::string::npos && stored->etag != expected)
      throw_io("integrity check failed for " + uri_of(key) + ": the server's ETag " + stored->etag +
               " differs from the parts sent (" + expected + ")");
  } catch (...) {
    // Parts of an unfinished upload are stored (and billed) until aborted.
    Request abort;
    abort.method = "DELETE";
    abort.bucket_key = object;
    abort.query = {{"uploadId", upload_id}};
    try {
      perform(abort);
    } catch (...) {
    }
    throw;
  }
}

std::string S3Store::get_bytes(std::string_view key) {
  Request request;
  request.bucket_key = bucket_key(key);
  Response response = perform(request);
  if (!response.ok(200)) fail(response, "download", key);
  check_length(response, response.body.size(), key);
  std::string etag = unquote_etag(response.header("etag"));
  if (is_md5_etag(etag)) {
    Md5 digest;
    digest.update(response.body);
    if (hex_encode(digest.raw_digest()) != etag)
      throw_io("integrity check failed for " + uri_of(key) +
               ": the bytes received do not match the object's ETag " + etag);
  }
  return std::move(response.body);
}

void S3Store::download_in_parts(std::string_view key, const ObjectInfo& object,
                                const fs::path& destination) {
  core::AtomicFile file(destination, core::ParentFolders::kCreate);
  std::vector<Part> parts = plan_parts(object.size, config_.part_size);
  core::Progress progress("download " + uri_of(key), object.size, "B", config_.progress);
  CurlHandles handles;
  std::string object_key = bucket_key(key);
  core::parallel_for(
      parts.size(),
      [&](std::size_t i) {
        const Part& part = parts[i];
        std::uint64_t written = 0;
        Request request;
        request.bucket_key = object_key;
        request.headers = {"Range: bytes=" + std::to_string(part.offset) + "-" +
                               std::to_string(part.offset + part.length - 1),
                           "If-Match: \"" + object.etag + "\""};
        request.restart = [&] { written = 0; };
        request.sink = [&](std::string_view bytes, std::uint64_t) {
          if (written + bytes.size() > part.length)
            throw_io("the S3 server sent more than the range asked of " + uri_of(key));
          file.write_at(part.offset + written, bytes);
          written += bytes.size();
        };
        Response response = perform(request, CurlLease(handles).get());
        if (!response.ok(206)) fail(response, "download", key);
        if (written != part.length)
          throw_io("download of " + uri_of(key) + " received " + std::to_string(written) +
                   " of the " + std::to_string(part.length) + " bytes of part " +
                   std::to_string(part.number));
        progress.advance(part.length);
      },
      std::max(1u, config_.parallel_parts));
  file.commit(false);
}

void S3Store::get_file(std::string_view key, const fs::path& destination) {
  // Large objects whose ETag cannot be checked anyway (multipart) come down as parallel
  // ranges; the rest stream through one MD5.
  if (std::optional<ObjectInfo> object = head(key);
      object && object->size >= config_.multipart_threshold && !is_md5_etag(object->etag) &&
      !object->etag.empty()) {
    download_in_parts(key, *object, destination);
    return;
  }
  core::AtomicFile file(destination, core::ParentFolders::kCreate);
  Md5 digest;
  std::uint64_t received = 0;
  std::optional<core::Progress> progress;
  Request request;
  request.bucket_key = bucket_key(key);
  request.restart = [&] {
    file.truncate();
    digest.reset();
    received = 0;
    progress.reset();
  };
  request.sink = [&](std::string_view bytes, std::uint64_t total) {
    if (!progress && total >= kProgressBytes)
      progress.emplace("download " + uri_of(key), total, "B", config_.progress);
    file.write(bytes);
    digest.update(bytes);
    received += bytes.size();
    if (progress) progress->advance(bytes.size());
  };
  Response response = perform(request);
  if (!response.ok(200)) fail(response, "download", key);
  check_length(response, received, key);
  std::string etag = unquote_etag(response.header("etag"));
  if (is_md5_etag(etag) && hex_encode(digest.raw_digest()) != etag)
    throw_io("integrity check failed for " + uri_of(key) +
             ": the bytes received do not match the object's ETag " + etag);
  file.commit(false);
}

std::string S3Store::get_range(std::string_view key, std::uint64_t offset, std::uint64_t length) {
  if (length == 0) return {};
  Request request;
  request.bucket_key = bucket_key(key);
  request.headers = {"Range: bytes=" + std::to_string(offset) + "-" +
                     std::to_string(offset + length - 1)};
  Response response = perform(request);
  if (response.ok(200)) {
    // A server that ignores Range sends the whole object.
    check_length(response, response.body.size(), key);
    return offset >= response.body.size() ? std::string() : response.body.substr(offset, length);
  }
  if (!response.ok(206)) fail(response, "read a range of", key);
  check_length(response, response.body.size(), key);
  return std::move(response.body);
}

std::optional<ObjectInfo> S3Store::head(std::string_view key) {
  Request request;
  request.method = "HEAD";
  request.bucket_key = bucket_key(key);
  Response response = perform(request);
  // A HEAD answer has no body, so a missing bucket looks like a missing key here.
  if (response.status == 404 && response.transport_error == 0) return std::nullopt;
  if (!response.ok(200)) fail(response, "inspect", key);
  ObjectInfo info;
  info.key = std::string(key);
  info.size = std::strtoull(response.header("content-length").c_str(), nullptr, 10);
  info.etag = unquote_etag(response.header("etag"));
  info.last_modified = iso8601_from_http_date(response.header("last-modified"));
  return info;
}

std::vector<ObjectInfo> S3Store::list(std::string_view prefix) {
  // join_key("team", "") is "team/": a store never lists its neighbour "team2/".
  std::string full_prefix = join_key(config_.prefix, prefix);
  std::size_t strip = config_.prefix.empty() ? 0 : config_.prefix.size() + 1;
  ListingGuard guard(config_.list_limits, full_prefix, uri_of(prefix));
  std::vector<ObjectInfo> objects;
  std::string token;
  do {
    Request request;
    request.query = {{"list-type", "2"},
                     {"max-keys", std::to_string(config_.list_page_size)},
                     {"prefix", full_prefix}};
    if (!token.empty()) request.query.emplace_back("continuation-token", token);
    Response response = perform(request);
    if (!response.ok(200)) fail(response, "list", prefix);
    ListPage page = parse_list_page(response.body);
    token = guard.next_token(page);
    for (ObjectInfo& info : page.objects) {
      info.key.erase(0, strip);  // the guard checked that every key starts with the prefix
      info.last_modified = whole_seconds(info.last_modified);
      objects.push_back(std::move(info));
    }
  } while (!token.empty());
  return objects;
}

void S3Store::remove(std::string_view key) {
  Request request;
  request.method = "DELETE";
  request.bucket_key = bucket_key(key);
  Response response = perform(request);
  if (response.ok(204) || response.ok(200)) return;
  if (response.ok(404) && parse_error_body(response.body).code == "NoSuchKey") return;
  fail(response, "remove", key);
}

void S3Store::create_bucket() {
  std::string body;
  // us-east-1 is the one region that refuses an explicit location constraint.
  if (config_.region != "us-east-1")
    body =
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<LocationConstraint>" +
        config_.region + "</LocationConstraint></CreateBucketConfiguration>";
  Request request;
  request.method = "PUT";
  request.body = body;
  Response response = perform(request);
  if (response.ok(200)) return;
  if (response.ok(409) && parse_error_body(response.body).code == "BucketAlreadyOwnedByYou") return;
  fail(response, "create the bucket", "");
}

}  // namespace archml::store
