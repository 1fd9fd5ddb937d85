// The cancel token. A condition variable, not polling, so that a trigger
// wakes a sleeping run at once and an idle run costs nothing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

struct backoff_cancel {
  // Sleeps up to `seconds` on the steady clock; returns early, true, once
  // the token is triggered.
  bool sleep_for(double seconds);
  void trigger();
  void reset();
  bool triggered() const noexcept {
    return triggered_.load(std::memory_order_acquire);
  }

private:
  std::atomic<bool> triggered_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};
