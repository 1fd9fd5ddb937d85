// CSV output: RFC 4180 quoting, and numbers in one fixed format so the same
// simulation writes the same bytes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace sim {

class CsvWriter {
public:
  // Writes to `out` (not owned); nullptr makes every call a no-op, for
  // output nobody asked for.
  explicit CsvWriter(std::FILE *out) : out_(out) {}

  bool enabled() const { return out_ != nullptr; }

  CsvWriter &text(const std::string &s);
  CsvWriter &integer(std::uint64_t v);
  // Fixed point with `decimals` digits; NaN is written as an empty field
  // ("no value", e.g. a recovery that never happened).
  CsvWriter &number(double v, int decimals = 6);
  // Ends the row.
  void end();

private:
  void separate();
  std::FILE *out_;
  bool row_started_ = false;
};

} // namespace sim
