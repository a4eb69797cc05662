// Native I/O over the epoll reactor: TCP echo on 127.0.0.1, errors, pipes, no lost edges.
#include <cerrno>
#include <optional>
#include <string>
#include <system_error>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

namespace {

struct NativeRuntime {
  EpollDriver driver;
  LocalExecutor executor{driver};
};

Task<void> echo_once(TcpListener* listener) {
  TcpStream conn = co_await listener->accept();
  char buf[4096];
  for (;;) {
    size_t n = co_await conn.read(buf, sizeof buf);
    if (n == 0) break;
    co_await conn.write_all(std::string_view(buf, n));
  }
}

Task<std::string> read_to_end(TcpStream& s) {
  std::string out;
  char buf[1024];
  for (;;) {
    size_t n = co_await s.read(buf, sizeof buf);
    if (n == 0) co_return out;
    out.append(buf, n);
  }
}

}  // namespace

TEST_CASE("TCP echo on 127.0.0.1: what the client sends comes back, then end of stream") {
  NativeRuntime rt;
  auto listener = TcpListener::bind("127.0.0.1", 0);
  uint16_t port = listener.local_port();
  std::string payload(200'000, 'x');  // more than one socket buffer: exercises write readiness
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>('a' + i % 26);
  std::string echoed = rt.executor.block_on([](TcpListener* l, uint16_t port, const std::string* payload) -> Task<std::string> {
    auto server = spawn(echo_once(l));
    TcpStream client = co_await TcpStream::connect("127.0.0.1", port);
    auto writer = spawn([](TcpStream* c, const std::string* p) -> Task<void> {
      co_await c->write_all(*p);
      c->shutdown_write();
    }(&client, payload));
    std::string back = co_await read_to_end(client);
    co_await writer;
    co_await server;
    co_return back;
  }(&listener, port, &payload));
  CHECK(echoed == payload);
}

TEST_CASE("connecting to a closed port fails with connection refused") {
  NativeRuntime rt;
  uint16_t port;
  {
    auto l = TcpListener::bind("127.0.0.1", 0);
    port = l.local_port();
  }  // closed again: nobody listens there now
  try {
    rt.executor.block_on(TcpStream::connect("127.0.0.1", port));
    FAIL("connect should have failed");
  } catch (const std::system_error& e) {
    CHECK(e.code().value() == ECONNREFUSED);
  }
}

TEST_CASE("a bad address is a clear error, not a crash") {
  CHECK_THROWS_WITH_AS(TcpListener::bind("not-an-ip", 0), doctest::Contains("not an IPv4 address"), std::system_error);
}

TEST_CASE("reading a stream whose peer closed gives end of stream; writing to it gives EPIPE, not SIGPIPE") {
  NativeRuntime rt;
  auto listener = TcpListener::bind("127.0.0.1", 0);
  uint16_t port = listener.local_port();
  rt.executor.block_on([](TcpListener* l, uint16_t port) -> Task<void> {
    auto server = spawn([](TcpListener* l) -> Task<void> {
      TcpStream s = co_await l->accept();
      s.close();
    }(l));
    TcpStream client = co_await TcpStream::connect("127.0.0.1", port);
    co_await server;
    char buf[16];
    CHECK(co_await client.read(buf, sizeof buf) == 0);
    bool failed = false;
    try {
      for (int i = 0; i < 100; ++i) co_await client.write_all("data that nobody will read");
    } catch (const std::system_error& e) {
      failed = e.code().value() == EPIPE || e.code().value() == ECONNRESET;
    }
    CHECK(failed);
  }(&listener, port));
}

TEST_CASE("pipe: bytes written are read in order, closing the writer ends the stream") {
  NativeRuntime rt;
  auto [reader, writer] = make_pipe();
  std::string got = rt.executor.block_on([](PipeReader* r, PipeWriter* w) -> Task<std::string> {
    auto producer = spawn([](PipeWriter* w) -> Task<void> {
      for (int i = 0; i < 3; ++i) {
        co_await w->write_all("chunk" + std::to_string(i) + ";");
        co_await sleep(std::chrono::milliseconds(2));
      }
      w->close();
    }(w));
    std::string out;
    char buf[64];
    for (;;) {
      size_t n = co_await r->read(buf, sizeof buf);
      if (n == 0) break;
      out.append(buf, n);
    }
    co_await producer;
    co_return out;
  }(&reader, &writer));
  CHECK(got == "chunk0;chunk1;chunk2;");
}

TEST_CASE("data that arrived before the reader registered is not lost (edge cached with its tick)") {
  NativeRuntime rt;
  auto [reader, writer] = make_pipe();
  rt.executor.block_on([](PipeReader* r, PipeWriter* w) -> Task<void> {
    co_await w->write_all("early");  // before anyone polls the read side
    char buf[8];
    size_t n = co_await r->read(buf, sizeof buf);
    CHECK(std::string(buf, n) == "early");
    // Drain to EAGAIN, then a second write must still wake the reader (a fresh edge).
    auto later = spawn([](PipeWriter* w) -> Task<void> {
      co_await sleep(std::chrono::milliseconds(5));
      co_await w->write_all("late");
    }(w));
    n = co_await r->read(buf, sizeof buf);
    CHECK(std::string(buf, n) == "late");
    co_await later;
  }(&reader, &writer));
}

TEST_CASE("reading a closed stream is an error, not undefined behaviour") {
  NativeRuntime rt;
  auto [reader, writer] = make_pipe();
  reader.close();
  char buf[4];
  CHECK_THROWS_AS(rt.executor.block_on(reader.read(buf, sizeof buf)), std::system_error);
}

TEST_CASE("I/O objects declared before their runtime are safe to close and destroy after it") {
  // Every I/O type, registered with a runtime's reactors, then closed or destroyed once that
  // runtime is gone (ASan: no use of the freed reactor); one is used again under a new runtime.
  std::optional<TcpListener> listener = TcpListener::bind("127.0.0.1", 0);
  uint16_t port = listener->local_port();
  std::optional<TcpStream> client, server;
  auto pipe = make_pipe();
  std::optional<PipeReader> reader(std::move(pipe.first));
  std::optional<PipeWriter> writer(std::move(pipe.second));
  {
    auto rt = Runtime::builder().workers(2).build();
    rt.block_on([](TcpListener* l, uint16_t port, std::optional<TcpStream>* c, std::optional<TcpStream>* s, PipeReader* r,
                   PipeWriter* w) -> Task<void> {
      auto accepted = spawn([](TcpListener* l) -> Task<TcpStream> { co_return co_await l->accept(); }(l));
      c->emplace(co_await TcpStream::connect("127.0.0.1", port));
      s->emplace(co_await accepted);
      co_await (*c)->write_all("ping");
      char buf[8];
      CHECK(co_await (*s)->read(buf, sizeof buf) == 4);
      co_await w->write_all("x");
      CHECK(co_await r->read(buf, sizeof buf) == 1);
      // Left waiting in the reactor: a read nobody will answer, in a task the runtime cancels.
      auto waiting = spawn([](PipeReader* r) -> Task<void> {
        char b[1];
        co_await r->read(b, 1);
      }(r));
      co_await yield_now();
    }(&*listener, port, &client, &server, &*reader, &*writer));
  }  // the runtime and its reactors are gone
  client->close();
  listener.reset();
  writer.reset();
  // The server's end is used again under a new runtime: it registers with that one.
  NativeRuntime next;
  std::string got = next.executor.block_on([](TcpStream* s) -> Task<std::string> { co_return co_await read_to_end(*s); }(&*server));
  CHECK(got.empty());  // the client closed: end of stream
  server.reset();
  reader.reset();
}
