// For tests of runs woken from a long real sleep (an hour): trigger only once
// the run's thread is asleep in it, and fail with a message, rather than
// hang, when the wake-up does not come.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "../sleeping_thread.h"

// How long a woken run may take to come back: far less than its wait.
constexpr std::chrono::seconds kWakeUpWithin{5};

// Runs that announce themselves from a hook (on_backoff, just before their
// sleep), so that the test can wait until each one is asleep.
class Sleepers {
public:
  // From the run's thread.
  void announce() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tids_.push_back(sleeping_thread_self());
    }
    announced_.notify_all();
  }

  // True once n runs have announced themselves and their threads are asleep.
  bool asleep(std::size_t n) {
    std::vector<long> tids;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!announced_.wait_for(lock, kWakeUpWithin,
                               [&] { return tids_.size() >= n; }))
        return false;
      tids = tids_;
    }
    for (long tid : tids)
      if (!sleeping_thread_wait(tid, static_cast<double>(kWakeUpWithin.count())))
        return false;
    return true;
  }

private:
  std::mutex mutex_;
  std::condition_variable announced_;
  std::vector<long> tids_;
};

// Runs fn() on a thread of its own; finishes_in_time() waits for it at most
// kWakeUpWithin. On a timeout the thread is left behind, holding what fn
// captured: share that through a shared_ptr, never the test's stack.
class Background {
public:
  template <class F> explicit Background(F fn) : state_(std::make_shared<State>()) {
    auto state = state_;
    thread_ = std::thread([state, fn]() mutable {
      fn();
      {
        std::lock_guard<std::mutex> lock(state->mutex);
        state->done = true;
      }
      state->finished.notify_all();
    });
  }
  ~Background() {
    if (thread_.joinable())
      thread_.detach();
  }
  Background(const Background &) = delete;
  Background &operator=(const Background &) = delete;

  bool finishes_in_time() {
    std::unique_lock<std::mutex> lock(state_->mutex);
    const bool done = state_->finished.wait_for(lock, kWakeUpWithin,
                                                [&] { return state_->done; });
    lock.unlock();
    if (done)
      thread_.join();
    return done;
  }

private:
  struct State {
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
  };
  std::shared_ptr<State> state_;
  std::thread thread_;
};
