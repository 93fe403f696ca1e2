// bench/serve.sh's own load generator: POSTs one body over keep-alive HTTP/1.1
// connections to a loopback endpoint as fast as the answers come back (one request in
// flight per connection, as wrk does), and prints the same RESULT line as bench/serve.lua:
//   RESULT requests=N seconds=S rps=R p50_us=A p99_us=B errors=E
// Unlike wrk, which sleeps in epoll between an answer's bytes arriving and its thread
// waking, it can busy-poll its sockets (--busy-poll), as a latency-critical client on a
// payment system's hot path would: the figures then measure the server and the loopback,
// not the client's wake-ups. bench/serve.sh drives archml and the Python peer with the
// same client, so both sides get the same treatment.
//
// Usage: archml_serve_client --port P --body FILE [--path /invocations]
//          [--content-type text/csv] [--connections 1] [--threads 1] [--seconds 5]
//          [--busy-poll] [--method GET] [--rate R] [--phases S1,S2,...]
// --method GET sends no body (--body is then optional). --rate R paces each connection
// at R requests a second (a well-behaved client) instead of back to back. --phases
// splits the run into consecutive phases of those many seconds (their sum replaces
// --seconds) and prints one RESULT line per phase, with phase=N first, so one client
// connected throughout measures an idle server and then the same server under load.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Settings {
  int port = 0;
  std::string body_file;
  std::string path = "/invocations";
  std::string content_type = "text/csv";
  unsigned connections = 1;
  unsigned threads = 1;
  double seconds = 5;
  bool busy_poll = false;
  std::string method = "POST";
  double rate = 0;             // requests a second per connection; 0: back to back
  std::vector<double> phases;  // seconds each; empty: one phase of `seconds`
};

struct Tally {
  std::vector<std::uint32_t> latencies_ns;
  std::vector<Clock::time_point> answered_at;  // when each latency's answer came
  std::vector<bool> failed;                    // whether it was not a 2xx
};

struct Connection {
  int fd = -1;
  std::string in;
  Clock::time_point sent_at;
  Clock::time_point next_send;  // paced: when the next request is due
  bool waiting = false;         // paced: answered, the next request not yet sent
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "archml_serve_client: %s\n", what.c_str());
  std::exit(1);
}

int connect_to(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
      errno != EINPROGRESS)
    fail("connect to port " + std::to_string(port) + ": " + std::strerror(errno));
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      data.remove_prefix(static_cast<std::size_t>(sent));
    } else if (sent < 0 && (errno == EAGAIN || errno == EINTR || errno == ENOTCONN)) {
      continue;  // the connect is still in progress, or the send buffer is full
    } else {
      fail(std::string("send: ") + std::strerror(errno));
    }
  }
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The length of the complete response at the front of `in` and its status, or 0 when
// more bytes are needed.
std::size_t complete_response(std::string_view in, int* status) {
  const std::size_t head_end = in.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return 0;
  const std::string_view head = in.substr(0, head_end);
  if (head.size() < 12) fail("malformed response");
  std::from_chars(head.data() + 9, head.data() + 12, *status);
  std::size_t length = 0;
  std::size_t line = head.find("\r\n");
  while (line != std::string_view::npos) {
    const std::size_t next = head.find("\r\n", line + 2);
    const std::string_view header = head.substr(line + 2, next - line - 2);
    const std::size_t colon = header.find(':');
    if (colon != std::string_view::npos &&
        equals_ignoring_case(header.substr(0, colon), "content-length")) {
      std::string_view value = header.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      std::from_chars(value.data(), value.data() + value.size(), length);
    }
    line = next;
  }
  const std::size_t total = head_end + 4 + length;
  return in.size() >= total ? total : 0;
}

void drive(const Settings& settings, unsigned connection_count, const std::string& request,
           const Clock::time_point& until, const std::atomic<bool>& started, Tally& tally) {
  const int epoll = epoll_create1(0);
  std::vector<Connection> connections(connection_count);
  for (auto& connection : connections) {
    connection.fd = connect_to(settings.port);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = &connection;
    epoll_ctl(epoll, EPOLL_CTL_ADD, connection.fd, &event);
  }
  while (!started.load()) std::this_thread::yield();
  for (auto& connection : connections) {
    connection.sent_at = Clock::now();
    send_all(connection.fd, request);
  }
  epoll_event events[64];
  char chunk[65536];
  const bool paced = settings.rate > 0;
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(paced ? 1 / settings.rate : 0));
  while (true) {
    if (paced) {
      const auto now = Clock::now();
      for (auto& connection : connections)
        if (connection.waiting && now >= connection.next_send && now < until) {
          connection.waiting = false;
          connection.sent_at = now;
          send_all(connection.fd, request);
        }
    }
    const int count = epoll_wait(epoll, events, 64, settings.busy_poll ? 0 : paced ? 1 : 100);
    if (count == 0) {
      if (Clock::now() >= until) break;
      if (settings.busy_poll) sched_yield();
      continue;
    }
    for (int i = 0; i < count; ++i) {
      auto& connection = *static_cast<Connection*>(events[i].data.ptr);
      const ssize_t got = ::recv(connection.fd, chunk, sizeof chunk, 0);
      if (got == 0) fail("the server closed a connection");
      if (got < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        fail(std::string("recv: ") + std::strerror(errno));
      }
      connection.in.append(chunk, static_cast<std::size_t>(got));
      int status = 0;
      const std::size_t length = complete_response(connection.in, &status);
      if (length == 0) continue;
      const auto now = Clock::now();
      tally.latencies_ns.push_back(static_cast<std::uint32_t>(std::min<std::int64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now - connection.sent_at).count(),
          UINT32_MAX)));
      tally.answered_at.push_back(now);
      tally.failed.push_back(status < 200 || status > 299);
      connection.in.erase(0, length);
      if (now >= until) continue;
      if (paced) {
        connection.next_send = connection.sent_at + interval;
        connection.waiting = true;
        continue;
      }
      connection.sent_at = now;
      send_all(connection.fd, request);
    }
    if (Clock::now() >= until + std::chrono::seconds(2)) break;  // answers that never came
  }
  for (auto& connection : connections) ::close(connection.fd);
  ::close(epoll);
}

Settings parse(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--port")
      settings.port = std::atoi(value().c_str());
    else if (flag == "--body")
      settings.body_file = value();
    else if (flag == "--path")
      settings.path = value();
    else if (flag == "--content-type")
      settings.content_type = value();
    else if (flag == "--connections")
      settings.connections = std::stoul(value());
    else if (flag == "--threads")
      settings.threads = std::stoul(value());
    else if (flag == "--seconds")
      settings.seconds = std::stod(value());
    else if (flag == "--busy-poll")
      settings.busy_poll = true;
    else if (flag == "--method")
      settings.method = value();
    else if (flag == "--rate")
      settings.rate = std::stod(value());
    else if (flag == "--phases")
      for (std::stringstream list(value()); list.good();) {
        std::string item;
        std::getline(list, item, ',');
        settings.phases.push_back(std::stod(item));
      }
    else
      fail("unknown flag " + flag + " (see the comment at the top of bench/serve_client.cpp)");
  }
  if (settings.port <= 0 || (settings.body_file.empty() && settings.method != "GET"))
    fail("needs --port and --body");
  if (!settings.phases.empty()) {
    settings.seconds = 0;
    for (const double phase : settings.phases) settings.seconds += phase;
  } else {
    settings.phases.push_back(settings.seconds);
  }
  settings.threads = std::max(1u, std::min(settings.threads, settings.connections));
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  const Settings settings = parse(argc, argv);
  std::string body;
  if (!settings.body_file.empty()) {
    std::ifstream file(settings.body_file, std::ios::binary);
    if (!file) fail("cannot read " + settings.body_file);
    std::stringstream text;
    text << file.rdbuf();
    body = text.str();
  }
  const std::string request =
      settings.method == "GET"
          ? "GET " + settings.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          : settings.method + " " + settings.path +
                " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + settings.content_type +
                "\r\nAccept: text/csv\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\n\r\n" + body;

  std::vector<Tally> tallies(settings.threads);
  std::vector<std::thread> threads;
  std::atomic<bool> started{false};
  const auto duration =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(settings.seconds));
  Clock::time_point until = Clock::time_point::max();
  for (unsigned t = 0; t < settings.threads; ++t) {
    const unsigned share = settings.connections / settings.threads +
                           (t < settings.connections % settings.threads ? 1 : 0);
    threads.emplace_back(
        [&, share, t] { drive(settings, share, request, until, started, tallies[t]); });
  }
  // Connections first, then the clock: connecting is not part of the measurement. drive()
  // reads `until` only after `started`, which is set after it is assigned.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto begin = Clock::now();
  until = begin + duration;
  started.store(true);
  for (auto& thread : threads) thread.join();

  // One RESULT line per phase (answers after the last phase are not counted).
  auto phase_start = begin;
  for (std::size_t phase = 0; phase < settings.phases.size(); ++phase) {
    const auto phase_end = phase_start + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(settings.phases[phase]));
    std::vector<std::uint32_t> all;
    std::uint64_t errors = 0;
    for (const auto& tally : tallies)
      for (std::size_t i = 0; i < tally.latencies_ns.size(); ++i)
        if (tally.answered_at[i] >= phase_start && tally.answered_at[i] < phase_end) {
          all.push_back(tally.latencies_ns[i]);
          errors += tally.failed[i] ? 1 : 0;
        }
    phase_start = phase_end;
    if (all.empty()) fail("no answers in phase " + std::to_string(phase + 1));
    std::sort(all.begin(), all.end());
    auto percentile = [&](double p) {
      return all[std::min(all.size() - 1, static_cast<std::size_t>(p / 100 * all.size()))] / 1000;
    };
    const double window = settings.phases[phase];
    std::printf(
        "RESULT %srequests=%zu seconds=%.3f rps=%.1f p50_us=%u p99_us=%u errors=%llu\n",
        settings.phases.size() > 1 ? ("phase=" + std::to_string(phase + 1) + " ").c_str() : "",
        all.size(), window, static_cast<double>(all.size()) / window, percentile(50),
        percentile(99), static_cast<unsigned long long>(errors));
  }
  return 0;
}
