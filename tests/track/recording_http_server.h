// A loopback HTTP server (archml's own, on a free port) that records every request and
// answers with a chosen status: a stand-in Pushgateway for the push tests.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "archml/serve/http_server.h"

namespace archml::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::string content_type;
  std::string body;
};

class RecordingHttpServer {
 public:
  explicit RecordingHttpServer(int status = 200)
      : server_(options(), [this, status](const serve::HttpRequest& request,
                                          serve::HttpResponse& response) {
          std::lock_guard lock(mutex_);
          requests_.push_back({std::string(request.method), std::string(request.target),
                               std::string(request.header("Content-Type").value_or("")),
                               std::string(request.body)});
          response.status = status;
          response.content_type = "text/plain";
          response.body = status == 200 ? "" : "pushed metrics are invalid or inconsistent\n";
        }) {
    thread_ = std::thread([this] { server_.run(); });
  }
  ~RecordingHttpServer() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  static serve::HttpServerOptions options() {
    serve::HttpServerOptions options;
    options.port = 0;
    options.grace = std::chrono::milliseconds(500);
    return options;
  }

  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  serve::HttpServer server_;
  std::thread thread_;
};

// A loopback port with nothing listening: bind a socket to port 0, note the port, close it.
inline int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace archml::testing
