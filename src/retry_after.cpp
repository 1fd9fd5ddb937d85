#include "retry_after.hpp"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>

namespace backoff {

namespace {

// Howard Hinnant's days-from-civil and its inverse: proleptic Gregorian
// calendar, day 0 = 1970-01-01, exact for any year an int64 can hold here.
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  std::int64_t year;
  int month, day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe =
      (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

bool is_leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(std::int64_t y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

constexpr std::int64_t kDay = 86400;

const char *const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char *const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char *const kLongDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};

// Reads the grammar of RFC 9110 section 5.6.7 left to right. Names are
// case-sensitive there (%s"GMT"), and so are we.
class Reader {
public:
  explicit Reader(std::string_view s) : s_(s) {}

  bool literal(std::string_view lit) {
    if (s_.substr(i_, lit.size()) != lit)
      return false;
    i_ += lit.size();
    return true;
  }

  // One of `names`; its index (0-based) in *index.
  template <std::size_t N>
  bool name(const char *const (&names)[N], int *index) {
    for (std::size_t k = 0; k < N; ++k)
      if (literal(names[k])) {
        *index = static_cast<int>(k);
        return true;
      }
    return false;
  }

  // Exactly `count` digits; consumes nothing when they are not there.
  bool digits(int count, int *out) {
    int value = 0;
    for (int k = 0; k < count; ++k) {
      const std::size_t at = i_ + static_cast<std::size_t>(k);
      if (at >= s_.size() || s_[at] < '0' || s_[at] > '9')
        return false;
      value = value * 10 + (s_[at] - '0');
    }
    i_ += static_cast<std::size_t>(count);
    *out = value;
    return true;
  }

  bool done() const { return i_ == s_.size(); }

private:
  std::string_view s_;
  std::size_t i_ = 0;
};

struct Date {
  std::int64_t year = 0;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

bool time_of_day(Reader &r, Date *d) {
  return r.digits(2, &d->hour) && r.literal(":") && r.digits(2, &d->minute) &&
         r.literal(":") && r.digits(2, &d->second);
}

bool month(Reader &r, Date *d) {
  int index;
  if (!r.name(kMonths, &index))
    return false;
  d->month = index + 1;
  return true;
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
bool imf_fixdate(std::string_view s, Date *d) {
  Reader r(s);
  int ignored = 0, year = 0;
  bool ok = r.name(kDays, &ignored) && r.literal(", ") && r.digits(2, &d->day) &&
            r.literal(" ") && month(r, d) && r.literal(" ") &&
            r.digits(4, &year) && r.literal(" ") && time_of_day(r, d) &&
            r.literal(" GMT") && r.done();
  d->year = year;
  return ok;
}

// "Sunday, 06-Nov-94 08:49:37 GMT"; the two-digit year is left in d->year.
bool rfc850_date(std::string_view s, Date *d) {
  Reader r(s);
  int ignored = 0, year = 0;
  bool ok = r.name(kLongDays, &ignored) && r.literal(", ") &&
            r.digits(2, &d->day) && r.literal("-") && month(r, d) &&
            r.literal("-") && r.digits(2, &year) && r.literal(" ") &&
            time_of_day(r, d) && r.literal(" GMT") && r.done();
  d->year = year;
  return ok;
}

// "Sun Nov  6 08:49:37 1994"
bool asctime_date(std::string_view s, Date *d) {
  Reader r(s);
  int ignored = 0, year = 0;
  bool ok = r.name(kDays, &ignored) && r.literal(" ") && month(r, d) &&
            r.literal(" ") && (r.digits(2, &d->day) ||
                               (r.literal(" ") && r.digits(1, &d->day))) &&
            r.literal(" ") && time_of_day(r, d) && r.literal(" ") &&
            r.digits(4, &year) && r.done();
  d->year = year;
  return ok;
}

bool valid(const Date &d) {
  // second 60 is a leap second; it counts as the next minute's first.
  return d.day >= 1 && d.day <= days_in_month(d.year, d.month) &&
         d.hour <= 23 && d.minute <= 59 && d.second <= 60;
}

std::int64_t timestamp(const Date &d) {
  return days_from_civil(d.year, d.month, d.day) * kDay + d.hour * 3600 +
         d.minute * 60 + d.second;
}

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  const std::int64_t m = a % b;
  return m < 0 ? m + b : m;
}

// RFC 9110 section 5.6.7: a two-digit year that "appears to be more than 50
// years in the future" is the most recent past year with those digits. So
// the year is the latest one ending in `yy` that is at most 50 years ahead
// of now (measured to the second).
void widen_year(Date *d, std::int64_t now) {
  const std::int64_t days = (now >= 0 ? now : now - (kDay - 1)) / kDay;
  const Civil today = civil_from_days(days);
  Date limit;
  limit.year = today.year + 50;
  limit.month = today.month;
  limit.day = std::min(today.day, days_in_month(limit.year, today.month));
  const std::int64_t limit_ts = timestamp(limit) + (now - days * kDay);
  d->year = today.year - floor_mod(today.year, 100) + d->year + 100;
  while (timestamp(*d) > limit_ts)
    d->year -= 100;
}

bool delay_seconds(std::string_view s, double *out) {
  if (s.empty())
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  // from_chars rounds correctly and knows no locale.
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  (void)ptr;
  if (ec == std::errc::result_out_of_range)
    *out = DBL_MAX; // hundreds of digits: as long as we can
  return true;
}

} // namespace

bool parse_retry_after(std::string_view value, double now, double *seconds) {
  // Optional whitespace around a field value is not part of it.
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);

  double delay;
  if (delay_seconds(value, &delay)) {
    *seconds = delay;
    return true;
  }

  Date d;
  if (rfc850_date(value, &d)) {
    // Far beyond any real clock, but keeps the calendar arithmetic exact.
    const double bound = 1e15;
    widen_year(&d, static_cast<std::int64_t>(
                       std::floor(std::max(-bound, std::min(now, bound)))));
  } else if (!imf_fixdate(value, &d) && !asctime_date(value, &d)) {
    return false;
  }
  if (!valid(d))
    return false;
  const double wait = static_cast<double>(timestamp(d)) - now;
  *seconds = wait > 0.0 ? wait : 0.0;
  return true;
}

} // namespace backoff
