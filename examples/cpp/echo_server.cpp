// A TCP echo server on the epoll reactor, and its client (native only).
//
//   echo_server [--port N] [--max-clients N] [--workers N]
//                                              serve; prints "listening on 127.0.0.1:PORT"
//   echo_server --client HOST:PORT WORDS...    send WORDS, print what comes back
//
// Each connection is its own task; a slow client never holds up the others. With --workers the
// server runs on the multi-threaded runtime, its connections spread over the worker threads.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "runtime/loopscope.hpp"
#include "runtime/platform/entry.hpp"

using namespace loopscope;

namespace {

Task<void> serve_connection(TcpStream conn) {
  char buf[16 * 1024];
  try {
    for (;;) {
      size_t n = co_await conn.read(buf, sizeof buf);
      if (n == 0) break;
      co_await conn.write_all(std::string_view(buf, n));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "connection error: %s\n", e.what());
  }
}

Task<int> server(uint16_t port, long max_clients) {
  auto listener = TcpListener::bind("127.0.0.1", port);
  std::printf("listening on 127.0.0.1:%u\n", listener.local_port());
  std::fflush(stdout);
  std::vector<JoinHandle<void>> connections;
  for (long served = 0; max_clients < 0 || served < max_clients; ++served) {
    TcpStream conn = co_await listener.accept();
    connections.push_back(spawn(serve_connection(std::move(conn)), "connection"));
  }
  for (auto& c : connections) co_await c;
  co_return 0;
}

Task<int> client(std::string host, uint16_t port, std::string message) {
  TcpStream s = co_await TcpStream::connect(host, port);
  co_await s.write_all(message);
  s.shutdown_write();
  std::string back;
  char buf[4096];
  for (;;) {
    size_t n = co_await s.read(buf, sizeof buf);
    if (n == 0) break;
    back.append(buf, n);
  }
  std::printf("%s\n", back.c_str());
  co_return back == message ? 0 : 1;
}

int usage() {
  std::fprintf(stderr,
               "usage: echo_server [--port N] [--max-clients N] [--workers N]\n"
               "       echo_server --client HOST:PORT WORDS...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "--client") == 0) {
    std::string target = argv[2];
    auto colon = target.rfind(':');
    if (colon == std::string::npos) return usage();
    std::string message;
    for (int i = 3; i < argc; ++i) message += (i > 3 ? " " : "") + std::string(argv[i]);
    return run_to_exit(client(target.substr(0, colon), static_cast<uint16_t>(std::atoi(target.c_str() + colon + 1)), message));
  }
  long port = 0, max_clients = -1, workers = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
      port = std::atol(argv[++i]);
    } else if (std::strcmp(argv[i], "--max-clients") == 0 && i + 1 < argc) {
      max_clients = std::atol(argv[++i]);
    } else if (std::strcmp(argv[i], "--workers") == 0 && i + 1 < argc) {
      workers = std::atol(argv[++i]);
      if (workers < 1 || workers > 256) return usage();
    } else {
      return usage();
    }
  }
  if (port < 0 || port > 65535) return usage();
  if (workers == 0) return run_to_exit(server(static_cast<uint16_t>(port), max_clients));
  try {
    auto rt = Runtime::builder().workers(static_cast<uint32_t>(workers)).build();
    return rt.block_on(server(static_cast<uint16_t>(port), max_clients));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
