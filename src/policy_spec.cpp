#include "policy_spec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace backoff {

namespace {

// ---------------------------------------------------------------- numbers --
// std::from_chars / std::to_chars: independent of the locale, and to_chars
// gives the shortest text that reads back as the same double, which is what
// makes formatting round-trip exactly.

bool read_number(std::string_view text, double *out) {
  if (text.empty())
    return false;
  const char *end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  if (ec != std::errc() || ptr != end)
    return false; // *out is untouched, perhaps uninitialised
  if (*out == 0.0)
    *out = 0.0; // "-0" is 0, and formats back as "0"
  return true;
}

template <class Int> bool read_integer(std::string_view text, Int *out) {
  if (text.empty())
    return false;
  const char *end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, *out, 10);
  return ec == std::errc() && ptr == end;
}

template <class T> void write_number(std::string &out, T value) {
  char buf[32];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec; // 32 bytes hold any double, int or uint64_t
  out.append(buf, ptr);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view s) {
  std::string q = "'";
  q.append(s);
  q += '\'';
  return q;
}

// ------------------------------------------------------------------ waits --

struct WaitSpec {
  WaitKind kind;
  const char *name;
  const char *params[3]; // nullptr-terminated when fewer than three
  double defaults[3];
  // Where each parameter lives in the policy's WaitConfig.
  double WaitConfig::*fields[3];
  const char *rule; // what the setter accepts, for error messages
};

// Parameter names and defaults: those of the reference package where it has
// the generator (expo, fibo, constant, decay); linear counts 1, 2, 3 …
const WaitSpec kWaits[] = {
    {WaitKind::Expo, "expo", {"base", "factor", "max"}, {2.0, 1.0, 0.0},
     {&WaitConfig::a, &WaitConfig::b, &WaitConfig::c},
     "base and factor must be finite and > 0, max >= 0"},
    {WaitKind::Fibo, "fibo", {"max", nullptr, nullptr}, {0.0, 0.0, 0.0},
     {&WaitConfig::c, nullptr, nullptr}, "max must be >= 0"},
    {WaitKind::Constant, "constant", {"interval", nullptr, nullptr},
     {1.0, 0.0, 0.0}, {&WaitConfig::a, nullptr, nullptr},
     "interval must be finite and >= 0"},
    {WaitKind::Decay, "decay", {"initial", "factor", "min"}, {1.0, 1.0, 0.0},
     {&WaitConfig::a, &WaitConfig::b, &WaitConfig::c},
     "initial must be finite and > 0, factor and min finite and >= 0"},
    {WaitKind::Linear, "linear", {"start", "increment", "max"},
     {1.0, 1.0, 0.0}, {&WaitConfig::a, &WaitConfig::b, &WaitConfig::c},
     "start and increment must be finite and >= 0, max >= 0"},
};

const WaitSpec *find_wait(std::string_view name) {
  for (const WaitSpec &w : kWaits)
    if (name == w.name)
      return &w;
  return nullptr;
}

const WaitSpec *find_wait(WaitKind kind) {
  for (const WaitSpec &w : kWaits)
    if (kind == w.kind)
      return &w;
  return nullptr;
}

// Through the public setters, which validate.
backoff_status set_wait(backoff_policy *p, const WaitSpec &w,
                        const double v[3]) {
  switch (w.kind) {
  case WaitKind::Expo:
    return backoff_policy_wait_expo(p, v[0], v[1], v[2]);
  case WaitKind::Fibo:
    return backoff_policy_wait_fibo(p, v[0]);
  case WaitKind::Constant:
    return backoff_policy_wait_constant(p, v[0]);
  case WaitKind::Decay:
    return backoff_policy_wait_decay(p, v[0], v[1], v[2]);
  default:
    return backoff_policy_wait_linear(p, v[0], v[1], v[2]);
  }
}

const char *const kJitters[] = {"none",  "full",         "random",
                                "equal", "decorrelated", "proportional"};
static_assert(BACKOFF_JITTER_NONE == 0 && BACKOFF_JITTER_PROPORTIONAL == 5,
              "kJitters is indexed by backoff_jitter_kind");

// ----------------------------------------------------------------- parser --

// "name(arg,arg,...)" or "name"; an argument is "key=value" or "value".
struct Arg {
  std::string_view key; // empty for a positional argument
  std::string_view value;
  std::string_view text; // the whole argument, for messages and offsets
};

struct Call {
  std::string_view name;
  std::vector<Arg> args;
};

class SpecParser {
public:
  explicit SpecParser(std::string_view spec) : spec_(spec) {}

  // Parses the whole spec into the scratch policy. False on error.
  bool parse();

  // Moves every setting the spec named from the scratch policy into p.
  // Moves of vectors and callbacks never throw, so this cannot fail halfway.
  void apply_to(backoff_policy &p) noexcept;

  std::size_t error_offset() const { return error_offset_; }
  const std::string &error_message() const { return error_message_; }

private:
  bool fail(std::string_view where, std::string message) {
    error_offset_ = static_cast<std::size_t>(where.data() - spec_.data());
    error_message_ = std::move(message);
    return false;
  }

  bool token(std::string_view tok);
  bool call(std::string_view text, Call *out);
  bool wait(std::string_view tok);
  bool sequence(std::string_view tok, const Call &c);
  bool setting(std::string_view tok, std::string_view key,
               std::string_view value);
  bool jitter(std::string_view value);
  bool codes(std::string_view key, std::string_view value);
  bool once(bool *seen, std::string_view tok, std::string_view what);

  std::string_view spec_;
  backoff_policy scratch_;
  bool budget(std::string_view tok, const Call &c);
  bool limit(std::string_view key, std::string_view value);

  bool wait_ = false, jitter_ = false, tries_ = false, time_ = false,
       classifier_ = false, seed_ = false, hint_max_ = false, budget_ = false;
  std::string_view classifier_key_;
  std::size_t error_offset_ = 0;
  std::string error_message_;
};

bool SpecParser::parse() {
  // Tokens are separated by whitespace outside parentheses, so that
  // "expo(base=2, factor=3)" is one token.
  std::size_t i = 0;
  const std::size_t n = spec_.size();
  for (;;) {
    while (i < n && is_space(spec_[i]))
      ++i;
    if (i == n)
      return true;
    const std::size_t start = i;
    int depth = 0;
    for (; i < n && !(depth == 0 && is_space(spec_[i])); ++i) {
      if (spec_[i] == '(') {
        ++depth;
      } else if (spec_[i] == ')') {
        if (depth == 0)
          return fail(spec_.substr(i), "unmatched ')'");
        --depth;
      }
    }
    const std::string_view tok = spec_.substr(start, i - start);
    if (depth != 0)
      return fail(tok, "missing ')' in " + quoted(tok));
    if (!token(tok))
      return false;
  }
}

bool SpecParser::token(std::string_view tok) {
  const std::size_t eq = tok.find('=');
  const std::size_t paren = tok.find('(');
  if (eq != std::string_view::npos && (paren == std::string_view::npos || eq < paren))
    return setting(tok, tok.substr(0, eq), tok.substr(eq + 1));
  return wait(tok);
}

bool SpecParser::once(bool *seen, std::string_view tok, std::string_view what) {
  if (*seen)
    return fail(tok, quoted(what) + " given twice");
  *seen = true;
  return true;
}

bool SpecParser::call(std::string_view text, Call *out) {
  const std::size_t open = text.find('(');
  out->name = text.substr(0, open);
  out->args.clear();
  if (out->name.empty())
    return fail(text, "missing name before '(' in " + quoted(text));
  if (open == std::string_view::npos)
    return true;
  // Balanced by the tokenizer, so the last ')' closes the first '('.
  const std::size_t close = text.rfind(')');
  if (close + 1 != text.size())
    return fail(text.substr(close + 1),
                "unexpected " + quoted(text.substr(close + 1)) + " after ')'");
  std::string_view inner = text.substr(open + 1, close - open - 1);
  if (trim(inner).empty())
    return true;
  for (;;) {
    const std::size_t comma = inner.find(',');
    const std::string_view raw = inner.substr(0, comma);
    const std::string_view piece = trim(raw);
    if (piece.empty())
      return fail(raw, "empty parameter in " + quoted(text));
    Arg arg;
    arg.text = piece;
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      arg.value = piece;
    } else {
      arg.key = trim(piece.substr(0, eq));
      arg.value = trim(piece.substr(eq + 1));
      if (arg.key.empty())
        return fail(piece, "missing parameter name in " + quoted(piece));
    }
    out->args.push_back(arg);
    if (comma == std::string_view::npos)
      return true;
    inner.remove_prefix(comma + 1);
  }
}

bool SpecParser::wait(std::string_view tok) {
  Call c;
  if (!call(tok, &c))
    return false;
  if (c.name == "budget")
    return once(&budget_, tok, c.name) && budget(tok, c);
  const WaitSpec *w = find_wait(c.name);
  if (w == nullptr && c.name != "sequence")
    return fail(tok, "unknown wait or setting " + quoted(c.name));
  if (wait_)
    return fail(tok, "a second wait " + quoted(c.name) + ": only one is allowed");
  wait_ = true;
  if (w == nullptr)
    return sequence(tok, c);

  double values[3] = {w->defaults[0], w->defaults[1], w->defaults[2]};
  bool given[3] = {false, false, false};
  for (const Arg &arg : c.args) {
    if (arg.key.empty())
      return fail(arg.text, "expected NAME=VALUE in " + std::string(c.name) +
                                "(...), got " + quoted(arg.text));
    int index = -1;
    for (int k = 0; k < 3 && w->params[k] != nullptr; ++k)
      if (arg.key == w->params[k])
        index = k;
    if (index < 0)
      return fail(arg.text, std::string(c.name) + " has no parameter " +
                                quoted(arg.key));
    if (given[index])
      return fail(arg.text, quoted(arg.key) + " given twice in " +
                                std::string(c.name) + "(...)");
    given[index] = true;
    if (!read_number(arg.value, &values[index]))
      return fail(arg.value, "bad number " + quoted(arg.value) + " for " +
                                 quoted(arg.key));
  }
  if (set_wait(&scratch_, *w, values) != BACKOFF_OK)
    return fail(tok, "invalid " + quoted(tok) + ": " + w->rule);
  return true;
}

bool SpecParser::sequence(std::string_view tok, const Call &c) {
  std::vector<double> values;
  for (const Arg &arg : c.args) {
    double v;
    if (!arg.key.empty() || !read_number(arg.value, &v))
      return fail(arg.text, "bad number " + quoted(arg.text) + " in sequence");
    values.push_back(v);
  }
  if (values.empty())
    return fail(tok, "sequence needs at least one value");
  const backoff_status st =
      backoff_policy_wait_sequence(&scratch_, values.data(), values.size());
  if (st == BACKOFF_E_NOMEM)
    throw std::bad_alloc();
  if (st != BACKOFF_OK)
    return fail(tok, "invalid " + quoted(tok) +
                         ": values must be finite and >= 0");
  return true;
}

bool SpecParser::setting(std::string_view tok, std::string_view key,
                         std::string_view value) {
  if (key == "jitter")
    return once(&jitter_, tok, key) && jitter(value);
  if (key == "tries") {
    unsigned n;
    double inf;
    if (!once(&tries_, tok, key))
      return false;
    if (read_number(value, &inf) && inf == HUGE_VAL)
      n = 0; // "inf" means what 0 means: no limit
    else if (!read_integer(value, &n))
      return fail(value, "bad whole number " + quoted(value) +
                             " for 'tries' (0 or inf: no limit)");
    backoff_policy_max_tries(&scratch_, n); // any unsigned is valid
    return true;
  }
  if (key == "time")
    return once(&time_, tok, key) && limit(key, value);
  if (key == "hint-max")
    return once(&hint_max_, tok, key) && limit(key, value);
  if (key == "retry-on" || key == "giveup-on") {
    if (classifier_ && key != classifier_key_)
      return fail(tok, quoted(key) + " conflicts with " +
                           quoted(classifier_key_) + ": give only one");
    classifier_key_ = key;
    return once(&classifier_, tok, key) && codes(key, value);
  }
  if (key == "seed") {
    std::uint64_t seed;
    if (!once(&seed_, tok, key))
      return false;
    if (!read_integer(value, &seed))
      return fail(value, "bad whole number " + quoted(value) + " for 'seed'");
    backoff_policy_seed(&scratch_, seed); // any seed is valid
    return true;
  }
  return fail(tok, "unknown setting " + quoted(key));
}

// time= and hint-max=: seconds, where 0 and inf mean "no limit".
bool SpecParser::limit(std::string_view key, std::string_view value) {
  double t;
  if (!read_number(value, &t))
    return fail(value, "bad number " + quoted(value) + " for " + quoted(key));
  const backoff_status st = key == "time"
                                ? backoff_policy_max_time(&scratch_, t)
                                : backoff_policy_hint_max(&scratch_, t);
  if (st != BACKOFF_OK)
    return fail(value, "invalid " + quoted(key) + " " + quoted(value) +
                           ": must be >= 0 (0 or inf: no limit)");
  return true;
}

// budget(ratio=R,min=M,window=W): a budget of this policy's own.
bool SpecParser::budget(std::string_view tok, const Call &c) {
  static const char *const kParams[] = {"ratio", "min", "window"};
  double values[3] = {0.2, 10.0, 10.0};
  bool given[3] = {false, false, false};
  for (const Arg &arg : c.args) {
    if (arg.key.empty())
      return fail(arg.text, "expected NAME=VALUE in budget(...), got " +
                                quoted(arg.text));
    int index = -1;
    for (int k = 0; k < 3; ++k)
      if (arg.key == kParams[k])
        index = k;
    if (index < 0)
      return fail(arg.text, "budget has no parameter " + quoted(arg.key));
    if (given[index])
      return fail(arg.text, quoted(arg.key) + " given twice in budget(...)");
    given[index] = true;
    if (!read_number(arg.value, &values[index]))
      return fail(arg.value, "bad number " + quoted(arg.value) + " for " +
                                 quoted(arg.key));
  }
  backoff_budget *b = nullptr;
  const backoff_status st =
      backoff_budget_new(&b, values[0], values[1], values[2]);
  if (st == BACKOFF_E_NOMEM)
    throw std::bad_alloc();
  if (st != BACKOFF_OK)
    return fail(tok, "invalid " + quoted(tok) +
                         ": ratio and min must be finite and >= 0, window "
                         "finite and > 0");
  scratch_.budget = BudgetRef(b); // adopts the reference new gave
  return true;
}

bool SpecParser::jitter(std::string_view value) {
  Call c;
  if (value.empty())
    return fail(value, "missing value for 'jitter'");
  if (!call(value, &c))
    return false;
  int kind = -1;
  for (int k = 0; k <= BACKOFF_JITTER_PROPORTIONAL; ++k)
    if (c.name == kJitters[k])
      kind = k;
  if (kind < 0)
    return fail(value, "unknown jitter " + quoted(c.name));
  if (kind != BACKOFF_JITTER_PROPORTIONAL) {
    if (value.size() != c.name.size())
      return fail(value, "jitter " + quoted(c.name) + " takes no parameters");
    backoff_policy_jitter(&scratch_, kind); // every built-in kind is valid
    return true;
  }
  double f = 0.5;
  if (c.args.size() > 1)
    return fail(c.args[1].text, "proportional jitter takes one parameter, f");
  if (c.args.size() == 1) {
    const Arg &arg = c.args[0];
    if (!arg.key.empty() && arg.key != "f")
      return fail(arg.text, "proportional has no parameter " + quoted(arg.key));
    if (!read_number(arg.value, &f))
      return fail(arg.value, "bad number " + quoted(arg.value) + " for 'f'");
  }
  if (backoff_policy_jitter_proportional(&scratch_, f) != BACKOFF_OK)
    return fail(value, "invalid " + quoted(value) + ": f must be in [0, 1]");
  return true;
}

bool SpecParser::codes(std::string_view key, std::string_view value) {
  std::vector<int> list;
  std::string_view rest = value;
  for (;;) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    int code;
    if (!read_integer(item, &code))
      return fail(item, "bad exit code " + quoted(item) + " in " + quoted(key));
    if (code == 0)
      return fail(item, "0 is success; it cannot be in " + quoted(key));
    list.push_back(code);
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  const backoff_status st =
      key == "retry-on"
          ? backoff_policy_retry_on(&scratch_, list.data(), list.size())
          : backoff_policy_giveup_on(&scratch_, list.data(), list.size());
  if (st == BACKOFF_E_NOMEM)
    throw std::bad_alloc();
  return st == BACKOFF_OK || fail(value, "invalid " + quoted(value));
}

void SpecParser::apply_to(backoff_policy &p) noexcept {
  if (wait_)
    p.wait = std::move(scratch_.wait);
  if (jitter_)
    p.jitter = std::move(scratch_.jitter);
  if (tries_) {
    p.max_tries = scratch_.max_tries;
    p.max_tries_fn = std::move(scratch_.max_tries_fn);
  }
  if (time_) {
    p.max_time = scratch_.max_time;
    p.max_time_fn = std::move(scratch_.max_time_fn);
  }
  if (classifier_)
    p.classifier = std::move(scratch_.classifier);
  if (seed_) {
    p.seeded = scratch_.seeded;
    p.seed = scratch_.seed;
  }
  if (hint_max_)
    p.hint_max = scratch_.hint_max;
  if (budget_)
    p.budget = std::move(scratch_.budget);
  p.settle();
}

// -------------------------------------------------------------- formatter --

bool format_wait(const WaitConfig &wait, std::string &out) {
  if (wait.kind == WaitKind::Sequence) {
    out += "sequence(";
    for (std::size_t i = 0; i < wait.sequence.size(); ++i) {
      if (i > 0)
        out += ',';
      write_number(out, wait.sequence[i]);
    }
    out += ')';
    return true;
  }
  const WaitSpec *w = find_wait(wait.kind);
  if (w == nullptr) // custom
    return false;
  out += w->name;
  out += '(';
  for (int k = 0; k < 3 && w->params[k] != nullptr; ++k) {
    if (k > 0)
      out += ',';
    out += w->params[k];
    out += '=';
    write_number(out, wait.*(w->fields[k]));
  }
  out += ')';
  return true;
}

} // namespace

backoff_status parse_policy_spec(backoff_policy &p, std::string_view spec,
                                 std::size_t *error_offset, char *errmsg,
                                 std::size_t errmsg_size) {
  SpecParser parser(spec);
  if (!parser.parse()) {
    if (error_offset != nullptr)
      *error_offset = parser.error_offset();
    if (errmsg != nullptr && errmsg_size > 0) {
      const std::string &m = parser.error_message();
      const std::size_t len = std::min(m.size(), errmsg_size - 1);
      std::memcpy(errmsg, m.data(), len);
      errmsg[len] = '\0';
    }
    return BACKOFF_E_PARSE;
  }
  parser.apply_to(p);
  return BACKOFF_OK;
}

backoff_status format_policy_spec(const backoff_policy &p, char *buf,
                                  std::size_t size, std::size_t *needed) {
  if (p.jitter.kind == BACKOFF_JITTER_CUSTOM || p.max_tries_fn ||
      p.max_time_fn || p.classifier.mode == Classifier::Mode::Custom)
    return BACKOFF_E_UNSUPPORTED;
  std::string out;
  if (!format_wait(p.wait, out))
    return BACKOFF_E_UNSUPPORTED;

  out += " jitter=";
  out += kJitters[p.jitter.kind];
  if (p.jitter.kind == BACKOFF_JITTER_PROPORTIONAL) {
    out += '(';
    write_number(out, p.jitter.proportion);
    out += ')';
  }
  out += " tries=";
  write_number(out, p.max_tries);
  out += " time=";
  write_number(out, p.max_time);
  if (p.classifier.mode != Classifier::Mode::Default) {
    out += p.classifier.mode == Classifier::Mode::RetryOn ? " retry-on="
                                                          : " giveup-on=";
    for (std::size_t i = 0; i < p.classifier.codes.size(); ++i) {
      if (i > 0)
        out += ',';
      write_number(out, p.classifier.codes[i]);
    }
  }
  if (p.seeded) {
    out += " seed=";
    write_number(out, p.seed);
  }
  if (p.hint_max > 0.0) {
    out += " hint-max=";
    write_number(out, p.hint_max);
  }
  if (p.budget) {
    out += " budget(ratio=";
    write_number(out, p.budget->ratio());
    out += ",min=";
    write_number(out, p.budget->min_per_second());
    out += ",window=";
    write_number(out, p.budget->window());
    out += ')';
  }

  if (needed != nullptr)
    *needed = out.size();
  if (size > 0) {
    const std::size_t len = std::min(out.size(), size - 1);
    std::memcpy(buf, out.data(), len);
    buf[len] = '\0';
  }
  return BACKOFF_OK;
}

} // namespace backoff
