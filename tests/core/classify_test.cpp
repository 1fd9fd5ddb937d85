#include <catch2/catch.hpp>

#include "classify.hpp"

using backoff::Classifier;

namespace {
backoff_verdict judge(const Classifier &c, int rc) {
  backoff_details d{};
  d.last_rc = rc;
  return c.verdict(d);
}
} // namespace

TEST_CASE("by default 0 succeeds and everything else is retried",
          "[classify]") {
  Classifier c;
  CHECK(judge(c, 0) == BACKOFF_VERDICT_SUCCESS);
  CHECK(judge(c, 1) == BACKOFF_VERDICT_RETRY);
  CHECK(judge(c, -5) == BACKOFF_VERDICT_RETRY);
}

TEST_CASE("retry-on and give-up-on code lists", "[classify]") {
  Classifier retry_on;
  retry_on.mode = Classifier::Mode::RetryOn;
  retry_on.codes = {75, 111};
  CHECK(judge(retry_on, 0) == BACKOFF_VERDICT_SUCCESS);
  CHECK(judge(retry_on, 75) == BACKOFF_VERDICT_RETRY);
  CHECK(judge(retry_on, 1) == BACKOFF_VERDICT_GIVE_UP);

  Classifier giveup_on;
  giveup_on.mode = Classifier::Mode::GiveupOn;
  giveup_on.codes = {2};
  CHECK(judge(giveup_on, 2) == BACKOFF_VERDICT_GIVE_UP);
  CHECK(judge(giveup_on, 1) == BACKOFF_VERDICT_RETRY);
}

TEST_CASE("a custom classifier decides, and nonsense means give up",
          "[classify]") {
  Classifier c;
  c.mode = Classifier::Mode::Custom;
  c.custom = backoff::Callback<backoff_classify_fn>(
      [](const backoff_details *d, void *) { return d->last_rc; }, nullptr,
      nullptr);
  CHECK(judge(c, 0) == BACKOFF_VERDICT_SUCCESS);
  CHECK(judge(c, 1) == BACKOFF_VERDICT_RETRY);
  CHECK(judge(c, 2) == BACKOFF_VERDICT_GIVE_UP);
  CHECK(judge(c, 3) == BACKOFF_VERDICT_PASS_THROUGH);
  CHECK(judge(c, 42) == BACKOFF_VERDICT_GIVE_UP);
  CHECK(judge(c, -1) == BACKOFF_VERDICT_GIVE_UP);
}
