#include "runtime/io/pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace loopscope {

std::pair<PipeReader, PipeWriter> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  return {PipeReader(IoSource(fds[0])), PipeWriter(IoSource(fds[1]))};
}

}  // namespace loopscope
