#include "runtime/io/tcp.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace loopscope {

namespace {

[[noreturn]] void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

sockaddr_in make_address(const std::string& host, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  std::string ip = host == "localhost" ? "127.0.0.1" : host;
  if (::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1)
    throw std::system_error(EINVAL, std::generic_category(), "not an IPv4 address: '" + host + "'");
  return addr;
}

int new_socket() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw_errno("socket");
  return fd;
}

}  // namespace

Poll<size_t> ReadFuture::poll(Context& cx) {
  auto r = io_->poll_io(cx, Interest::Read, [&] { return static_cast<long>(::read(io_->fd(), buf_, len_)); }, len_);
  if (r.is_pending()) return pending;
  return Poll<size_t>(static_cast<size_t>(r.value()));
}

Poll<size_t> WriteFuture::poll(Context& cx) {
  // send() with MSG_NOSIGNAL: a closed peer is an EPIPE error, not a process-killing SIGPIPE.
  int fd = io_->fd();
  auto r = io_->poll_io(cx, Interest::Write, [&] {
    long n = static_cast<long>(::send(fd, buf_, len_, MSG_NOSIGNAL));
    if (n < 0 && errno == ENOTSOCK) n = static_cast<long>(::write(fd, buf_, len_));  // a pipe
    return n;
  }, len_);
  if (r.is_pending()) return pending;
  return Poll<size_t>(static_cast<size_t>(r.value()));
}

Task<void> write_all(IoSource& io, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    done += co_await WriteFuture(io, data.data() + done, data.size() - done);
  }
}

Poll<TcpStream> ConnectFuture::poll(Context& cx) {
  if (!started_) {
    started_ = true;
    sockaddr_in addr = make_address(host_, port_);
    io_ = IoSource(new_socket());
    if (::connect(io_.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return Poll<TcpStream>(TcpStream(std::move(io_)));
    if (errno != EINPROGRESS) throw_errno("connect");
  }
  auto ev = io_.poll_ready(cx, Interest::Write);
  if (ev.is_pending()) return pending;
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(io_.fd(), SOL_SOCKET, SO_ERROR, &err, &len) < 0) throw_errno("getsockopt(SO_ERROR)");
  if (err != 0) throw std::system_error(err, std::generic_category(), "connect to " + host_ + ":" + std::to_string(port_));
  return Poll<TcpStream>(TcpStream(std::move(io_)));
}

void TcpStream::shutdown_write() {
  if (io_.is_open() && ::shutdown(io_.fd(), SHUT_WR) < 0 && errno != ENOTCONN) throw_errno("shutdown");
}

void TcpStream::set_nodelay(bool on) {
  int v = on ? 1 : 0;
  if (::setsockopt(io_.fd(), IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) < 0) throw_errno("setsockopt(TCP_NODELAY)");
}

Poll<TcpStream> AcceptFuture::poll(Context& cx) {
  auto r = io_->poll_io(cx, Interest::Read, [&] {
    return static_cast<long>(::accept4(io_->fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
  });
  if (r.is_pending()) return pending;
  return Poll<TcpStream>(TcpStream(IoSource(static_cast<int>(r.value()))));
}

TcpListener TcpListener::bind(const std::string& host, uint16_t port, int backlog) {
  sockaddr_in addr = make_address(host, port);
  IoSource io(new_socket());
  int one = 1;
  ::setsockopt(io.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(io.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
    throw std::system_error(errno, std::generic_category(), "bind " + host + ":" + std::to_string(port));
  if (::listen(io.fd(), backlog) < 0) throw_errno("listen");
  return TcpListener(std::move(io));
}

uint16_t TcpListener::local_port() const {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(io_.fd(), reinterpret_cast<sockaddr*>(&addr), &len) < 0) throw_errno("getsockname");
  return ntohs(addr.sin_port);
}

}  // namespace loopscope
