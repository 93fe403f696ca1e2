// A small HTTP/1.1 server for the inference endpoint's hot path: keep-alive connections
// served by worker threads, each with its own epoll loop, and the handler called on the
// worker that read the request (no hand-off between threads, so one request costs a few
// system calls). Pipelined requests are answered in order. Limits on header and body size
// answer 431/413 and close the connection; a handler that throws answers 500 and the
// server carries on.
//
// Between requests a worker can busy-poll (busy_poll below): it keeps asking epoll for
// events without sleeping for a while after the last one, so the next request on a busy
// connection is read without the wake-up of a sleeping thread (tens of microseconds on a
// VM whose cores drop into idle states). It costs that worker's core for the window.
//
// stop() is graceful: the listening socket closes at once, requests already received are
// answered, idle connections close, and run() returns when every worker is done (or the
// grace period has passed).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "archml/serve/http_request.h"

namespace archml::serve {

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond type and length
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port; see HttpServer::port()
  unsigned workers = 1;
  HttpLimits limits;
  std::chrono::milliseconds grace{10000};  // how long stop() waits for unfinished requests
  // How long a worker spins on epoll after its last event before it sleeps; 0 never spins.
  std::chrono::microseconds busy_poll{50};
};

// The reason phrase of a status code ("Not Acceptable").
std::string_view status_reason(int status);

class HttpServer {
 public:
  // Binds and listens; throws archml::Error (I/O) naming the address when it cannot.
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // Serves until stop(); runs the workers and returns once they have finished.
  void run();
  // Safe from any thread (not from a signal handler).
  void stop();

 private:
  void worker_loop();

  HttpServerOptions options_;
  HttpHandler handler_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd every worker watches; written once by stop()
  int port_ = 0;
  std::atomic<bool> stopping_{false};
};

}  // namespace archml::serve
