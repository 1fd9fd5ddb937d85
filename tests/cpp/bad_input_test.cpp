// The C++ column of the bad-input table (tests/bad_input/cases.tsv): each
// row's call, made on a policy configured away from the defaults, must throw
// the exception the table names with its what(), and leave the policy's
// canonical spec as it was.
#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const std::string kCannot = "\xe2\x80\x93"; // "–": the layer cannot say it
const std::string kStart =
    "constant(interval=3) jitter=none tries=4 time=9 seed=1 hint-max=7";

// A literal of a call: a number, a string or a list of numbers.
struct Arg {
  double number = 0;
  std::string text;
  std::vector<double> list;
};

// A call as its shape ("wait_expo(_, _, _)": each literal replaced by "_")
// and its literals, as tests/bad_input/call.c reads the C column.
struct Call {
  std::string shape;
  std::vector<Arg> args;
};

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}

bool read_number(const std::string &s, std::size_t &at, double &out) {
  std::size_t p = at + (s[at] == '-' ? 1 : 0);
  for (const auto &[word, value] :
       {std::pair{"nan", NAN}, std::pair{"inf", INFINITY}})
    if (s.compare(p, 3, word) == 0 && (p + 3 == s.size() || !is_word(s[p + 3]))) {
      out = s[at] == '-' ? -value : value;
      at = p + 3;
      return true;
    }
  if (p >= s.size() || !(std::isdigit(static_cast<unsigned char>(s[p])) ||
                         s[p] == '.'))
    return false;
  char *end = nullptr;
  out = std::strtod(s.c_str() + at, &end);
  at = static_cast<std::size_t>(end - s.c_str());
  return true;
}

Call parse(const std::string &s) {
  Call c;
  for (std::size_t at = 0; at < s.size();) {
    Arg arg;
    if (s[at] == '"') {
      for (++at; s.at(at) != '"'; ++at) {
        char ch = s[at];
        if (ch == '\\')
          ch = s.at(++at) == '0' ? '\0' : s[at];
        arg.text += ch;
      }
      ++at;
    } else if (s[at] == '[') {
      for (++at; s.at(at) != ']';) {
        if (s[at] == ' ' || s[at] == ',') {
          ++at;
          continue;
        }
        double v = 0;
        if (!read_number(s, at, v))
          throw std::runtime_error("bad list in " + s);
        arg.list.push_back(v);
      }
      ++at;
    } else if ((at == 0 || !is_word(s[at - 1])) &&
               read_number(s, at, arg.number)) {
    } else {
      c.shape += s[at++];
      continue;
    }
    c.shape += '_';
    c.args.push_back(arg);
  }
  return c;
}

using Make = std::function<void(backoff::Policy &, const std::vector<Arg> &)>;

// Every shape the C++ column uses, as the real call.
const std::map<std::string, Make> &calls() {
  using backoff::Policy;
  static const std::map<std::string, Make> table = {
      {"wait_expo(_, _, _)",
       [](Policy &p, const auto &a) {
         p.wait_expo(a[0].number, a[1].number, a[2].number);
       }},
      {"wait_constant(_)",
       [](Policy &p, const auto &a) { p.wait_constant(a[0].number); }},
      {"wait_decay(_, _, _)",
       [](Policy &p, const auto &a) {
         p.wait_decay(a[0].number, a[1].number, a[2].number);
       }},
      {"wait_linear(_, _, _)",
       [](Policy &p, const auto &a) {
         p.wait_linear(a[0].number, a[1].number, a[2].number);
       }},
      {"wait_sequence(_)",
       [](Policy &p, const auto &a) {
         std::vector<backoff::seconds> waits;
         for (double v : a[0].list)
           waits.emplace_back(v);
         p.wait_sequence(waits);
       }},
      {"jitter_proportional(_)",
       [](Policy &p, const auto &a) { p.jitter_proportional(a[0].number); }},
      {"max_tries(_)",
       [](Policy &p, const auto &a) {
         p.max_tries(static_cast<long long>(a[0].number));
       }},
      {"max_time(_)",
       [](Policy &p, const auto &a) { p.max_time(a[0].number); }},
      {"hint_max(_)",
       [](Policy &p, const auto &a) { p.hint_max(a[0].number); }},
      {"log_levels(_, _)",
       [](Policy &p, const auto &a) {
         p.log_levels(static_cast<int>(a[0].number),
                      static_cast<int>(a[1].number));
       }},
      {"Budget(_, _, _)",
       [](Policy &, const auto &a) {
         backoff::Budget(a[0].number, a[1].number, a[2].number);
       }},
      {"spec(_)", [](Policy &p, const auto &a) { p.spec(a[0].text); }},
      {"retry(f, RunOptions{nullptr, _})",
       [](Policy &p, const auto &a) {
         p.retry([] { return 0; }, backoff::RunOptions{nullptr, a[0].text});
       }},
      {"parse_retry_after(_)",
       [](Policy &, const auto &a) {
         if (!backoff::parse_retry_after(a[0].text))
           throw std::range_error("nullopt"); // answered as "nullopt" below
       }},
  };
  return table;
}

// What the call answered, as the table writes it.
std::string answer_of(backoff::Policy &p, const Call &c) {
  const Make &make = calls().at(c.shape);
  try {
    make(p, c.args);
    return "ok";
  } catch (const backoff::SpecError &e) {
    return std::string("backoff::SpecError: ") + e.what();
  } catch (const std::invalid_argument &e) {
    return std::string("std::invalid_argument: ") + e.what();
  } catch (const std::range_error &) {
    return "nullopt";
  } catch (const std::logic_error &e) {
    return std::string("std::logic_error: ") + e.what();
  }
}

std::vector<std::string> split_tabs(const std::string &line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = line.find('\t', start)) != std::string::npos;
       start = end + 1)
    out.push_back(line.substr(start, end - start));
  out.push_back(line.substr(start));
  return out;
}

} // namespace

TEST_CASE("each bad input gives the table's answer, the policy unchanged",
          "[bad-input]") {
  std::ifstream file(BAD_INPUT_CASES);
  REQUIRE(file);
  std::string line;
  std::getline(file, line);
  const std::vector<std::string> header = split_tabs(line);
  const auto column = [&](const std::string &name) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name)
        return i;
    FAIL("cases.tsv has no column " << name);
    return std::size_t{0};
  };
  const std::size_t id = column("id"), call = column("cpp"),
                    want = column("cpp_error");
  int checked = 0;
  while (std::getline(file, line)) {
    const std::vector<std::string> row = split_tabs(line);
    REQUIRE(row.size() == header.size());
    if (row[call] == kCannot)
      continue;
    INFO("cases.tsv " << row[id] << ": " << row[call]);
    const Call c = parse(row[call]);
    REQUIRE(calls().count(c.shape) == 1);
    backoff::Policy p = backoff::Policy::parse(kStart);
    const std::string before = p.format();
    CHECK(answer_of(p, c) == row[want]);
    CHECK(p.format() == before);
    ++checked;
  }
  CHECK(checked > 0);
}
