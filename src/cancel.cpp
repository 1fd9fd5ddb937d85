#include "cancel.hpp"

#include <chrono>

#include "clock.hpp"

bool backoff_cancel::sleep_for(double seconds) {
  std::unique_lock<std::mutex> lock(mutex_);
  // wait_for measures on steady_clock (pthread_cond_clockwait in libstdc++),
  // so changing the wall clock cannot stretch or cut a wait.
  return wake_.wait_for(lock, backoff::to_duration(seconds),
                        [this] { return triggered(); });
}

void backoff_cancel::trigger() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    triggered_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
}

void backoff_cancel::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  triggered_.store(false, std::memory_order_release);
}
