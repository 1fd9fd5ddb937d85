// The shared test vectors (tests/vectors, written by an independent model)
// through the C++ API: each line's spec, run with Policy::parse on a fake
// clock where every attempt fails and takes 0.25 s, must give exactly the
// listed waits and outcome. In hints.tsv, attempt i's failure is a
// RetryAfter carrying hint i ('-': a plain exception). The C, Rust and Go
// suites check the same files.
#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr double kAttemptCost = 0.25;

// Every field, empty ones included ("a,,b" gives three, "" gives one).
std::vector<std::string> split(const std::string &text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find(sep, start)) != std::string::npos;
       start = end + 1)
    out.push_back(text.substr(start, end - start));
  out.push_back(text.substr(start));
  return out;
}

std::vector<double> numbers(const std::string &list) {
  std::vector<double> out;
  if (list.empty())
    return out;
  for (const std::string &item : split(list, ','))
    out.push_back(std::strtod(item.c_str(), nullptr));
  return out;
}

std::string outcome_name(backoff::Status s) {
  switch (s) {
  case backoff::Status::gave_up_tries:
    return "tries";
  case backoff::Status::gave_up_time:
    return "time";
  case backoff::Status::gave_up_exhausted:
    return "exhausted";
  default:
    return backoff::to_string(s);
  }
}

struct Vector {
  int line;
  std::string spec, hints, outcome, waits;
};

std::vector<Vector> read_vectors(const std::string &name) {
  std::ifstream file(std::string(VECTORS_DIR) + "/" + name);
  REQUIRE(file.good());
  std::vector<Vector> out;
  std::string text;
  for (int line = 1; std::getline(file, text); ++line) {
    if (text.empty() || text[0] == '#')
      continue;
    std::vector<std::string> columns = split(text, '\t');
    if (columns.size() == 3) // waits.tsv: spec, outcome, waits; no hints
      columns.insert(columns.begin() + 1, "");
    REQUIRE(columns.size() == 4);
    out.push_back({line, columns[0], columns[1], columns[2], columns[3]});
  }
  return out;
}

// Runs one vector through the wrapper; the waits and outcome it gives.
std::pair<std::string, std::vector<double>> run(const Vector &v) {
  struct Clock {
    double now = 0;
    std::vector<double> waits;
  };
  auto clock = std::make_shared<Clock>();
  backoff::Policy policy = backoff::Policy::parse(v.spec);
  policy.clock([clock] { return clock->now; })
      .sleep([clock](double s) { clock->now += s; })
      .on_backoff([clock](const backoff::Details &d) {
        clock->waits.push_back(d.wait.count());
      });
  const std::vector<std::string> hints =
      v.hints.empty() ? std::vector<std::string>{} : split(v.hints, ',');
  unsigned attempt = 0;
  const auto out = policy.try_retry([&]() -> int {
    clock->now += kAttemptCost;
    const unsigned i = attempt++;
    if (i < hints.size() && hints[i] != "-")
      throw backoff::RetryAfter(std::strtod(hints[i].c_str(), nullptr));
    throw std::runtime_error("fail");
  });
  return {outcome_name(out.status), clock->waits};
}

void check_all(const std::string &name, std::size_t expected_count) {
  const std::vector<Vector> vectors = read_vectors(name);
  CHECK(vectors.size() == expected_count);
  for (const Vector &v : vectors) {
    INFO(name << " line " << v.line << ": " << v.spec << " hints "
              << v.hints);
    const auto [outcome, waits] = run(v);
    CHECK(outcome == v.outcome);
    CHECK(waits == numbers(v.waits)); // exact: the same doubles as the model
  }
}

} // namespace

TEST_CASE("the shared wait vectors, through the C++ API") {
  check_all("waits.tsv", 384);
}

TEST_CASE("the shared hint vectors: RetryAfter follows the same rule") {
  check_all("hints.tsv", 108);
}
