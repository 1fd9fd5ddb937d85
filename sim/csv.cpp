#include "csv.hpp"

#include <cinttypes>
#include <cmath>

namespace sim {

void CsvWriter::separate() {
  if (row_started_)
    std::fputc(',', out_);
  row_started_ = true;
}

CsvWriter &CsvWriter::text(const std::string &s) {
  if (!out_)
    return *this;
  separate();
  if (s.find_first_of(",\"\n") == std::string::npos) {
    std::fputs(s.c_str(), out_);
    return *this;
  }
  std::fputc('"', out_);
  for (char c : s) {
    if (c == '"')
      std::fputc('"', out_);
    std::fputc(c, out_);
  }
  std::fputc('"', out_);
  return *this;
}

CsvWriter &CsvWriter::integer(std::uint64_t v) {
  if (!out_)
    return *this;
  separate();
  std::fprintf(out_, "%" PRIu64, v);
  return *this;
}

CsvWriter &CsvWriter::number(double v, int decimals) {
  if (!out_)
    return *this;
  separate();
  if (!std::isnan(v))
    std::fprintf(out_, "%.*f", decimals, v);
  return *this;
}

void CsvWriter::end() {
  if (!out_)
    return;
  std::fputc('\n', out_);
  row_started_ = false;
}

} // namespace sim
