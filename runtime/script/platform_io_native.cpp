// io() and fetch() natively: a timerfd registered with the epoll reactor, and a small HTTP/1.1
// client over TcpStream (http:// only; names resolved on the blocking pool).
#include <netdb.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "runtime/io/tcp.hpp"
#include "runtime/sched/blocking.hpp"
#include "runtime/script/format.hpp"
#include "runtime/script/platform_io.hpp"
#include "runtime/script/vm.hpp"

namespace loopscope::script {

namespace {

struct IoFuture final : FutureObj {
  IoFuture(Value n, double m) : name(n), ms(m) {}
  Value name;
  double ms;
  std::optional<IoSource> source;
  bool done = false;

  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    try {
      if (!source) {
        int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (fd < 0) throw std::system_error(errno, std::generic_category(), "timerfd_create");
        source.emplace(fd);
        uint64_t ns = static_cast<uint64_t>(ms * 1e6);
        if (ns == 0) ns = 1;  // a zero deadline would disarm the timer
        itimerspec spec{};
        spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
        spec.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
        if (::timerfd_settime(fd, 0, &spec, nullptr) < 0) throw std::system_error(errno, std::generic_category(), "timerfd_settime");
      }
      int fd = source->fd();
      auto r = source->poll_io(cx, Interest::Read, [fd] {
        uint64_t expirations;
        return static_cast<long>(::read(fd, &expirations, sizeof expirations));
      });
      if (r.is_pending()) return PollStatus::Pending;
    } catch (const std::exception& e) {
      out = vm.error_value(std::string("io: ") + e.what());
      source.reset();
      return PollStatus::Error;
    }
    source.reset();
    out = name;
    return PollStatus::Ready;
  }
  void cancel(VM&) override { source.reset(); }
  void trace(Marker& m) override { m.mark(name); }
  std::string describe() const override {
    return "io(" + to_repr(name) + ", " + format_number(ms) + ")";
  }
};

struct Url {
  std::string host;
  uint16_t port = 80;
  std::string path = "/";
};

// Parses http://host[:port][/path]; an error message otherwise.
std::string parse_url(const std::string& url, Url& u) {
  if (url.rfind("https://", 0) == 0)
    return "only http:// URLs can be fetched natively (https needs TLS, which the native runtime does not have)";
  if (url.rfind("http://", 0) != 0) return "'" + url + "' is not an http:// URL";
  std::string rest = url.substr(7);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) u.path = rest.substr(slash);
  size_t colon = authority.rfind(':');
  u.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    std::string p = authority.substr(colon + 1);
    char* end = nullptr;
    long port = std::strtol(p.c_str(), &end, 10);
    if (p.empty() || *end || port <= 0 || port > 65535) return "bad port in '" + url + "'";
    u.port = static_cast<uint16_t>(port);
  }
  if (u.host.empty()) return "no host in '" + url + "'";
  return "";
}

struct HttpResponse {
  int status = 0;
  std::string body;
};

std::string resolve_ipv4(const std::string& host) {
  in_addr a{};
  if (host == "localhost") return "127.0.0.1";
  if (::inet_pton(AF_INET, host.c_str(), &a) == 1) return host;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0 || !res) throw std::runtime_error("cannot resolve host '" + host + "': " + ::gai_strerror(rc));
  char buf[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr, buf, sizeof buf);
  ::freeaddrinfo(res);
  return buf;
}

HttpResponse parse_response(const std::string& raw) {
  size_t head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos) throw std::runtime_error("the server did not answer with HTTP/1.x");
  HttpResponse r;
  r.status = std::atoi(raw.c_str() + 9);
  std::string head = raw.substr(0, head_end);
  std::string body = raw.substr(head_end + 4);
  std::string lower;
  for (char c : head) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("transfer-encoding: chunked") != std::string::npos) {
    std::string decoded;
    size_t pos = 0;
    for (;;) {
      size_t eol = body.find("\r\n", pos);
      if (eol == std::string::npos) throw std::runtime_error("truncated chunked response");
      size_t n = std::strtoul(body.substr(pos, eol - pos).c_str(), nullptr, 16);
      if (n == 0) break;
      if (eol + 2 + n > body.size()) throw std::runtime_error("truncated chunked response");
      decoded += body.substr(eol + 2, n);
      pos = eol + 2 + n + 2;
    }
    body = std::move(decoded);
  } else if (size_t at = lower.find("content-length:"); at != std::string::npos) {
    size_t n = std::strtoul(head.c_str() + at + 15, nullptr, 10);
    if (body.size() > n) body.resize(n);
  }
  r.body = std::move(body);
  return r;
}

Task<HttpResponse> http_get(Url u) {
  constexpr size_t kMaxResponse = 64u << 20;
  // (Named, not a temporary inside the co_await: g++ 12 copies such temporaries bitwise into the
  // coroutine frame, which breaks a captured std::string. See docs/toolchain.md.)
  auto resolving = spawn_blocking([host = u.host] { return resolve_ipv4(host); });
  std::string ip = co_await resolving;
  TcpStream s = co_await TcpStream::connect(ip, u.port);
  std::string request = "GET " + u.path + " HTTP/1.1\r\nHost: " + u.host +
                        (u.port != 80 ? ":" + std::to_string(u.port) : "") +
                        "\r\nUser-Agent: loopscope\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  co_await s.write_all(request);
  std::string raw;
  char buf[16 * 1024];
  for (;;) {
    size_t n = co_await s.read(buf, sizeof buf);
    if (n == 0) break;
    raw.append(buf, n);
    if (raw.size() > kMaxResponse) throw std::runtime_error("the response is larger than 64 MiB");
  }
  co_return parse_response(raw);
}

struct FetchFuture final : FutureObj {
  FetchFuture(std::string u, Url parsed) : url(std::move(u)), request(http_get(std::move(parsed))) {}
  std::string url;
  Task<HttpResponse> request;
  bool finished = false;

  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    try {
      auto p = request.poll(cx);
      if (p.is_pending()) return PollStatus::Pending;
      HttpResponse r = p.take();
      auto* m = vm.heap().make<Map>();
      m->set(vm.string("status"), Value::integer(r.status));
      m->set(vm.string("body"), vm.string(std::move(r.body)));
      out = Value::object(m);
      finished = true;
      return PollStatus::Ready;
    } catch (const std::exception& e) {
      out = vm.error_value("fetch " + url + ": " + e.what());
      finished = true;
      return PollStatus::Error;
    }
  }
  void cancel(VM&) override { request = Task<HttpResponse>(); }
  std::string describe() const override { return "fetch(" + quote_string(url) + ")"; }
};

}  // namespace

FutureObj* make_io_future(VM& vm, Value name, double ms) {
  if (vm.sim()) return make_virtual_io(vm, name, ms);
  return vm.heap().make<IoFuture>(name, ms);
}

FutureObj* make_fetch_future(VM& vm, const std::string& url) {
  Url u;
  std::string problem = parse_url(url, u);
  if (!problem.empty()) {
    vm.raise("fetch: " + problem);
    return nullptr;
  }
  return vm.heap().make<FetchFuture>(url, std::move(u));
}

void set_fetch_provider(FetchProvider) {}

}  // namespace loopscope::script
