// A small HTTP/1.1 server for the inference endpoint's hot path: keep-alive connections
// served by worker threads, each with its own epoll loop, and the handler called on the
// worker that read the request (no hand-off between threads, so one request costs a few
// system calls). Pipelined requests are answered in order. Limits on header and body size
// answer 431/413 and close the connection; a handler that throws answers 500 (without the
// exception's text, which goes to the hooks) and the server carries on.
//
// Limits so that no client can take the server down (HttpServerOptions):
// - timeouts: a request's header block must arrive within `timeouts.header` of its first
//   byte (or of the connection's opening), its body within `timeouts.body` of the end of
//   the headers (408, then close); a keep-alive connection idle for `timeouts.idle` closes,
//   and so does one whose answers the client does not read for that long. Deadlines sit
//   in one time-ordered list per kind (deadline_list.h), checked once per loop turn, and
//   epoll_wait sleeps no longer than the next deadline.
// - connections: at most `max_connections` open at once (0: from the open-file limit);
//   one more is accepted, answered 503 and closed at once. A worker accepts at most
//   kAcceptBatch connections per turn of its loop, so a burst of new (or refused)
//   connections is interleaved with the requests of open ones instead of delaying them.
// - open-file limit: when accept fails with EMFILE/ENFILE, a spare descriptor kept for
//   the purpose is freed to accept one waiting connection and answer it 503, and the
//   worker stops watching the listening socket for kAcceptBackoff, so it never spins.
// - `Expect: 100-continue` is answered with 100 once the headers are accepted.
// Every answer the server gives itself (parse rejections, 408, 503, a handler's 500) and
// every connection event reaches HttpServerHooks, so metrics and logs miss nothing.
//
// Between requests a worker can busy-poll (busy_poll below): it keeps asking epoll for
// events without sleeping for a while after the last one, so the next request on a busy
// connection is read without the wake-up of a sleeping thread (tens of microseconds on a
// VM whose cores drop into idle states). It costs that worker's core for the window.
// The spin yields the core between polls; when a yield does not come back within
// kYieldLostTheCore (another thread is busy on that core), busy polling pauses for
// kBusyPollPause, since a request that arrives while its worker has yielded waits for
// the neighbour's whole time slice, where a sleeping worker would be woken at once.
//
// stop() is graceful: the listening socket stops listening at once (new connections are
// refused), requests already received are answered, idle connections close, and run()
// returns when every worker is done (or the grace period has passed).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
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

enum class ConnectionEvent {
  kOpened,
  kClosed,
  kRefusedAtLimit,      // over max_connections: answered 503
  kRefusedAtFileLimit,  // accept hit the open-file limit: one waiting connection answered 503
  kHeaderTimeout,
  kBodyTimeout,
  kIdleTimeout,
  kSendTimeout,  // the client did not read its answers
};

struct HttpServerHooks {
  // An answer the server gave without the handler, or a handler's 500: `request` holds
  // what was parsed (method and target may be empty); `detail` is the handler's exception
  // text for a 500 (for the operator's log only), else empty. Called on a worker thread.
  std::function<void(const HttpRequest& request, const HttpResponse& response,
                     std::string_view detail)>
      on_own_answer;
  std::function<void(ConnectionEvent)> on_connection_event;
};

struct HttpTimeouts {
  std::chrono::milliseconds header{10000};  // the header block, from its first byte
  std::chrono::milliseconds body{30000};    // the body, from the end of the headers
  std::chrono::milliseconds idle{60000};    // between requests; an unread answer too
};

// How long a worker leaves the listening socket alone after the open-file limit.
inline constexpr std::chrono::milliseconds kAcceptBackoff{100};
// Connections a worker accepts per turn of its event loop (the listening socket is
// level-triggered: the rest wait for the next turn).
inline constexpr int kAcceptBatch = 8;
// A yield longer than this lost the core to another thread's time slice (a client
// answering in between comes back within tens of microseconds); the worker then sleeps
// in epoll_wait instead of busy-polling for kBusyPollPause.
inline constexpr std::chrono::microseconds kYieldLostTheCore{500};
inline constexpr std::chrono::milliseconds kBusyPollPause{1000};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port; see HttpServer::port()
  unsigned workers = 1;
  HttpLimits limits;
  HttpTimeouts timeouts;
  std::size_t max_connections = 0;  // 0: see default_max_connections()
  HttpServerHooks hooks;
  std::chrono::milliseconds grace{10000};  // how long stop() waits for unfinished requests
  // How long a worker spins on epoll after its last event before it sleeps; 0 never spins.
  std::chrono::microseconds busy_poll{50};
};

// The reason phrase of a status code ("Not Acceptable").
std::string_view status_reason(int status);

// The connection limit when none is set: the open-file limit (RLIMIT_NOFILE) less the
// descriptors the process keeps for itself (64, or a quarter of a limit under 256), at
// most 10,000.
std::size_t default_max_connections();

class HttpServer {
 public:
  // Binds and listens; throws archml::Error (I/O) naming the address when it cannot.
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  std::size_t max_connections() const { return options_.max_connections; }
  // Serves until stop(); runs the workers and returns once they have finished.
  void run();
  // Safe from any thread (not from a signal handler).
  void stop();

  struct Shared;  // what the workers share (the open count, the spare descriptor): internal

 private:
  HttpServerOptions options_;
  HttpHandler handler_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd every worker watches; written once by stop()
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<Shared> shared_;
};

}  // namespace archml::serve
