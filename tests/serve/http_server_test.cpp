#include "archml/serve/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace archml::serve {
namespace {

// A blocking loopback client that sends raw bytes and reads until the server closes or
// `expected` responses have arrived.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("connect failed");
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawClient() { ::close(fd_); }

  void finish_sending() { ::shutdown(fd_, SHUT_WR); }
  bool try_send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Exactly `count` bytes (fewer when the server closes first).
  std::string read_exactly(std::size_t count) {
    std::string data(count, '\0');
    std::size_t got = 0;
    while (got < count) {
      const ssize_t n = ::recv(fd_, data.data() + got, count - got, 0);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    data.resize(got);
    return data;
  }
  // Whether the server closed the connection (EOF) after any bytes it still sends.
  bool closed_by_server() {
    char chunk[4096];
    while (true) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n == 0) return true;
      if (n < 0) return false;  // the 5 s receive timeout, or a reset
    }
  }
  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      ASSERT_GT(n, 0) << "send failed after " << sent << " bytes";
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads until `count` responses (with complete bodies) have arrived, or EOF.
  std::string read_responses(int count, bool* closed = nullptr) {
    std::string data;
    char chunk[65536];
    int complete = 0;
    std::size_t at = 0;  // where the next response starts
    while (true) {
      while (complete < count) {
        const std::size_t head_end = data.find("\r\n\r\n", at);
        if (head_end == std::string::npos) break;
        const std::size_t length_at = data.find("Content-Length: ", at);
        const std::size_t length = std::stoul(data.substr(length_at + 16, 20));
        if (data.size() < head_end + 4 + length) break;
        at = head_end + 4 + length;
        ++complete;
      }
      if (complete >= count) break;
      const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
      if (got <= 0) {
        if (closed) *closed = got == 0;
        return data;
      }
      data.append(chunk, static_cast<std::size_t>(got));
    }
    if (closed) *closed = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT) == 0;
    return data;
  }

 private:
  int fd_ = -1;
};

// Every case runs with workers that sleep in epoll between requests (busy poll 0) and
// with workers that spin first: both must serve alike.
class ServeHttpServerTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.port = 0;
    options.workers = 2;
    options.busy_poll = std::chrono::microseconds(GetParam());
    options.limits.max_body_bytes = 100;
    options.hooks.on_own_answer = [this](const HttpRequest& request, const HttpResponse& response,
                                         std::string_view detail) {
      std::lock_guard lock(mutex_);
      own_answers_.push_back(std::to_string(response.status) + " " + std::string(request.method) +
                             " " + std::string(request.path()) + " " + std::string(detail));
    };
    server_ = std::make_unique<HttpServer>(
        options, [](const HttpRequest& request, HttpResponse& response) {
          if (request.path() == "/throw") throw std::runtime_error("handler bug");
          response.content_type = "text/plain";
          response.body = std::string(request.method) + " " + std::string(request.path()) + " " +
                          std::string(request.body);
        });
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }

  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> own_answers_;  // "STATUS METHOD PATH DETAIL"
};

TEST_P(ServeHttpServerTest, AnswersPipelinedRequestsInOrderOnOneConnection) {
  RawClient client(server_->port());
  client.send(
      "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n"
      "POST /c HTTP/1.1\r\nContent-Length: 1\r\n\r\n");
  client.send("z");
  const std::string responses = client.read_responses(3);
  const auto a = responses.find("POST /a abc");
  const auto b = responses.find("GET /b ");
  const auto c = responses.find("POST /c z");
  ASSERT_NE(a, std::string::npos) << responses;
  ASSERT_NE(b, std::string::npos) << responses;
  ASSERT_NE(c, std::string::npos) << responses;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST_P(ServeHttpServerTest, AHandlerThatThrowsGets500AndTheServerCarriesOn) {
  RawClient client(server_->port());
  client.send("GET /throw HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n");
  const std::string responses = client.read_responses(2);
  EXPECT_NE(responses.find("HTTP/1.1 500 Internal Server Error"), std::string::npos);
  EXPECT_NE(responses.find("GET /after"), std::string::npos);
  // The exception's text is for the operator (the hook), never the client.
  EXPECT_EQ(responses.find("handler bug"), std::string::npos) << responses;
  std::lock_guard lock(mutex_);
  ASSERT_EQ(own_answers_.size(), 1u);
  EXPECT_EQ(own_answers_[0], "500 GET /throw handler bug");
}

TEST_P(ServeHttpServerTest, ParserRejectionsReachTheHooks) {
  const std::string cases[] = {"GARBAGE\r\n\r\n",
                               "POST /c HTTP/1.1\r\nTransfer-Encoding: x\r\n\r\n",
                               "POST /b HTTP/1.1\r\nContent-Length: 101\r\n\r\n",
                               "GET /h HTTP/1.1\r\nX: " + std::string(20000, 'a'),
                               "GET /v HTTP/2.0\r\n\r\n",
                               "GET /e HTTP/1.1\r\nExpect: x\r\n\r\n"};
  for (const std::string& request : cases) {
    RawClient client(server_->port());
    client.send(request);
    client.read_responses(1);
  }
  std::lock_guard lock(mutex_);
  EXPECT_EQ(own_answers_, (std::vector<std::string>{"400   ", "411 POST /c ", "413 POST /b ",
                                                    "431   ", "505 GET /v ", "417 GET /e "}));
}

TEST_P(ServeHttpServerTest, Expect100ContinueIsAnsweredBeforeTheBody) {
  RawClient client(server_->port());
  client.send("POST /up HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.read_exactly(25), "HTTP/1.1 100 Continue\r\n\r\n");
  client.send("hello");
  EXPECT_NE(client.read_responses(1).find("200 OK"), std::string::npos);
  // A second request on the connection gets its own 100.
  client.send("POST /up HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.read_exactly(25), "HTTP/1.1 100 Continue\r\n\r\n");
  client.send("hi");
  EXPECT_NE(client.read_responses(1).find("POST /up hi"), std::string::npos);
}

TEST_P(ServeHttpServerTest, OversizedAndChunkedBodiesAreRefusedAndTheConnectionClosed) {
  {
    RawClient client(server_->port());
    client.send("POST /big HTTP/1.1\r\nContent-Length: 101\r\n\r\n");
    bool closed = false;
    const std::string response = client.read_responses(1, &closed);
    EXPECT_NE(response.find("HTTP/1.1 413"), std::string::npos) << response;
    EXPECT_NE(response.find("Connection: close"), std::string::npos);
  }
  RawClient client(server_->port());
  client.send("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_NE(client.read_responses(1).find("HTTP/1.1 411"), std::string::npos);
}

TEST_P(ServeHttpServerTest, AClientThatDoesNotReadItsAnswersIsThrottledNotLost) {
  // 100,000 pipelined requests whose answers (about 15 MB) exceed what the server holds
  // unsent; it stops reading until the client reads, and every answer arrives.
  RawClient client(server_->port());
  std::string many;
  const int count = 100000;
  for (int i = 0; i < count; ++i)
    many += "POST /p HTTP/1.1\r\nContent-Length: 64\r\n\r\n" + std::string(64, 'x');
  std::thread sender([&] { client.send(many); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::string responses = client.read_responses(count);
  sender.join();
  std::size_t answers = 0;
  for (std::size_t at = responses.find("HTTP/1.1 200"); at != std::string::npos;
       at = responses.find("HTTP/1.1 200", at + 1))
    ++answers;
  EXPECT_EQ(answers, static_cast<std::size_t>(count));
}

TEST_P(ServeHttpServerTest, AnswersAClientThatClosedItsSendingSide) {
  RawClient client(server_->port());
  client.send("POST /half HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
  client.finish_sending();
  bool closed = false;
  const std::string response = client.read_responses(1, &closed);
  EXPECT_NE(response.find("POST /half hi"), std::string::npos) << response;
}

TEST_P(ServeHttpServerTest, ConnectionCloseIsHonoured) {
  RawClient client(server_->port());
  client.send("GET /x HTTP/1.1\r\nConnection: close\r\n\r\n");
  bool closed = false;
  const std::string response = client.read_responses(1, &closed);
  EXPECT_NE(response.find("GET /x"), std::string::npos);
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(BusyPollMicroseconds, ServeHttpServerTest, ::testing::Values(0, 50, 5000));

// A server with its own options on a free port, stopped and joined at the end.
struct RunningServer {
  explicit RunningServer(HttpServerOptions options, HttpHandler handler = nullptr) {
    options.port = 0;
    if (!handler)
      handler = [](const HttpRequest&, HttpResponse& response) { response.body = "ok"; };
    server = std::make_unique<HttpServer>(options, handler);
    thread = std::thread([this] { server->run(); });
  }
  ~RunningServer() {
    server->stop();
    thread.join();
  }
  std::unique_ptr<HttpServer> server;
  std::thread thread;
};

// Counts connection events from the server's threads.
struct EventCounts {
  std::array<std::atomic<int>, 8> counts{};
  void hook(HttpServerOptions& options) {
    options.hooks.on_connection_event = [this](ConnectionEvent event) {
      ++counts[static_cast<std::size_t>(event)];
    };
  }
  int operator[](ConnectionEvent event) const { return counts[static_cast<std::size_t>(event)]; }
};

TEST(ServeHttpServer, ConnectionsOverTheLimitGet503AndClose) {
  HttpServerOptions options;
  options.max_connections = 2;
  EventCounts events;
  events.hook(options);
  RunningServer running(options);
  RawClient first(running.server->port()), second(running.server->port());
  for (RawClient* client : {&first, &second}) {  // both accepted and served
    client->send("GET / HTTP/1.1\r\n\r\n");
    EXPECT_NE(client->read_responses(1).find("200 OK"), std::string::npos);
  }
  RawClient third(running.server->port());
  const std::string refused = third.read_responses(1);
  EXPECT_NE(refused.find("HTTP/1.1 503 Service Unavailable"), std::string::npos) << refused;
  EXPECT_NE(refused.find("limit of 2 connections"), std::string::npos) << refused;
  EXPECT_TRUE(third.closed_by_server());
  EXPECT_EQ(events[ConnectionEvent::kRefusedAtLimit], 1);
  // A place frees when a connection closes.
  first.send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
  first.read_responses(1);
  EXPECT_TRUE(first.closed_by_server());
  for (int attempt = 0; attempt < 100 && events[ConnectionEvent::kClosed] < 1; ++attempt)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  RawClient fourth(running.server->port());
  fourth.send("GET / HTTP/1.1\r\n\r\n");
  EXPECT_NE(fourth.read_responses(1).find("200 OK"), std::string::npos);
}

TEST(ServeHttpServer, SlowHeadersAndBodiesGet408AndIdleConnectionsClose) {
  HttpServerOptions options;
  options.timeouts.header = std::chrono::milliseconds(200);
  options.timeouts.body = std::chrono::milliseconds(200);
  options.timeouts.idle = std::chrono::milliseconds(200);
  EventCounts events;
  events.hook(options);
  RunningServer running(options);
  const int port = running.server->port();
  RawClient header(port), body(port), idle(port), silent(port);
  // A header trickled byte by byte does not restart its deadline.
  std::thread trickle([&] {
    for (const char c : std::string("GET / HTTP/1.1\r\nX-Slow: ")) {
      if (!header.try_send(std::string(1, c))) break;  // the server closed it
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  body.send("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
  idle.send("GET / HTTP/1.1\r\n\r\n");
  EXPECT_NE(idle.read_responses(1).find("200 OK"), std::string::npos);
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(silent.closed_by_server());
  bool closed = false;
  const std::string slow_body = body.read_responses(1, &closed);
  EXPECT_NE(slow_body.find("HTTP/1.1 408 Request Timeout"), std::string::npos) << slow_body;
  EXPECT_NE(slow_body.find("body did not arrive within 200 ms"), std::string::npos);
  const std::string slow_header = header.read_responses(1);
  trickle.join();
  EXPECT_NE(slow_header.find("HTTP/1.1 408"), std::string::npos) << slow_header;
  EXPECT_NE(slow_header.find("headers did not arrive"), std::string::npos);
  EXPECT_EQ(events[ConnectionEvent::kBodyTimeout], 1);
  EXPECT_GE(events[ConnectionEvent::kHeaderTimeout], 2);  // the trickle and the silent one
  EXPECT_EQ(events[ConnectionEvent::kIdleTimeout], 1);
}

TEST(ServeHttpServer, StopRefusesNewConnectionsAndFinishesTheRequestInFlight) {
  HttpServerOptions options;
  options.port = 0;
  std::atomic<bool> entered{false};
  HttpServer server(options, [&](const HttpRequest&, HttpResponse& response) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    response.body = "finished";
  });
  std::thread thread([&] { server.run(); });
  RawClient client(server.port());
  client.send("GET /slow HTTP/1.1\r\n\r\n");
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server.stop();
  EXPECT_THROW(RawClient late(server.port()), std::runtime_error);  // refused, not hanging
  const std::string response = client.read_responses(1);
  thread.join();
  EXPECT_NE(response.find("200 OK"), std::string::npos) << response;
  EXPECT_NE(response.find("finished"), std::string::npos);
}

TEST(ServeHttpServer, ABusyPortIsAnIoError) {
  HttpServerOptions options;
  options.port = 0;
  HttpServer first(options, [](const HttpRequest&, HttpResponse&) {});
  options.port = first.port();
  EXPECT_THROW(HttpServer(options, [](const HttpRequest&, HttpResponse&) {}), std::exception);
}

}  // namespace
}  // namespace archml::serve
