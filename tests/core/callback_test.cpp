#include <catch2/catch.hpp>

#include <utility>
#include <vector>

#include "callback.hpp"

namespace {
void count_destroy(void *data) { ++*static_cast<int *>(data); }
} // namespace

TEST_CASE("a callback destroys its data exactly once, wherever it moves",
          "[callback]") {
  int destroyed = 0;
  {
    backoff::Callback<backoff_hook_fn> a(
        [](const backoff_details *, void *) {}, &destroyed, count_destroy);
    backoff::Callback<backoff_hook_fn> b(std::move(a));
    CHECK_FALSE(a);
    CHECK(b);
    std::vector<backoff::Callback<backoff_hook_fn>> many;
    many.push_back(std::move(b));
    for (int i = 0; i < 100; ++i) // reallocations move the elements
      many.emplace_back();
    CHECK(destroyed == 0);
  }
  CHECK(destroyed == 1);
}

TEST_CASE("assigning over a callback destroys the old data", "[callback]") {
  int first = 0, second = 0;
  backoff::Callback<backoff_hook_fn> cb(
      [](const backoff_details *, void *) {}, &first, count_destroy);
  cb = backoff::Callback<backoff_hook_fn>(
      [](const backoff_details *, void *) {}, &second, count_destroy);
  CHECK(first == 1);
  CHECK(second == 0);
  cb.reset();
  CHECK(second == 1);
  CHECK_FALSE(cb);
}
