#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <utility>

namespace {

// Captured state that counts how often it is destroyed.
struct Counted {
  int *destroyed;
  explicit Counted(int *d) : destroyed(d) {}
  Counted(const Counted &) = default;
  Counted(Counted &&other) noexcept
      : destroyed(std::exchange(other.destroyed, nullptr)) {}
  ~Counted() {
    if (destroyed != nullptr)
      ++*destroyed;
  }
};

} // namespace

TEST_CASE("captured state lives as long as the policy holds it") {
  int destroyed = 0;
  {
    backoff::Policy policy;
    Counted counted(&destroyed);
    policy.on_try([c = std::move(counted)](const backoff::Details &) {
      REQUIRE(c.destroyed != nullptr);
    });
    policy.retry([] {});
    policy.retry([] {});
    CHECK(destroyed == 0);
  }
  CHECK(destroyed == 1);
}

TEST_CASE("replacing a callback destroys the old one at once") {
  int first = 0, second = 0;
  backoff::Policy policy;
  policy.wait_custom([c = Counted(&first)](const backoff::Details &) {
    return 0.0;
  });
  CHECK(first == 0);
  policy.wait_custom([c = Counted(&second)](const backoff::Details &) {
    return 0.0;
  });
  CHECK(first == 1);
  CHECK(second == 0);
  policy.wait_constant(0); // a built-in wait replaces the custom one too
  CHECK(second == 1);
}

TEST_CASE("every kind of callback is freed exactly once") {
  int destroyed = 0;
  {
    backoff::Policy policy;
    const Counted c(&destroyed); // copied into each closure
    policy.on_try([c](const backoff::Details &) {})
        .on_backoff([c](const backoff::Details &) {})
        .on_success([c](const backoff::Details &) {})
        .on_giveup([c](const backoff::Details &) {})
        .wait_custom([c](const backoff::Details &) { return 0.0; })
        .jitter_custom([c](double w, double) { return w; })
        .max_tries([c] { return 3u; })
        .max_time([c] { return 0.0; })
        .giveup([c](const std::exception &) { return false; })
        .log([c](int, std::string_view, const backoff::Details &) {})
        .clock([c] { return 0.0; })
        .sleep([c](double) {});
    destroyed = 0; // forget the temporaries of the calls above
  }
  CHECK(destroyed == 12 + 1); // the twelve closures, and c itself
}

TEST_CASE("moving a policy moves ownership: nothing is freed twice") {
  int destroyed = 0;
  {
    backoff::Policy a;
    a.on_try([c = Counted(&destroyed)](const backoff::Details &) {});
    backoff::Policy b(std::move(a));
    backoff::Policy c;
    c = std::move(b);
    CHECK(destroyed == 0);
  }
  CHECK(destroyed == 1);
}

TEST_CASE("a callback rejected by the library is freed, not leaked") {
  int destroyed = 0;
  backoff::Policy moved_from;
  backoff::Policy keeper(std::move(moved_from));
  CHECK_THROWS_AS(moved_from.on_try([c = Counted(&destroyed)](
                                        const backoff::Details &) {}),
                  std::invalid_argument);
  CHECK(destroyed == 1);
  // giveup()'s predicate is the wrapper's own, refused the same way.
  CHECK_THROWS_AS(
      moved_from.giveup([c = Counted(&destroyed)](const std::exception &) {
        return true;
      }),
      std::invalid_argument);
  CHECK(destroyed == 2);
}

TEST_CASE("the operation and its result are not copied") {
  int destroyed = 0;
  backoff::Policy policy;
  {
    const auto op = [c = Counted(&destroyed)] { return Counted(c); };
    const Counted result = policy.retry(op);
    CHECK(destroyed == 0); // the callable stayed put; the result was moved
  }
  CHECK(destroyed == 2); // result and op, once each
}
