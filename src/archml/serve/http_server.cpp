#include "archml/serve/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "archml/core/error.h"

namespace archml::serve {
namespace {

struct Connection {
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

HttpResponse internal_error(std::string_view what) {
  HttpResponse response;
  response.status = 500;
  response.content_type = "text/plain; charset=utf-8";
  response.body = "internal error: " + std::string(what) + "\n";
  return response;
}

class Worker {
 public:
  Worker(int listen_fd, int wake_fd, const HttpLimits& limits, const HttpHandler& handler,
         const std::atomic<bool>& stopping, std::chrono::milliseconds grace,
         std::chrono::microseconds busy_poll)
      : listen_fd_(listen_fd),
        limits_(limits),
        handler_(handler),
        stopping_(stopping),
        grace_(grace),
        busy_poll_(busy_poll) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) throw_io(std::string("epoll_create1: ") + std::strerror(errno));
    epoll_event event{};
    event.events = EPOLLIN | EPOLLEXCLUSIVE;
    event.data.ptr = &listen_fd_;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, listen_fd_, &event);
    event.events = EPOLLIN;
    event.data.ptr = &wake_fd_;
    wake_fd_ = wake_fd;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_fd_, &event);
  }
  ~Worker() {
    for (auto& [fd, connection] : connections_) ::close(fd);
    ::close(epoll_);
  }

  void run() {
    epoll_event events[64];
    bool draining = false;
    std::chrono::steady_clock::time_point deadline;
    while (true) {
      if (!draining && stopping_.load(std::memory_order_relaxed)) {
        draining = true;
        deadline = std::chrono::steady_clock::now() + grace_;
        epoll_ctl(epoll_, EPOLL_CTL_DEL, listen_fd_, nullptr);
        epoll_ctl(epoll_, EPOLL_CTL_DEL, wake_fd_, nullptr);
        close_idle();
      }
      if (draining && (connections_.empty() || std::chrono::steady_clock::now() >= deadline))
        return;
      const int count = draining ? epoll_wait(epoll_, events, 64, 50) : next_events(events, 64);
      if (count < 0) {
        if (errno == EINTR) continue;
        throw_io(std::string("epoll_wait: ") + std::strerror(errno));
      }
      for (int i = 0; i < count; ++i) {
        void* tag = events[i].data.ptr;
        if (tag == &listen_fd_) {
          accept_all();
        } else if (tag == &wake_fd_) {
          continue;  // stopping_ is checked at the top of the loop
        } else {
          serve(*static_cast<Connection*>(tag), events[i].events);
        }
      }
      if (draining) close_idle();
    }
  }

 private:
  // Events without sleeping while the last ones are recent (see busy_poll), else blocks.
  int next_events(epoll_event* events, int capacity) {
    if (busy_poll_.count() > 0) {
      const auto until = last_event_ + busy_poll_;
      while (true) {
        const int count = epoll_wait(epoll_, events, capacity, 0);
        const auto now = std::chrono::steady_clock::now();
        if (count != 0) {
          last_event_ = now;
          return count;
        }
        if (now >= until || stopping_.load(std::memory_order_relaxed)) break;
        // Spinning keeps the core out of idle states; yielding lets any other runnable
        // thread (the client, a neighbour) have it meanwhile.
        sched_yield();
      }
    }
    const int count = epoll_wait(epoll_, events, capacity, -1);
    if (count > 0) last_event_ = std::chrono::steady_clock::now();
    return count;
  }

  void accept_all() {
    while (true) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN: another worker took it, or none left
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto connection = std::make_unique<Connection>();
      connection->fd = fd;
      epoll_event event{};
      event.events = EPOLLIN | EPOLLRDHUP;
      event.data.ptr = connection.get();
      if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) != 0) {
        ::close(fd);
        continue;
      }
      connections_.emplace(fd, std::move(connection));
    }
  }

  void close_connection(Connection& connection) {
    const int fd = connection.fd;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    connections_.erase(fd);
  }

  // While draining, a connection with nothing received and nothing to send is done.
  void close_idle() {
    std::vector<Connection*> idle;
    for (auto& [fd, connection] : connections_)
      if (connection->in.empty() && connection->out_sent == connection->out.size())
        idle.push_back(connection.get());
    for (Connection* connection : idle) close_connection(*connection);
  }

  void serve(Connection& connection, std::uint32_t events) {
    if (events & (EPOLLERR | EPOLLHUP)) {
      close_connection(connection);
      return;
    }
    bool peer_closed = false;
    if ((events & (EPOLLIN | EPOLLRDHUP)) && !connection.paused) {
      char chunk[16384];
      while (true) {
        const ssize_t got = ::read(connection.fd, chunk, sizeof chunk);
        if (got > 0) {
          connection.in.append(chunk, static_cast<std::size_t>(got));
          // Enough for the largest request allowed: answer before reading on (epoll
          // reports the rest again), so a fast sender cannot grow the buffer unbounded.
          if (static_cast<std::size_t>(got) < sizeof chunk ||
              connection.in.size() > limits_.max_header_bytes + limits_.max_body_bytes)
            break;
        } else if (got == 0) {
          peer_closed = true;
          break;
        } else {
          if (errno == EINTR) continue;
          if (errno != EAGAIN && errno != EWOULDBLOCK) peer_closed = true;
          break;
        }
      }
      if (!connection.close_after_write) answer_complete_requests(connection);
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
    flush(connection);
  }

  void answer_complete_requests(Connection& connection) {
    std::size_t offset = 0;
    const bool draining = stopping_.load(std::memory_order_relaxed);
    while (offset < connection.in.size() && !connection.close_after_write &&
           connection.out.size() - connection.out_sent < kMaxPendingOutput) {
      HttpRequest request;
      const std::string_view pending = std::string_view(connection.in).substr(offset);
      const ParseResult parsed = parse_http_request(pending, limits_, request);
      if (parsed.outcome == ParseOutcome::kIncomplete) break;
      HttpResponse response;
      bool keep_alive = false;
      if (parsed.outcome == ParseOutcome::kRejected) {
        response.status = parsed.status;
        response.content_type = "text/plain; charset=utf-8";
        response.body = parsed.message + "\n";
        offset = connection.in.size();  // the rest of the stream cannot be framed
      } else {
        keep_alive = request.keep_alive && !draining;
        try {
          handler_(request, response);
        } catch (const std::exception& error) {
          response = internal_error(error.what());
        } catch (...) {
          response = internal_error("unknown exception");
        }
        offset += parsed.consumed;
      }
      append_response(connection.out, response, keep_alive);
      if (!keep_alive) connection.close_after_write = true;
    }
    connection.in.erase(0, offset);
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
  int wake_fd_ = -1;
  int epoll_ = -1;
  const HttpLimits& limits_;
  const HttpHandler& handler_;
  const std::atomic<bool>& stopping_;
  std::chrono::milliseconds grace_;
  std::chrono::microseconds busy_poll_;
  std::chrono::steady_clock::time_point last_event_;
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
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
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

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {
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
}

HttpServer::~HttpServer() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void HttpServer::run() {
  const unsigned count = std::max(1u, options_.workers);
  std::vector<std::thread> threads;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  for (unsigned i = 0; i < count; ++i)
    threads.emplace_back([&] {
      try {
        Worker worker(listen_fd_, wake_fd_, options_.limits, handler_, stopping_, options_.grace,
                      options_.busy_poll);
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
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

}  // namespace archml::serve
