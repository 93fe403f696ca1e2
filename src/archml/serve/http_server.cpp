#include "archml/serve/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "archml/core/error.h"
#include "archml/serve/deadline_list.h"

namespace archml::serve {

struct HttpServer::Shared {
  std::size_t max_connections = 0;
  std::atomic<std::size_t> open{0};
  // A descriptor held in reserve: freed when accept hits the open-file limit, so one
  // waiting connection can be accepted and refused instead of left hanging.
  std::mutex spare_mutex;
  int spare_fd = -1;
};

namespace {

using Clock = std::chrono::steady_clock;

// What a connection is waiting for; each has its own timeout and deadline list.
enum class Phase { kHeader, kBody, kIdle, kSending, kNone };
constexpr std::size_t kPhases = 4;

struct Connection : DeadlineEntry {
  int fd = -1;
  std::string in;
  std::string out;
  std::size_t out_sent = 0;
  bool close_after_write = false;
  std::uint32_t interest = EPOLLIN | EPOLLRDHUP;  // what epoll watches for now
  bool read_closed = false;  // the peer sent FIN: only the answers are left to write
  // The client sends requests faster than it reads the answers: requests stay unread
  // until the answers drain, so neither buffer grows without bound.
  bool paused = false;
  Phase phase = Phase::kNone;
  bool awaiting_body = false;  // the front request's headers are in, its body is not
  bool continue_sent = false;  // 100 Continue sent for the front request
  bool sent_some = false;      // answers' bytes went out since the phase was last set
};

// Unsent answers above which a connection's requests are no longer read.
constexpr std::size_t kMaxPendingOutput = 8 * 1024 * 1024;

void append_response(std::string& out, const HttpResponse& response, bool keep_alive) {
  char number[24];
  out += "HTTP/1.1 ";
  out.append(number, std::to_chars(number, number + sizeof number, response.status).ptr);
  out += ' ';
  out += status_reason(response.status);
  out += "\r\nContent-Length: ";
  out.append(number, std::to_chars(number, number + sizeof number, response.body.size()).ptr);
  if (!response.content_type.empty()) {
    out += "\r\nContent-Type: ";
    out += response.content_type;
  }
  for (const auto& [name, value] : response.headers) {
    out += "\r\n";
    out += name;
    out += ": ";
    out += value;
  }
  out += keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
  out += response.body;
}

HttpResponse plain_answer(int status, std::string message) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(message) + "\n";
  return response;
}

// Sends a whole short answer on a fresh socket and closes it; no waiting: a client that
// cannot take it at once loses it (the close tells it anyway).
void answer_and_close(int fd, const std::string& bytes) {
  [[maybe_unused]] const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  ::close(fd);
}

class Worker {
 public:
  Worker(int listen_fd, int wake_fd, const HttpServerOptions& options, const HttpHandler& handler,
         const std::atomic<bool>& stopping, HttpServer::Shared& shared)
      : listen_fd_(listen_fd),
        wake_fd_(wake_fd),
        options_(options),
        limits_(options.limits),
        handler_(handler),
        stopping_(stopping),
        shared_(shared),
        timeouts_{options.timeouts.header, options.timeouts.body, options.timeouts.idle,
                  options.timeouts.idle} {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) throw_io(std::string("epoll_create1: ") + std::strerror(errno));
    watch_listener();
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = &wake_fd_;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_fd_, &event);
    HttpResponse refusal = plain_answer(503, "the server is at its limit of " +
                                                 std::to_string(shared_.max_connections) +
                                                 " connections; try again shortly");
    append_response(refusal_bytes_, refusal, false);
  }
  ~Worker() {
    for (auto& [fd, connection] : connections_) {
      ::close(fd);
      shared_.open.fetch_sub(1, std::memory_order_relaxed);
    }
    ::close(epoll_);
  }

  void run() {
    epoll_event events[64];
    bool draining = false;
    Clock::time_point deadline;
    while (true) {
      if (!draining && stopping_.load(std::memory_order_relaxed)) {
        draining = true;
        deadline = Clock::now() + options_.grace;
        if (listening_) epoll_ctl(epoll_, EPOLL_CTL_DEL, listen_fd_, nullptr);
        listening_ = false;
        epoll_ctl(epoll_, EPOLL_CTL_DEL, wake_fd_, nullptr);
        close_idle();
      }
      if (draining && (connections_.empty() || Clock::now() >= deadline)) return;
      const int count = draining ? epoll_wait(epoll_, events, 64, 50) : next_events(events, 64);
      if (count < 0) {
        if (errno == EINTR) continue;
        throw_io(std::string("epoll_wait: ") + std::strerror(errno));
      }
      for (int i = 0; i < count; ++i) {
        void* tag = events[i].data.ptr;
        if (tag == &listen_fd_) {
          accept_some();
        } else if (tag == &wake_fd_) {
          continue;  // stopping_ is checked at the top of the loop
        } else {
          serve(*static_cast<Connection*>(tag), events[i].events);
        }
      }
      expire(Clock::now(), draining);
      if (draining) close_idle();
    }
  }

 private:
  // Events without sleeping while the last ones are recent (see busy_poll), else blocks
  // until an event or the next deadline.
  int next_events(epoll_event* events, int capacity) {
    const auto busy_poll = options_.busy_poll;
    if (busy_poll.count() > 0 && last_event_ >= busy_poll_paused_until_) {
      const auto until = last_event_ + busy_poll;
      while (true) {
        const int count = epoll_wait(epoll_, events, capacity, 0);
        const auto now = Clock::now();
        if (count != 0) {
          last_event_ = now;
          return count;
        }
        if (now >= until || stopping_.load(std::memory_order_relaxed)) break;
        // Spinning keeps the core out of idle states; yielding lets any other runnable
        // thread (the client, a neighbour) have it meanwhile. A yield that lasts a time
        // slice means a neighbour kept the core: a request arriving then would wait for
        // the neighbour's slice (a yielded thread is not woken by its data, a sleeping one
        // is), so the worker stops busy-polling for a while.
        sched_yield();
        if (Clock::now() - now > kYieldLostTheCore) {
          busy_poll_paused_until_ = Clock::now() + kBusyPollPause;
          break;
        }
      }
    }
    const int count = epoll_wait(epoll_, events, capacity, milliseconds_to_next_deadline());
    if (count > 0) last_event_ = Clock::now();
    return count;
  }

  // epoll_wait's timeout: until the earliest deadline (rounded up, so a wake-up is never
  // early), or -1 when nothing is scheduled.
  int milliseconds_to_next_deadline() const {
    std::optional<Clock::time_point> next;
    if (!listening_) next = listener_back_at_;
    for (const DeadlineList& list : timers_)
      if (const DeadlineEntry* entry = list.earliest())
        if (!next || entry->deadline < *next) next = entry->deadline;
    if (!next) return -1;
    const auto wait = *next - Clock::now();
    if (wait <= Clock::duration::zero()) return 0;
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
    return static_cast<int>(std::min<std::int64_t>(ms, 3'600'000));
  }

  void watch_listener() {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLEXCLUSIVE;
    event.data.ptr = &listen_fd_;
    listening_ = epoll_ctl(epoll_, EPOLL_CTL_ADD, listen_fd_, &event) == 0;
  }

  void report(ConnectionEvent event) const {
    if (options_.hooks.on_connection_event) options_.hooks.on_connection_event(event);
  }
  void report_answer(const HttpRequest& request, const HttpResponse& response,
                     std::string_view detail = {}) const {
    if (options_.hooks.on_own_answer) options_.hooks.on_own_answer(request, response, detail);
  }

  // Up to kAcceptBatch waiting connections; the rest are reported again by epoll.
  void accept_some() {
    for (int accepted = 0; accepted < kAcceptBatch; ++accepted) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
          back_off_from_the_file_limit();
        return;  // EAGAIN: another worker took it, or none left
      }
      if (shared_.open.fetch_add(1, std::memory_order_relaxed) >= shared_.max_connections) {
        shared_.open.fetch_sub(1, std::memory_order_relaxed);
        refuse(fd, ConnectionEvent::kRefusedAtLimit);
        continue;
      }
      if (!open_connection(fd)) shared_.open.fetch_sub(1, std::memory_order_relaxed);
    }
  }

  bool open_connection(int fd) {
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto connection = std::make_unique<Connection>();
    connection->fd = fd;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.ptr = connection.get();
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) != 0) {
      ::close(fd);
      return false;
    }
    Connection& added = *connections_.emplace(fd, std::move(connection)).first->second;
    report(ConnectionEvent::kOpened);
    set_phase(added, Phase::kHeader, Clock::now());  // a fresh connection owes a request
    return true;
  }

  // Counted before it is answered, so whoever sees the answer sees it counted.
  void refuse(int fd, ConnectionEvent why) {
    report(why);
    report_answer(HttpRequest{}, plain_answer(503, ""));
    answer_and_close(fd, refusal_bytes_);
  }

  // The process is out of descriptors: refuse one waiting connection with the spare one,
  // then leave the listening socket alone for a while (it stays readable, and accepting
  // again at once would spin).
  void back_off_from_the_file_limit() {
    {
      std::lock_guard lock(shared_.spare_mutex);
      if (shared_.spare_fd >= 0) {
        ::close(shared_.spare_fd);
        shared_.spare_fd = -1;
      }
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) refuse(fd, ConnectionEvent::kRefusedAtFileLimit);
      shared_.spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    epoll_ctl(epoll_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    listening_ = false;
    listener_back_at_ = Clock::now() + kAcceptBackoff;
  }

  void close_connection(Connection& connection) {
    const int fd = connection.fd;
    set_phase(connection, Phase::kNone, Clock::time_point());
    epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    connections_.erase(fd);
    shared_.open.fetch_sub(1, std::memory_order_relaxed);
    report(ConnectionEvent::kClosed);
  }

  // While draining, a connection with nothing received and nothing to send is done.
  void close_idle() {
    std::vector<Connection*> idle;
    for (auto& [fd, connection] : connections_)
      if (connection->in.empty() && connection->out_sent == connection->out.size())
        idle.push_back(connection.get());
    for (Connection* connection : idle) close_connection(*connection);
  }

  // Moves the connection to `phase`'s deadline list, its deadline the phase's timeout
  // from now; kNone only takes it off.
  void set_phase(Connection& connection, Phase phase, Clock::time_point now) {
    if (connection.phase != Phase::kNone)
      timers_[static_cast<std::size_t>(connection.phase)].cancel(connection);
    connection.phase = phase;
    connection.sent_some = false;
    if (phase == Phase::kNone) return;
    const auto index = static_cast<std::size_t>(phase);
    timers_[index].schedule(connection, now + timeouts_[index]);
  }

  // The phase after serving the connection: a deadline starts when a phase begins (or a
  // request was answered, or answers' bytes went out), never when a byte of a header that
  // is still incomplete arrives, so trickling bytes does not keep a connection open.
  void update_phase(Connection& connection, bool answered) {
    Phase phase = Phase::kIdle;
    if (connection.out_sent < connection.out.size())
      phase = Phase::kSending;
    else if (!connection.in.empty())
      phase = connection.awaiting_body ? Phase::kBody : Phase::kHeader;
    if (phase != connection.phase || answered || (phase == Phase::kSending && connection.sent_some))
      set_phase(connection, phase, Clock::now());
  }

  // Connections whose deadline has passed: 408 for a request that did not arrive in time,
  // a silent close for an idle connection or one whose client does not read.
  void expire(Clock::time_point now, bool draining) {
    if (!listening_ && !draining && now >= listener_back_at_) watch_listener();
    for (std::size_t index = 0; index < kPhases; ++index)
      while (DeadlineEntry* entry = timers_[index].pop_due(now)) {
        Connection& connection = static_cast<Connection&>(*entry);
        const Phase phase = connection.phase;
        connection.phase = Phase::kNone;
        time_out(connection, phase);
      }
  }

  void time_out(Connection& connection, Phase phase) {
    const bool request_started = !connection.in.empty() && !connection.close_after_write;
    report(phase == Phase::kHeader ? ConnectionEvent::kHeaderTimeout
           : phase == Phase::kBody ? ConnectionEvent::kBodyTimeout
           : phase == Phase::kIdle ? ConnectionEvent::kIdleTimeout
                                   : ConnectionEvent::kSendTimeout);
    if (phase == Phase::kSending || !request_started) {
      close_connection(connection);
      return;
    }
    const std::chrono::milliseconds limit = timeouts_[static_cast<std::size_t>(phase)];
    const HttpResponse response = plain_answer(
        408, std::string("the request's ") + (phase == Phase::kHeader ? "headers" : "body") +
                 " did not arrive within " + std::to_string(limit.count()) + " ms");
    HttpRequest request;
    if (phase == Phase::kBody) parse_http_request(connection.in, limits_, request);
    report_answer(request, response);
    connection.in.clear();
    append_response(connection.out, response, false);
    connection.close_after_write = true;
    if (flush(connection)) update_phase(connection, false);
  }

  void serve(Connection& connection, std::uint32_t events) {
    if (events & (EPOLLERR | EPOLLHUP)) {
      close_connection(connection);
      return;
    }
    bool peer_closed = false;
    bool answered = false;
    if ((events & (EPOLLIN | EPOLLRDHUP)) && !connection.paused) {
      peer_closed = read_available(connection);
      if (!connection.close_after_write) answered = answer_complete_requests(connection);
    }
    if (peer_closed) {
      if (connection.out_sent == connection.out.size()) {
        close_connection(connection);
        return;
      }
      // Stop watching a closed read side (it would report readable forever) and finish
      // writing the answers.
      connection.read_closed = true;
    }
    if (flush(connection)) update_phase(connection, answered);
  }

  // Appends what the socket holds to the connection's input; true when the peer closed.
  bool read_available(Connection& connection) {
    char chunk[16384];
    while (true) {
      const ssize_t got = ::read(connection.fd, chunk, sizeof chunk);
      if (got > 0) {
        // After a final answer the rest of the stream is read and dropped.
        if (!connection.close_after_write)
          connection.in.append(chunk, static_cast<std::size_t>(got));
        // Enough for the largest request allowed: answer before reading on (epoll
        // reports the rest again), so a fast sender cannot grow the buffer unbounded.
        if (static_cast<std::size_t>(got) < sizeof chunk ||
            connection.in.size() > limits_.max_header_bytes + limits_.max_body_bytes)
          return false;
      } else if (got == 0) {
        return true;
      } else {
        if (errno == EINTR) continue;
        return errno != EAGAIN && errno != EWOULDBLOCK;
      }
    }
  }

  // Answers the complete requests at the front of the input; true when it answered any.
  bool answer_complete_requests(Connection& connection) {
    std::size_t offset = 0;
    bool answered = false;
    const bool draining = stopping_.load(std::memory_order_relaxed);
    connection.awaiting_body = false;
    while (offset < connection.in.size() && !connection.close_after_write &&
           connection.out.size() - connection.out_sent < kMaxPendingOutput) {
      HttpRequest request;
      const std::string_view pending = std::string_view(connection.in).substr(offset);
      const ParseResult parsed = parse_http_request(pending, limits_, request);
      if (parsed.outcome == ParseOutcome::kIncomplete) {
        if (parsed.headers_complete) await_body(connection, request);
        break;
      }
      HttpResponse response;
      bool keep_alive = false;
      if (parsed.outcome == ParseOutcome::kRejected) {
        response = plain_answer(parsed.status, parsed.message);
        report_answer(request, response);
        offset = connection.in.size();  // the rest of the stream cannot be framed
      } else {
        keep_alive = request.keep_alive && !draining;
        call_handler(request, response);
        offset += parsed.consumed;
      }
      append_response(connection.out, response, keep_alive);
      connection.continue_sent = false;
      answered = true;
      if (!keep_alive) connection.close_after_write = true;
    }
    connection.in.erase(0, offset);
    return answered;
  }

  // The front request's headers are in and its body is not: 100 Continue when asked.
  void await_body(Connection& connection, const HttpRequest& request) {
    connection.awaiting_body = true;
    if (request.expects_continue && !connection.continue_sent) {
      connection.out += "HTTP/1.1 100 Continue\r\n\r\n";
      connection.continue_sent = true;
    }
  }

  // The handler's answer; a 500 without the exception's text (it goes to the hooks).
  void call_handler(const HttpRequest& request, HttpResponse& response) {
    std::string detail;
    try {
      handler_(request, response);
      return;
    } catch (const std::exception& error) {
      detail = error.what();
    } catch (...) {
      detail = "an exception of unknown type";
    }
    response = plain_answer(500, "internal error: the request failed on a bug in the server");
    report_answer(request, response, detail);
  }

  // Writes what it can, answering requests held back while the answers were piling up;
  // arms EPOLLOUT for the rest. Returns false when it closed the connection.
  bool flush(Connection& connection) {
    while (true) {
      while (connection.out_sent < connection.out.size()) {
        const ssize_t sent = ::send(connection.fd, connection.out.data() + connection.out_sent,
                                    connection.out.size() - connection.out_sent, MSG_NOSIGNAL);
        if (sent > 0) {
          connection.out_sent += static_cast<std::size_t>(sent);
          connection.sent_some = true;
        } else if (sent < 0 && errno == EINTR) {
          continue;
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
          break;
        } else {
          close_connection(connection);
          return false;
        }
      }
      if (connection.out_sent < connection.out.size()) break;
      connection.out.clear();
      connection.out_sent = 0;
      if (connection.close_after_write) {
        close_connection(connection);
        return false;
      }
      if (!connection.paused) break;
      connection.paused = false;
      answer_complete_requests(connection);
      if (connection.out.empty()) break;
    }
    const std::size_t pending = connection.out.size() - connection.out_sent;
    connection.paused = pending >= kMaxPendingOutput;
    std::uint32_t interest = pending > 0 ? static_cast<std::uint32_t>(EPOLLOUT) : 0u;
    if (!connection.read_closed && !connection.paused) interest |= EPOLLIN | EPOLLRDHUP;
    if (interest != connection.interest) {
      connection.interest = interest;
      epoll_event event{};
      event.events = interest;
      event.data.ptr = &connection;
      epoll_ctl(epoll_, EPOLL_CTL_MOD, connection.fd, &event);
    }
    return true;
  }

  int listen_fd_;
  int wake_fd_;
  int epoll_ = -1;
  const HttpServerOptions& options_;
  const HttpLimits& limits_;
  const HttpHandler& handler_;
  const std::atomic<bool>& stopping_;
  HttpServer::Shared& shared_;
  std::array<std::chrono::milliseconds, kPhases> timeouts_;
  std::array<DeadlineList, kPhases> timers_;
  bool listening_ = false;
  Clock::time_point listener_back_at_;
  std::string refusal_bytes_;  // the 503 of a connection over the limit
  Clock::time_point last_event_;
  Clock::time_point busy_poll_paused_until_;  // see next_events
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
};

}  // namespace

std::string_view status_reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::size_t default_max_connections() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 10000;
  const auto files = static_cast<std::size_t>(limit.rlim_cur);
  const std::size_t kept = files < 256 ? files / 4 : 64;
  return std::clamp<std::size_t>(files - kept, 1, 10000);
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      shared_(std::make_unique<Shared>()) {
  if (options_.max_connections == 0) options_.max_connections = default_max_connections();
  shared_->max_connections = options_.max_connections;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* addresses = nullptr;
  const std::string port_text = std::to_string(options_.port);
  const int lookup = getaddrinfo(options_.host.c_str(), port_text.c_str(), &hints, &addresses);
  if (lookup != 0) throw_invalid("--host " + options_.host + ": " + gai_strerror(lookup));
  std::string failure;
  for (addrinfo* address = addresses; address != nullptr; address = address->ai_next) {
    const int fd = socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                          address->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, address->ai_addr, address->ai_addrlen) == 0 && listen(fd, 1024) == 0) {
      listen_fd_ = fd;
      break;
    }
    failure = std::strerror(errno);
    ::close(fd);
  }
  freeaddrinfo(addresses);
  if (listen_fd_ < 0)
    throw_io("cannot listen on " + options_.host + ":" + port_text + ": " + failure);
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    ::close(listen_fd_);
    throw_io(std::string("eventfd: ") + std::strerror(errno));
  }
  shared_->spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

HttpServer::~HttpServer() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (shared_->spare_fd >= 0) ::close(shared_->spare_fd);
}

void HttpServer::run() {
  const unsigned count = std::max(1u, options_.workers);
  std::vector<std::thread> threads;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  for (unsigned i = 0; i < count; ++i)
    threads.emplace_back([&] {
      try {
        Worker worker(listen_fd_, wake_fd_, options_, handler_, stopping_, *shared_);
        worker.run();
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        stop();
      }
    });
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

void HttpServer::stop() {
  if (stopping_.exchange(true)) return;
  // A listening socket shut down for reading stops listening: new connections are
  // refused at once (and any not yet accepted reset) instead of waiting in the backlog
  // of a server that will not accept them. The descriptor stays open until the end, so
  // no worker can act on a reused number.
  ::shutdown(listen_fd_, SHUT_RD);
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

}  // namespace archml::serve
