// --budget-file PATH: the counts of one retry budget, shared by every
// backoff process on the host that names the same file. This is only the
// store: first attempts and retries per slot of window/32 seconds (the
// library's own representation), kept in a small file that every reader
// and writer locks (flock) for the few microseconds it needs. Whether a
// retry is allowed is decided by the library (see budget_mirror.hpp).
//
// The file: a header (magic "backoff-budget", layout version, the budget's
// parameters, the boot id the slot numbers belong to) and 33 slots, each
// {slot number, first attempts, retries}. A slot number is
// floor(CLOCK_MONOTONIC / (window / 32)), the same on every process of one
// boot; an entry whose number is not the one asked for is an empty slot, so
// old counts expire without anyone rotating them. A file from an earlier
// boot only holds expired counts and is emptied; a file with other
// parameters, another layout, or not a budget file at all is an error.
#pragma once

#include <cstdint>
#include <string>

namespace cli {

struct BudgetParams {
  double ratio, min_per_second, window;
};

class BudgetFile {
public:
  static constexpr int kSlots = 33; // 32 in the window + the one it starts in

  BudgetFile() = default;
  BudgetFile(const BudgetFile &) = delete;
  BudgetFile &operator=(const BudgetFile &) = delete;
  ~BudgetFile();

  // Opens the file, creating it with `params` if it is new or empty; false
  // with *why set when it cannot be used.
  bool open(const std::string &path, const BudgetParams &params,
            std::string *why);

  // The slot of this moment.
  std::int64_t slot_now() const noexcept;

  // The exclusive lock every access below needs. lock() fails only on I/O
  // errors (reported in *why).
  bool lock(std::string *why);
  void unlock() noexcept;
  bool locked() const noexcept { return locked_; }

  struct Ring {
    std::uint64_t first_attempts[kSlots]; // oldest slot first
    std::uint64_t retries[kSlots];
  };
  // Under the lock: the counts of the kSlots slots that end with `newest`.
  bool read(std::int64_t newest, Ring *out, std::string *why);
  // Under the lock: adds to the counts of `slot`.
  bool add(std::int64_t slot, std::uint64_t first_attempts,
           std::uint64_t retries, std::string *why);

  const std::string &path() const noexcept { return path_; }

private:
  struct Slot {
    std::int64_t number;
    std::uint64_t first_attempts, retries;
  };
  struct Layout {
    char magic[16];
    std::uint32_t version, slots;
    double ratio, min_per_second, window;
    char boot_id[40];
    Slot slot[kSlots];
  };
  bool load(Layout *out, std::string *why);
  bool store(const Layout &layout, std::string *why);
  Layout fresh() const noexcept;

  std::string path_;
  int fd_ = -1;
  bool locked_ = false;
  BudgetParams params_{};
  double slot_width_ = 1.0;
  char boot_id_[40] = "";
};

} // namespace cli
