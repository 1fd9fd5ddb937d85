#include "terminal.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace cli {

Terminal::~Terminal() {
  if (fd_ >= 0)
    close(fd_);
}

void Terminal::open() noexcept {
  fd_ = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
}

bool Terminal::backoff_in_foreground() const noexcept {
  return fd_ >= 0 && tcgetpgrp(fd_) == getpgrp();
}

int Terminal::handover_fd() noexcept {
  if (!backoff_in_foreground())
    return -1;
  have_ours_ = tcgetattr(fd_, &ours_) == 0;
  have_attempts_ = false;
  return fd_;
}

void Terminal::handed_to(pid_t pgid) noexcept { holder_ = pgid; }

void Terminal::hand_to(pid_t pgid) noexcept {
  if (!backoff_in_foreground())
    return;
  if (have_attempts_)
    tcsetattr(fd_, TCSADRAIN, &attempts_);
  if (tcsetpgrp(fd_, pgid) == 0)
    holder_ = pgid;
}

void Terminal::take_back(bool restore_modes) noexcept {
  if (holder_ == 0)
    return;
  holder_ = 0;
  if (restore_modes) {
    have_attempts_ = tcgetattr(fd_, &attempts_) == 0;
    if (have_ours_)
      tcsetattr(fd_, TCSADRAIN, &ours_);
  }
  tcsetpgrp(fd_, getpgrp()); // from the background: SIGTTOU is blocked
}

} // namespace cli
