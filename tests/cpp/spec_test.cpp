// Policy specs from C++: Policy::parse, Policy::spec, Policy::format, and
// their errors (SpecError with the offset and the library's message).
#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "fake_time.hpp"

using namespace std::string_literals;

TEST_CASE("a fresh policy formats as the library's defaults") {
  CHECK(backoff::Policy().format() ==
        "expo(base=2,factor=1,max=0) jitter=full tries=0 time=0");
}

TEST_CASE("parse and format round-trip, and the parsed policy runs so") {
  const std::string canonical =
      "expo(base=2,factor=0.5,max=30) jitter=none tries=4 time=60 seed=7 "
      "hint-max=120";
  const backoff::Policy policy = backoff::Policy::parse(
      " expo( factor=0.5 , max=30 ) jitter=none tries=4 time=60 seed=7 "
      "hint-max=120 ");
  CHECK(policy.format() == canonical);
  CHECK(backoff::Policy::parse(canonical).format() == canonical);

  auto t = std::make_shared<FakeTime>();
  backoff::Policy run = fake_time_policy(t);
  run.spec(canonical);
  const auto out = run.try_retry([]() -> int { throw std::runtime_error("x"); });
  CHECK(out.status == backoff::Status::gave_up_tries);
  CHECK(t->waits == std::vector<double>{0.5, 1.0, 2.0});
}

TEST_CASE("spec() keeps the settings a spec does not name") {
  backoff::Policy policy;
  policy.wait_constant(3).max_tries(9);
  policy.spec("jitter=none");
  CHECK(policy.format() ==
        "constant(interval=3) jitter=none tries=9 time=0");
}

TEST_CASE("a budget formats as its parameters") {
  backoff::Policy policy;
  policy.budget(backoff::Budget(0.5, 2, 30));
  CHECK(policy.format() == "expo(base=2,factor=1,max=0) jitter=full tries=0 "
                           "time=0 budget(ratio=0.5,min=2,window=30)");
}

TEST_CASE("a malformed spec throws SpecError and changes nothing") {
  backoff::Policy policy;
  policy.wait_constant(3);
  const std::string before = policy.format();

  try {
    policy.spec("jitter=none tries=x");
    FAIL("no exception");
  } catch (const backoff::SpecError &e) {
    CHECK(e.offset() == 18);
    CHECK(e.message() == "bad whole number 'x' for 'tries' (0 or inf: no "
                         "limit)");
    CHECK(std::string(e.what()) ==
          "policy spec, at byte 18: " + e.message());
  }
  CHECK_THROWS_AS(policy.spec("bogus=1"), std::invalid_argument);
  CHECK_THROWS_AS(backoff::Policy::parse("expo(base=0)"), backoff::SpecError);
  CHECK(policy.format() == before);
}

TEST_CASE("a NUL byte in a spec is refused, not cut at") {
  backoff::Policy policy;
  const std::string before = policy.format();
  // C would read "tries=2" and never see the rest.
  try {
    policy.spec("tries=2\0tries=3"s);
    FAIL("no exception");
  } catch (const backoff::SpecError &e) {
    CHECK(e.offset() == 7);
    CHECK(e.message() == "NUL byte in the spec");
  }
  CHECK_THROWS_AS(backoff::Policy::parse("\0expo(base=nan)"s),
                  backoff::SpecError);
  CHECK(policy.format() == before);
}

TEST_CASE("retry-on and giveup-on are refused: exceptions classify in C++") {
  backoff::Policy policy;
  const std::string before = policy.format();
  try {
    policy.spec("tries=3 retry-on=7,28");
    FAIL("no exception");
  } catch (const backoff::SpecError &e) {
    CHECK(e.offset() == 8);
    CHECK(e.message().rfind("retry-on classifies C return codes", 0) == 0);
  }
  CHECK_THROWS_AS(backoff::Policy::parse("giveup-on=2"), backoff::SpecError);
  CHECK(policy.format() == before); // tries=3 was not applied either
}

TEST_CASE("format refuses what a spec cannot say") {
  backoff::Policy policy;
  SECTION("a giveup predicate") {
    policy.giveup([](const std::exception &) { return false; });
    CHECK_THROWS_AS(policy.format(), std::logic_error);
  }
  SECTION("a custom wait") {
    policy.wait_custom([](const backoff::Details &) { return 1.0; });
    CHECK_THROWS_AS(policy.format(), std::logic_error);
  }
  SECTION("hooks, clock and sleep are not part of a spec") {
    policy.on_try([](const backoff::Details &) {})
        .clock([] { return 0.0; })
        .sleep([](double) {});
    CHECK(policy.format() ==
          "expo(base=2,factor=1,max=0) jitter=full tries=0 time=0");
  }
}
