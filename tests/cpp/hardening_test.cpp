// Input the C library would misread if the wrapper passed it on: negative
// or oversized tries (C's unsigned), strings with a NUL byte (C stops at
// it).
#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "fake_time.hpp"

using namespace std::string_literals;

namespace {

template <class T, class = void> struct takes_max_tries : std::false_type {};
template <class T>
struct takes_max_tries<T, std::void_t<decltype(std::declval<backoff::Policy &>()
                                                   .max_tries(std::declval<T>()))>>
    : std::true_type {};

int fail() { throw std::runtime_error("fail"); }

} // namespace

TEST_CASE("max_tries(-1) is refused, not read as 4294967295 tries") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(0).max_tries(2);

  try {
    policy.max_tries(-1);
    FAIL("no exception");
  } catch (const std::invalid_argument &e) {
    CHECK(std::string(e.what()) == "backoff: max_tries: negative number of "
                                   "tries -1 (0 means unlimited)");
  }
  CHECK_THROWS_AS(policy.max_tries(INT_MIN), std::invalid_argument);
  CHECK_THROWS_AS(policy.max_tries(std::int64_t{-5}), std::invalid_argument);
  CHECK_THROWS_AS(policy.max_tries(std::uint64_t{UINT_MAX} + 1),
                  std::invalid_argument);
  CHECK(policy.try_retry(fail).tries == 2); // unchanged

  policy.max_tries(std::uint64_t{3}).max_tries(short{3});
  CHECK(policy.try_retry(fail).tries == 3);
}

TEST_CASE("max_tries takes only whole numbers") {
  STATIC_REQUIRE(takes_max_tries<int>::value);
  STATIC_REQUIRE(takes_max_tries<unsigned long>::value);
  STATIC_REQUIRE_FALSE(takes_max_tries<double>::value);
  STATIC_REQUIRE_FALSE(takes_max_tries<const char *>::value);
}

TEST_CASE("a max_tries function returning a negative count fails the run") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.max_tries([] { return -1; });
  int calls = 0;
  CHECK_THROWS_AS(policy.retry([&] { return ++calls; }), std::invalid_argument);
  CHECK(calls == 0);
  policy.max_tries([] { return 1L; });
  CHECK(policy.try_retry(fail).tries == 1);
}

TEST_CASE("labels are std::string_view; a NUL byte in one is refused") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  std::vector<std::string> labels;
  policy.on_try([&](const backoff::Details &d) {
    labels.emplace_back(d.label);
  });

  backoff::RunOptions options;
  const std::string long_label(100, 'x'); // past the wrapper's small buffer
  for (const std::string &label : {"fetch"s, long_label}) {
    options.label = label;
    policy.retry([] {}, options);
  }
  options.label = {};
  policy.retry([] {}, options);
  CHECK(labels == std::vector<std::string>{"fetch", long_label, "operation"});

  const std::string evil = "fetch\0evil"s;
  options.label = evil;
  int calls = 0;
  try {
    policy.retry([&] { ++calls; }, options);
    FAIL("no exception");
  } catch (const std::invalid_argument &e) {
    CHECK(std::string(e.what()) ==
          "backoff: label contains a NUL byte at offset 5");
  }
  CHECK(calls == 0);
}
