// TCP over the epoll reactor.
//
//   auto listener = TcpListener::bind("127.0.0.1", 0);         // port 0: any free port
//   uint16_t port = listener.local_port();
//   TcpStream conn = co_await listener.accept();
//
//   TcpStream s = co_await TcpStream::connect("127.0.0.1", port);
//   co_await s.write_all(std::string_view("ping"));
//   char buf[64];
//   size_t n = co_await s.read(buf, sizeof buf);               // 0 at end of stream
//   s.shutdown_write();                                          // the peer reads end of stream
//
// Errors (refused connection, reset, I/O on a closed stream) are thrown as std::system_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/io/io_source.hpp"
#include "runtime/task/task.hpp"

namespace loopscope {

class TcpStream;

// Reads or writes once on an IoSource: the shared future of streams and pipes.
class ReadFuture {
 public:
  ReadFuture(IoSource& io, char* buf, size_t len) noexcept : io_(&io), buf_(buf), len_(len) {}
  Poll<size_t> poll(Context& cx);

 private:
  IoSource* io_;
  char* buf_;
  size_t len_;
};

class WriteFuture {
 public:
  WriteFuture(IoSource& io, const char* buf, size_t len) noexcept : io_(&io), buf_(buf), len_(len) {}
  Poll<size_t> poll(Context& cx);

 private:
  IoSource* io_;
  const char* buf_;
  size_t len_;
};

// Writes all of `data` (the caller keeps it alive until done).
Task<void> write_all(IoSource& io, std::string_view data);

class ConnectFuture {
 public:
  ConnectFuture(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}
  Poll<TcpStream> poll(Context& cx);

 private:
  std::string host_;
  uint16_t port_;
  IoSource io_;
  bool started_ = false;
};

class TcpStream {
 public:
  TcpStream() noexcept = default;
  explicit TcpStream(IoSource io) noexcept : io_(std::move(io)) {}

  // `host` is an IPv4 address or "localhost".
  static ConnectFuture connect(std::string host, uint16_t port) { return ConnectFuture(std::move(host), port); }

  ReadFuture read(char* buf, size_t len) noexcept { return ReadFuture(io_, buf, len); }
  WriteFuture write(const char* buf, size_t len) noexcept { return WriteFuture(io_, buf, len); }
  Task<void> write_all(std::string_view data) { return loopscope::write_all(io_, data); }
  // Sends end-of-stream to the peer; reading stays possible.
  void shutdown_write();
  void close() noexcept { io_.close(); }
  bool is_open() const noexcept { return io_.is_open(); }
  int fd() const noexcept { return io_.fd(); }
  void set_nodelay(bool on);

 private:
  IoSource io_;
};

class AcceptFuture {
 public:
  explicit AcceptFuture(IoSource& io) noexcept : io_(&io) {}
  Poll<TcpStream> poll(Context& cx);

 private:
  IoSource* io_;
};

class TcpListener {
 public:
  // Binds and listens; throws std::system_error.
  static TcpListener bind(const std::string& host, uint16_t port, int backlog = 1024);
  uint16_t local_port() const;
  AcceptFuture accept() noexcept { return AcceptFuture(io_); }
  void close() noexcept { io_.close(); }

 private:
  explicit TcpListener(IoSource io) noexcept : io_(std::move(io)) {}
  IoSource io_;
};

}  // namespace loopscope
