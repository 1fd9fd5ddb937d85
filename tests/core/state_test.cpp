#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "run.hpp"
#include "state.hpp"

namespace {

constexpr auto kMeasured = backoff_state::Timing::Measured;

// A clock that counts its reads and only moves when told to.
struct FakeTime {
  double now = 100.0;
  int reads = 0;
};

double read_clock(void *data) {
  auto *t = static_cast<FakeTime *>(data);
  ++t->reads;
  return t->now;
}

void install_fake_time(backoff_policy &p, FakeTime &t) {
  p.clock = backoff::Callback<backoff_clock_fn>(read_clock, &t, nullptr);
  p.sleep = backoff::Callback<backoff_sleep_fn>(
      [](double s, void *data) { static_cast<FakeTime *>(data)->now += s; },
      &t, nullptr);
  p.jitter.kind = BACKOFF_JITTER_NONE;
}

void record(std::vector<std::string> *events, const char *name) {
  events->push_back(name);
}

template <backoff::HookKind K>
void add_recorder(backoff_policy &p, std::vector<std::string> &events) {
  static const char *const names[] = {"try", "backoff", "success", "giveup"};
  p.hooks[K].emplace_back(
      [](const backoff_details *, void *data) {
        record(static_cast<std::vector<std::string> *>(data), names[K]);
      },
      &events, nullptr);
  p.settle(); // what every change of a policy does
}

} // namespace

TEST_CASE("a run reads the clock only as often as someone can see it",
          "[state]") {
  backoff_policy p;
  FakeTime t;
  install_fake_time(p, t);
  const auto succeed = [](void *) { return 0; };
  const auto fail_once = [](void *data) {
    return (*static_cast<int *>(data))++ == 0 ? 1 : 0;
  };
  backoff_details d = BACKOFF_DETAILS_INIT;
  std::vector<std::string> events;
  int calls = 0;

  SECTION("no time limit, hook, log or details: never") {
    CHECK(backoff::run(p, succeed, nullptr, nullptr, nullptr, nullptr) ==
          BACKOFF_OK);
    CHECK(backoff::run(p, fail_once, &calls, nullptr, nullptr, nullptr) ==
          BACKOFF_OK);
    CHECK(t.reads == 0);
  }
  SECTION("a time limit: at the start, and after each failure") {
    p.max_time = 60.0;
    p.settle();
    CHECK(backoff::run(p, succeed, nullptr, nullptr, nullptr, nullptr) ==
          BACKOFF_OK);
    CHECK(t.reads == 1);
    CHECK(backoff::run(p, fail_once, &calls, nullptr, nullptr, nullptr) ==
          BACKOFF_OK);
    CHECK(t.reads == 3);
  }
  SECTION("details asked for: at the start and the end") {
    CHECK(backoff::run(p, succeed, nullptr, nullptr, nullptr, &d) ==
          BACKOFF_OK);
    CHECK(t.reads == 2);
  }
  SECTION("a hint function reads the attempt's data, not the time: never") {
    p.hint = backoff::Callback<backoff_hint_fn>(
        [](const backoff_details *, void *) { return 0.0; }, nullptr, nullptr);
    p.settle();
    CHECK(backoff::run(p, fail_once, &calls, nullptr, nullptr, nullptr) ==
          BACKOFF_OK);
    CHECK(t.reads == 0);
  }
  SECTION("a hook sees the details: measured as with details") {
    add_recorder<backoff::kOnSuccess>(p, events);
    CHECK(backoff::run(p, succeed, nullptr, nullptr, nullptr, nullptr) ==
          BACKOFF_OK);
    CHECK(t.reads == 2);
  }
}

TEST_CASE("elapsed of a fast success is still reported", "[state]") {
  backoff_policy p;
  FakeTime t;
  install_fake_time(p, t);
  backoff_state s;
  REQUIRE(s.start(p, nullptr, "op", nullptr, kMeasured) == BACKOFF_OK);
  REQUIRE(s.begin() == BACKOFF_OK);
  t.now += 0.25;
  double w;
  REQUIRE(s.next(0, &w) == BACKOFF_OK);
  CHECK(s.details().elapsed == Approx(0.25));
  CHECK(s.details().outcome == BACKOFF_OK);
}

TEST_CASE("hooks fire in the reference's order", "[state]") {
  backoff_policy p;
  FakeTime t;
  install_fake_time(p, t);
  std::vector<std::string> events;
  add_recorder<backoff::kOnTry>(p, events);
  add_recorder<backoff::kOnBackoff>(p, events);
  add_recorder<backoff::kOnSuccess>(p, events);
  add_recorder<backoff::kOnGiveup>(p, events);

  int left = 2;
  CHECK(backoff::run(
            p, [](void *d) { return --*static_cast<int *>(d) >= 0 ? 1 : 0; },
            &left, nullptr, nullptr, nullptr) == BACKOFF_OK);
  CHECK(events == std::vector<std::string>{"try", "backoff", "try", "backoff",
                                           "try", "success"});

  events.clear();
  p.max_tries = 2;
  CHECK(backoff::run(
            p, [](void *) { return 1; }, nullptr, nullptr, nullptr,
            nullptr) == BACKOFF_GAVE_UP_TRIES);
  CHECK(events ==
        std::vector<std::string>{"try", "backoff", "try", "giveup"});
}

TEST_CASE("the last wait is clamped to the time remaining", "[state]") {
  backoff_policy p;
  FakeTime t;
  install_fake_time(p, t);
  p.max_time = 10.0; // waits 1, 2, 4, then 3 left of the 8 asked for
  std::vector<double> waits;
  p.hooks[backoff::kOnBackoff].emplace_back(
      [](const backoff_details *d, void *data) {
        static_cast<std::vector<double> *>(data)->push_back(d->wait);
      },
      &waits, nullptr);
  p.settle();
  backoff_details out{};
  out.size = sizeof out;
  CHECK(backoff::run(
            p, [](void *) { return 1; }, nullptr, nullptr, nullptr, &out) ==
        BACKOFF_GAVE_UP_TIME);
  CHECK(waits == std::vector<double>{1, 2, 4, 3});
  CHECK(out.tries == 5);
  CHECK(out.elapsed == Approx(10.0));
  CHECK(out.total_wait == Approx(10.0));
  CHECK(out.remaining == 0.0);
}

TEST_CASE("elapsed is measured after the attempt", "[state]") {
  backoff_policy p;
  FakeTime t;
  install_fake_time(p, t);
  p.max_time = 5.0;
  backoff_state s;
  REQUIRE(s.start(p, nullptr, nullptr, nullptr, kMeasured) == BACKOFF_OK);
  REQUIRE(s.begin() == BACKOFF_OK);
  t.now += 6.0; // a slow attempt: started in time, ended too late
  double w;
  CHECK(s.next(1, &w) == BACKOFF_GAVE_UP_TIME);
}

TEST_CASE("a Retry-After replaces one wait without advancing the generator",
          "[state]") {
  backoff_policy p;
  FakeTime t;
  install_fake_time(p, t);
  backoff_state s;
  REQUIRE(s.start(p, nullptr, nullptr, nullptr, kMeasured) == BACKOFF_OK);
  std::vector<double> waits;
  for (int i = 0; i < 4; ++i) {
    REQUIRE(s.begin() == BACKOFF_OK);
    if (i == 1)
      REQUIRE(s.retry_after(30.0) == BACKOFF_OK);
    double w;
    REQUIRE(s.next(1, &w) == BACKOFF_RETRY);
    waits.push_back(w);
  }
  CHECK(waits == std::vector<double>{1, 30, 2, 4});
}

TEST_CASE("the protocol is enforced", "[state]") {
  backoff_policy p;
  FakeTime t;
  install_fake_time(p, t);
  backoff_state s;
  REQUIRE(s.start(p, nullptr, nullptr, nullptr, kMeasured) == BACKOFF_OK);
  double w;
  CHECK(s.next(1, &w) == BACKOFF_E_MISUSE);
  REQUIRE(s.begin() == BACKOFF_OK);
  CHECK(s.begin() == BACKOFF_E_MISUSE);
  REQUIRE(s.next(0, &w) == BACKOFF_OK);
  CHECK(s.begin() == BACKOFF_E_MISUSE);
  CHECK(s.cancel() == BACKOFF_E_MISUSE);
  CHECK(s.retry_after(1.0) == BACKOFF_E_MISUSE);
}

TEST_CASE("cancellation ends the run with on_giveup", "[state]") {
  backoff_policy p;
  FakeTime t;
  install_fake_time(p, t);
  std::vector<std::string> events;
  add_recorder<backoff::kOnGiveup>(p, events);
  backoff_cancel token;
  backoff_state s;
  REQUIRE(s.start(p, &token, nullptr, nullptr, kMeasured) == BACKOFF_OK);
  REQUIRE(s.begin() == BACKOFF_OK);
  double w;
  REQUIRE(s.next(1, &w) == BACKOFF_RETRY);
  token.trigger();
  CHECK(s.begin() == BACKOFF_CANCELLED);
  CHECK(events == std::vector<std::string>{"giveup"});
  CHECK(s.details().tries == 1);
}
