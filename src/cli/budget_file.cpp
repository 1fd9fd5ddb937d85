#include "budget_file.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.hpp"

namespace cli {

namespace {

constexpr char kMagic[16] = "backoff-budget";
constexpr std::uint32_t kVersion = 1;
constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 32;

std::string error_text(const std::string &what) {
  return what + ": " + std::strerror(errno);
}

// The kernel's id of this boot: slot numbers from CLOCK_MONOTONIC mean
// nothing across a reboot. Empty when the system does not say.
void read_boot_id(char (&out)[40]) {
  out[0] = '\0';
  const int fd = ::open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  const ssize_t n = ::read(fd, out, sizeof out - 1);
  close(fd);
  out[n > 0 ? n : 0] = '\0';
  out[std::strcspn(out, "\n")] = '\0';
}

} // namespace

BudgetFile::~BudgetFile() {
  if (fd_ >= 0)
    close(fd_); // also drops a lock still held
}

bool BudgetFile::open(const std::string &path, const BudgetParams &params,
                      std::string *why) {
  path_ = path;
  params_ = params;
  slot_width_ = params.window / (kSlots - 1);
  read_boot_id(boot_id_);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    *why = error_text("cannot open " + path);
    return false;
  }
  // Checked (and made, if new) once now, so that a bad file stops backoff
  // before the first attempt rather than at its first retry.
  if (!lock(why))
    return false;
  Layout layout;
  const bool ok = load(&layout, why);
  unlock();
  return ok;
}

std::int64_t BudgetFile::slot_now() const noexcept {
  return static_cast<std::int64_t>(std::floor(monotonic_now() / slot_width_));
}

bool BudgetFile::lock(std::string *why) {
  while (flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      *why = error_text("cannot lock " + path_);
      return false;
    }
  }
  locked_ = true;
  return true;
}

void BudgetFile::unlock() noexcept {
  if (!locked_)
    return;
  flock(fd_, LOCK_UN);
  locked_ = false;
}

BudgetFile::Layout BudgetFile::fresh() const noexcept {
  Layout layout;
  std::memset(&layout, 0, sizeof layout);
  std::memcpy(layout.magic, kMagic, sizeof kMagic);
  layout.version = kVersion;
  layout.slots = kSlots;
  layout.ratio = params_.ratio;
  layout.min_per_second = params_.min_per_second;
  layout.window = params_.window;
  std::memcpy(layout.boot_id, boot_id_, sizeof boot_id_);
  for (Slot &slot : layout.slot)
    slot.number = -1; // no slot has this number
  return layout;
}

bool BudgetFile::load(Layout *out, std::string *why) {
  struct stat st;
  if (fstat(fd_, &st) != 0) {
    *why = error_text("cannot read " + path_);
    return false;
  }
  if (st.st_size == 0) { // new: ours to make
    *out = fresh();
    return store(*out, why);
  }
  const ssize_t n = pread(fd_, out, sizeof *out, 0);
  if (n < 0) {
    *why = error_text("cannot read " + path_);
    return false;
  }
  if (static_cast<std::size_t>(st.st_size) != sizeof *out ||
      static_cast<std::size_t>(n) != sizeof *out ||
      std::memcmp(out->magic, kMagic, sizeof kMagic) != 0) {
    *why = path_ + " is not a backoff budget file (or it is damaged); "
                   "remove it to start a new budget";
    return false;
  }
  if (out->version != kVersion || out->slots != kSlots) {
    *why = path_ + " is a budget file of another backoff version (layout " +
           std::to_string(out->version) + ")";
    return false;
  }
  if (out->ratio != params_.ratio ||
      out->min_per_second != params_.min_per_second ||
      out->window != params_.window) {
    char text[256];
    std::snprintf(text, sizeof text,
                  "%s holds budget(ratio=%g,min=%g,window=%g), not "
                  "budget(ratio=%g,min=%g,window=%g): one file, one budget",
                  path_.c_str(), out->ratio, out->min_per_second, out->window,
                  params_.ratio, params_.min_per_second, params_.window);
    *why = text;
    return false;
  }
  // No window of a real budget holds 2^32 of anything: a count that large
  // is damage, and deciding on it would refuse or allow nearly everything.
  for (const Slot &slot : out->slot)
    if (slot.first_attempts > kMaxCount || slot.retries > kMaxCount) {
      *why = path_ + " holds impossible counts (it is damaged); remove it to "
                     "start a new budget";
      return false;
    }
  out->boot_id[sizeof out->boot_id - 1] = '\0';
  if (std::strcmp(out->boot_id, boot_id_) != 0) {
    *out = fresh(); // counts of an earlier boot: all expired
    return store(*out, why);
  }
  return true;
}

bool BudgetFile::store(const Layout &layout, std::string *why) {
  const ssize_t n = pwrite(fd_, &layout, sizeof layout, 0);
  if (n != static_cast<ssize_t>(sizeof layout)) {
    *why = error_text("cannot write " + path_);
    return false;
  }
  return true;
}

bool BudgetFile::read(std::int64_t newest, Ring *out,
                      std::string *why) {
  Layout layout;
  if (!load(&layout, why))
    return false;
  for (int k = 0; k < kSlots; ++k) {
    const std::int64_t number = newest - (kSlots - 1) + k;
    const Slot &slot = layout.slot[((number % kSlots) + kSlots) % kSlots];
    const bool current = slot.number == number;
    out->first_attempts[k] = current ? slot.first_attempts : 0;
    out->retries[k] = current ? slot.retries : 0;
  }
  return true;
}

bool BudgetFile::add(std::int64_t slot_number, std::uint64_t first_attempts,
                     std::uint64_t retries, std::string *why) {
  Layout layout;
  if (!load(&layout, why))
    return false;
  Slot &slot = layout.slot[((slot_number % kSlots) + kSlots) % kSlots];
  if (slot.number != slot_number)
    slot = Slot{slot_number, 0, 0}; // an expired slot starts again
  slot.first_attempts += first_attempts;
  slot.retries += retries;
  return store(layout, why);
}

} // namespace cli
