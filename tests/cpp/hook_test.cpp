#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fake_time.hpp"
#include "wake_up.hpp"

namespace {

struct HookError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Records every hook call as "kind:tries".
struct Trace {
  std::vector<std::string> events;
  void add(const char *kind, const backoff::Details &d) {
    events.push_back(std::string(kind) + ":" + std::to_string(d.tries));
  }
};

backoff::Policy traced_policy(const std::shared_ptr<FakeTime> &t,
                              Trace &trace) {
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(1)
      .max_tries(3)
      .on_try([&](const backoff::Details &d) { trace.add("try", d); })
      .on_backoff([&](const backoff::Details &d) { trace.add("backoff", d); })
      .on_success([&](const backoff::Details &d) { trace.add("success", d); })
      .on_giveup([&](const backoff::Details &d) { trace.add("giveup", d); });
  return policy;
}

int fail_always() { throw std::runtime_error("fail"); }

} // namespace

TEST_CASE("hooks run in order and see the run's details") {
  auto t = std::make_shared<FakeTime>();
  Trace trace;
  backoff::Policy policy = traced_policy(t, trace);
  std::vector<double> backoff_waits;
  std::vector<std::string> messages;
  policy.on_backoff([&](const backoff::Details &d) {
    backoff_waits.push_back(d.wait.count());
    CHECK(d.label == "operation");
    REQUIRE(d.exception != nullptr);
    try {
      std::rethrow_exception(d.exception);
    } catch (const std::exception &e) {
      messages.emplace_back(e.what());
    }
  });

  int calls = 0;
  policy.retry([&] {
    if (++calls < 3)
      throw std::runtime_error("e" + std::to_string(calls));
  });
  CHECK(trace.events == std::vector<std::string>{"try:1", "backoff:1", "try:2",
                                                 "backoff:2", "try:3",
                                                 "success:3"});
  CHECK(backoff_waits == std::vector<double>{1, 1});
  CHECK(messages == std::vector<std::string>{"e1", "e2"});

  trace.events.clear();
  CHECK_THROWS(policy.retry(fail_always));
  CHECK(trace.events.back() == "giveup:3");
}

TEST_CASE("a throwing hook is rethrown after the run and stops it") {
  auto t = std::make_shared<FakeTime>();
  Trace trace;
  backoff::Policy policy = traced_policy(t, trace);
  int calls = 0;
  auto op = [&] {
    if (++calls < 2)
      throw std::runtime_error("fail");
    return calls;
  };

  SECTION("on_try: the attempt does not run") {
    policy.on_try([](const backoff::Details &) { throw HookError("on_try"); });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 0);
    CHECK(trace.events == std::vector<std::string>{"try:1"});
  }
  SECTION("on_backoff: no sleep, no further attempt, no other hook") {
    policy.on_backoff(
        [](const backoff::Details &) { throw HookError("on_backoff"); });
    policy.on_backoff([&](const backoff::Details &d) {
      trace.add("second backoff", d);
    });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 1);
    CHECK(t->waits.empty());
    CHECK(trace.events == std::vector<std::string>{"try:1", "backoff:1"});
  }
  SECTION("on_success: the value is lost, the hook's exception wins") {
    policy.on_success(
        [](const backoff::Details &) { throw HookError("on_success"); });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 2);
  }
  SECTION("on_giveup: replaces the operation's exception") {
    policy.on_giveup(
        [](const backoff::Details &) { throw HookError("on_giveup"); });
    CHECK_THROWS_AS(policy.retry(fail_always), HookError);
  }
  SECTION("the non-throwing form still throws a hook's exception") {
    policy.on_try([](const backoff::Details &) { throw HookError("on_try"); });
    CHECK_THROWS_AS(policy.try_retry(op), HookError);
  }
  SECTION("the policy is usable again afterwards") {
    bool fail_hook = true;
    policy.on_backoff([&](const backoff::Details &) {
      if (fail_hook)
        throw HookError("once");
    });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    fail_hook = false;
    calls = 0;
    CHECK(policy.retry(op) == 2);
  }
}

TEST_CASE("a throwing on_backoff hook does not sleep the system sleep") {
  // A wait of an hour with the real sleep: the run can only come back in
  // time if the hook's failure interrupts it.
  struct Shared {
    backoff::Policy policy;
    int calls = 0;
    bool threw_hook_error = false;
    int next_run = 0;
  };
  auto shared = std::make_shared<Shared>();
  shared->policy.wait_constant(3600).jitter(backoff::Jitter::none).on_backoff(
      [](const backoff::Details &) { throw HookError("stop"); });
  const auto started = std::chrono::steady_clock::now();
  Background run([shared] {
    try {
      shared->policy.retry([&]() -> int {
        ++shared->calls;
        throw std::runtime_error("fail");
      });
    } catch (const HookError &) {
      shared->threw_hook_error = true;
    }
    // The run's own token is reused by this thread's next run: it must
    // have been reset, or this run would end cancelled.
    shared->next_run = shared->policy.retry([] { return 5; });
  });
  if (!run.finishes_in_time())
    FAIL("a run whose on_backoff hook threw was still asleep after 5 s");
  CHECK(std::chrono::steady_clock::now() - started < kWakeUpWithin);
  CHECK(shared->threw_hook_error);
  CHECK(shared->calls == 1);
  CHECK(shared->next_run == 5);
}

TEST_CASE("a backoff: on_backoff, its log line, the sleep; a give-up: "
          "on_giveup, then its log line") {
  auto t = std::make_shared<FakeTime>();
  std::vector<std::string> events;
  backoff::Status gave_up = backoff::Status::ok;
  backoff::Cancel cancel;
  bool cancel_in_sleep = false;
  backoff::Policy policy;
  policy.jitter(backoff::Jitter::none)
      .wait_constant(1)
      .clock([t] { return t->now; })
      .sleep([&, t](double s) {
        events.emplace_back("sleep");
        t->now += s;
        if (cancel_in_sleep)
          cancel.trigger();
      })
      .on_backoff([&](const backoff::Details &) { events.emplace_back("backoff"); })
      .on_giveup([&](const backoff::Details &d) {
        events.emplace_back("giveup");
        gave_up = d.status;
      })
      .log([&](int, std::string_view message, const backoff::Details &) {
        events.emplace_back(message.substr(0, 9) == "Giving up" ? "log:giving-up"
                                                                : "log:backing-off");
      });
  int calls = 0;
  auto fail = [&]() -> int {
    ++calls;
    throw std::runtime_error("fail");
  };
  backoff::RunOptions options;
  backoff::Status expected = backoff::Status::ok;

  SECTION("tries limit") {
    policy.max_tries(2);
    expected = backoff::Status::gave_up_tries;
  }
  SECTION("time limit") {
    policy.max_time(1);
    expected = backoff::Status::gave_up_time;
  }
  SECTION("fatal") {
    policy.giveup([&](const std::runtime_error &) { return calls == 2; });
    expected = backoff::Status::gave_up_fatal;
  }
  SECTION("waits exhausted") {
    policy.wait_sequence({1});
    expected = backoff::Status::gave_up_exhausted;
  }
  SECTION("cancelled") {
    cancel_in_sleep = true;
    options.cancel = &cancel;
    expected = backoff::Status::cancelled;
  }
  const auto out = policy.try_retry(fail, options);
  CHECK(out.status == expected);
  CHECK(gave_up == expected);
  CHECK(calls == (expected == backoff::Status::cancelled ? 1 : 2));
  CHECK(events == std::vector<std::string>{"backoff", "log:backing-off", "sleep",
                                           "giveup", "log:giving-up"});
}

TEST_CASE("throwing waits, jitters, sleeps, clocks and limits are rethrown") {
  auto t = std::make_shared<FakeTime>();
  Trace trace;
  backoff::Policy policy = traced_policy(t, trace);
  int calls = 0;
  auto op = [&]() -> int {
    ++calls;
    throw std::runtime_error("fail");
  };

  SECTION("custom wait") {
    policy.wait_custom(
        [](const backoff::Details &) -> double { throw HookError("wait"); });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 1);
    CHECK(trace.events == std::vector<std::string>{"try:1"});
  }
  SECTION("custom jitter") {
    policy.jitter_custom([](double, double) -> double {
      throw HookError("jitter");
    });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 1);
  }
  SECTION("sleep") {
    policy.sleep([](double) { throw HookError("sleep"); });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 1);
  }
  SECTION("clock") {
    policy.clock([]() -> double { throw HookError("clock"); });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 0);
  }
  SECTION("max_tries") {
    policy.max_tries([]() -> unsigned { throw HookError("tries"); });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 0);
  }
  SECTION("max_time") {
    policy.max_time([]() -> double { throw HookError("time"); });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 0);
  }
  SECTION("give-up predicate") {
    policy.giveup([](const std::exception &) -> bool {
      throw HookError("giveup");
    });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 1);
    CHECK(trace.events == std::vector<std::string>{"try:1"});
  }
  SECTION("log") {
    policy.log([](int, std::string_view, const backoff::Details &) {
      throw HookError("log");
    });
    CHECK_THROWS_AS(policy.retry(op), HookError);
    CHECK(calls == 1);
    CHECK(t->waits.empty());
  }
}

TEST_CASE("runs nest: a callback's failure belongs to its own run") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy inner = fake_time_policy(t);
  inner.max_tries(2).sleep([](double) { throw HookError("inner sleep"); });
  backoff::Policy outer = fake_time_policy(t);
  outer.max_tries(2);

  int outer_calls = 0;
  const auto out = outer.try_retry_on<HookError>([&] {
    ++outer_calls;
    inner.retry([]() -> int { throw std::runtime_error("inner"); });
  });
  // The inner run rethrew its sleep's HookError; the outer run retried it.
  CHECK(out.status == backoff::Status::gave_up_tries);
  CHECK(outer_calls == 2);
  CHECK(t->waits.size() == 1);
}
