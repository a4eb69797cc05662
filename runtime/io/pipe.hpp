// Pipes over the epoll reactor: a one-way byte stream inside the process, for example from a
// blocking thread back to a task.
//
//   auto [reader, writer] = make_pipe();
//   co_await writer.write_all("hello");
//   writer.close();                                    // the reader then sees end of stream
//   size_t n = co_await reader.read(buf, sizeof buf);   // 0 at end of stream
#pragma once

#include <utility>

#include "runtime/io/tcp.hpp"

namespace loopscope {

class PipeReader {
 public:
  explicit PipeReader(IoSource io) noexcept : io_(std::move(io)) {}
  ReadFuture read(char* buf, size_t len) noexcept { return ReadFuture(io_, buf, len); }
  void close() noexcept { io_.close(); }
  int fd() const noexcept { return io_.fd(); }

 private:
  IoSource io_;
};

class PipeWriter {
 public:
  explicit PipeWriter(IoSource io) noexcept : io_(std::move(io)) {}
  WriteFuture write(const char* buf, size_t len) noexcept { return WriteFuture(io_, buf, len); }
  Task<void> write_all(std::string_view data) { return loopscope::write_all(io_, data); }
  void close() noexcept { io_.close(); }
  int fd() const noexcept { return io_.fd(); }

 private:
  IoSource io_;
};

// Throws std::system_error.
std::pair<PipeReader, PipeWriter> make_pipe();

}  // namespace loopscope
