#include "spool.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "io.hpp"

namespace cli {

Spool::~Spool() {
  if (fd_ >= 0)
    close(fd_);
}

bool Spool::create(std::string *why) {
  const char *dir = std::getenv("TMPDIR");
  if (dir == nullptr || *dir == '\0')
    dir = "/tmp";
  std::string path = std::string(dir) + "/backoff.XXXXXX";
  fd_ = mkostemp(path.data(), O_CLOEXEC);
  if (fd_ < 0) {
    *why = "cannot create a temporary file in " + std::string(dir) + ": " +
           std::strerror(errno);
    return false;
  }
  unlink(path.c_str());
  return true;
}

bool Spool::clear() noexcept {
  return ftruncate(fd_, 0) == 0 && lseek(fd_, 0, SEEK_SET) == 0;
}

bool Spool::fill_from(int from) noexcept {
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(from, buffer, sizeof buffer);
    if (n == 0)
      return true;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    if (!write_all(fd_, buffer, static_cast<std::size_t>(n)))
      return false;
  }
}

int Spool::open_for_reading() const noexcept {
  // A new open file description of the same (unlinked) file.
  char self[40];
  std::snprintf(self, sizeof self, "/proc/self/fd/%d", fd_);
  const int fd = open(self, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    return fd;
  // No /proc: share the description, rewound.
  const int dup = fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (dup >= 0 && lseek(dup, 0, SEEK_SET) != 0) {
    close(dup);
    return -1;
  }
  return dup;
}

bool Spool::copy_to(int to) const noexcept {
  char buffer[65536];
  for (off_t at = 0;;) {
    const ssize_t n = pread(fd_, buffer, sizeof buffer, at);
    if (n == 0)
      return true;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    if (!write_all(to, buffer, static_cast<std::size_t>(n)))
      return false;
    at += n;
  }
}

} // namespace cli
