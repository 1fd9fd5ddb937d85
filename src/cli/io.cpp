#include "io.hpp"

#include <cerrno>
#include <unistd.h>

namespace cli {

bool write_all(int fd, const char *data, std::size_t size) noexcept {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

} // namespace cli
