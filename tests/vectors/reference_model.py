#!/usr/bin/env python3
"""An independent model of libbackoff's waits, written from the documented
semantics (the header and README), not from the C++ code: SplitMix64, the wait
generators, the jitter formulas, the max_time clamp. It writes waits.tsv, the
shared test vectors: the C suite checks the core against them, and the Rust
and Go suites check that their bindings reach the same waits from the same
seed.

Every attempt fails and takes ATTEMPT_COST seconds on a fake clock that
starts at 0; each wait advances it by the wait.

hints.tsv adds server hints: attempt i's failure carries hints[i-1] ("-":
none). The documented rule: a hint replaces the generated wait for that one
backoff, without jitter and without advancing the generator or drawing a
random number; a hint longer than the time left before max_time, longer than
hint-max, or infinite, ends the run at once on time.

Usage: reference_model.py [--hints] [OUTPUT]   (default: waits.tsv's
content, printed to stdout)
"""
import math
import sys

MASK = (1 << 64) - 1
DBL_MAX = sys.float_info.max
ATTEMPT_COST = 0.25


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next_u64() >> 11) * 2.0**-53


def capped(values, cap):
    """The reference's rule: once a value reaches the cap, the cap forever;
    without a cap, DBL_MAX instead of an overflow."""
    limit = cap if cap > 0 else DBL_MAX
    for v in values:
        if not v < limit:
            while True:
                yield limit
        yield v


def expo(base=2.0, factor=1.0, max=0.0):
    def raw():
        n = 0
        while True:
            try:
                yield factor * math.pow(base, n)
            except OverflowError:
                yield math.inf
            n += 1
    return capped(raw(), max)


def fibo(max=0.0):
    def raw():
        a, b = 1.0, 1.0
        while True:
            yield a
            a, b = b, a + b
    return capped(raw(), max)


def linear(start=0.0, increment=1.0, max=0.0):
    def raw():
        n = 0
        while True:
            yield start + n * increment
            n += 1
    return capped(raw(), max)


def constant(interval=1.0):
    while True:
        yield interval


def decay(initial=1.0, factor=1.0, min=0.0):
    n = 0
    while True:
        v = initial * math.pow(math.e, -n * factor)
        yield min if (min > 0 and not v > min) else v
        n += 1


def sequence(*values):
    yield from values


class Jitter:
    def __init__(self, kind, f=0.5, cap=0.0):
        self.kind, self.f, self.cap = kind, f, cap
        self.started = False

    def apply(self, w, rng):
        k = self.kind
        if k == "none":
            return w
        u = rng.uniform()
        if k == "full":
            r = w * u
        elif k == "random":
            r = w + u
        elif k == "equal":
            r = w / 2.0 + (w / 2.0) * u
        elif k == "proportional":
            r = w * (1.0 - self.f + 2.0 * self.f * u)
        elif k == "decorrelated":
            if not self.started:
                self.started, self.base, self.previous = True, w, w
            high = 3.0 * self.previous
            r = self.base + (high - self.base) * u
            r = min(r, self.cap if self.cap > 0 else DBL_MAX)
            self.previous = r
        else:
            raise ValueError(k)
        return min(r, DBL_MAX)


def run(waits, jitter, seed, tries=0, time=0.0, limit=64, hints=(),
        hint_max=0.0):
    """Returns (outcome, waits) for a run whose attempts all fail."""
    rng = SplitMix64(seed)
    clock = 0.0
    out = []
    attempt = 0
    while attempt < limit:
        attempt += 1
        clock += ATTEMPT_COST
        elapsed = clock - 0.0
        if tries and attempt >= tries:
            return "tries", out
        if time > 0 and elapsed >= time:
            return "time", out
        remaining = max(0.0, time - elapsed)
        hint = hints[attempt - 1] if attempt <= len(hints) else None
        if hint is not None:
            if (math.isinf(hint) or (hint_max > 0 and hint > hint_max)
                    or (time > 0 and hint > remaining)):
                return "time", out
            w = hint
        else:
            try:
                w = next(waits)
            except StopIteration:
                return "exhausted", out
            w = jitter.apply(w, rng)
            if time > 0:
                w = min(w, remaining)
        out.append(w)
        clock += w
    raise AssertionError("every vector must end within the attempt limit")


def fmt(x):
    return repr(float(x))


def spec_of(wait_name, params, jitter, f, tries, time, seed):
    if wait_name == "sequence":
        wait = "sequence(" + ",".join(fmt(v) for v in params) + ")"
    else:
        wait = wait_name + "(" + ",".join(f"{k}={fmt(v)}" for k, v in params.items()) + ")"
    j = f"proportional(f={fmt(f)})" if jitter == "proportional" else jitter
    parts = [wait, f"jitter={j}"]
    if tries:
        parts.append(f"tries={tries}")
    if time:
        parts.append(f"time={fmt(time)}")
    parts.append(f"seed={seed}")
    return " ".join(parts)


GENERATORS = {
    "expo": expo, "fibo": fibo, "linear": linear, "constant": constant,
    "decay": decay, "sequence": sequence,
}

CASES = [
    ("expo", {"base": 2.0, "factor": 1.0, "max": 0.0}),
    ("expo", {"base": 2.0, "factor": 0.5, "max": 30.0}),
    ("expo", {"base": 3.0, "factor": 0.1, "max": 10.0}),
    ("fibo", {"max": 20.0}),
    ("linear", {"start": 0.5, "increment": 1.5, "max": 6.0}),
    ("constant", {"interval": 2.0}),
    ("decay", {"initial": 8.0, "factor": 0.5, "min": 0.5}),
    ("sequence", [0.5, 1.0, 3.0]),
]
JITTERS = ["none", "full", "random", "equal", "decorrelated", "proportional"]
SEEDS = [0, 1, 42, 18446744073709551615]


def vectors():
    for wait_name, params in CASES:
        for jitter in JITTERS:
            for seed in SEEDS:
                for tries, time in ((12, 0.0), (0, 20.0)):
                    f = 0.25
                    make = GENERATORS[wait_name]
                    gen = make(*params) if wait_name == "sequence" else make(**params)
                    cap = params.get("max", 0.0) if isinstance(params, dict) else 0.0
                    outcome, waits = run(gen, Jitter(jitter, f, cap), seed, tries, time)
                    yield (spec_of(wait_name, params, jitter, f, tries, time, seed),
                           outcome, waits)


# Per-attempt hints (None: no hint), each with the policy settings that make
# the rule's every branch show: a hint between generated waits, a zero hint,
# one beyond the time left, one beyond hint-max, an infinite one.
HINT_CASES = [
    ([None, 3.0, None, None, 0.0], 8, 0.0, 0.0),
    ([2.5, 2.5, None, 7.0], 0, 30.0, 0.0),
    ([None, None, 50.0], 0, 20.0, 0.0),
    ([None, 4.0, 6.0], 8, 0.0, 5.0),
    ([None, 10.0], 0, 11.5, 0.0),
    ([math.inf], 8, 0.0, 0.0),
]
HINT_WAITS = [
    ("expo", {"base": 2.0, "factor": 1.0, "max": 0.0}),
    ("fibo", {"max": 20.0}),
    ("sequence", [0.5, 1.0, 3.0]),
]


def hint_vectors():
    for wait_name, params in HINT_WAITS:
        for jitter in ("none", "full", "decorrelated"):
            for seed in (1, 42):
                for hints, tries, time, hint_max in HINT_CASES:
                    make = GENERATORS[wait_name]
                    gen = make(*params) if wait_name == "sequence" else make(**params)
                    cap = params.get("max", 0.0) if isinstance(params, dict) else 0.0
                    outcome, waits = run(gen, Jitter(jitter, 0.25, cap), seed,
                                         tries, time, hints=hints,
                                         hint_max=hint_max)
                    spec = spec_of(wait_name, params, jitter, 0.25, tries, time, seed)
                    if hint_max:
                        spec += f" hint-max={fmt(hint_max)}"
                    yield (spec, ",".join("-" if h is None else fmt(h) for h in hints),
                           outcome, waits)


def main():
    args = sys.argv[1:]
    hints = bool(args) and args[0] == "--hints"
    if hints:
        args = args[1:]
    out = open(args[0], "w") if args else sys.stdout
    if hints:
        out.write("# spec\thints\toutcome\twaits (every attempt fails and takes "
                  f"{ATTEMPT_COST} s; attempt i's failure carries hint i, '-' for "
                  "none; generated by reference_model.py --hints)\n")
        for spec, hint_list, outcome, waits in hint_vectors():
            out.write(f"{spec}\t{hint_list}\t{outcome}\t"
                      f"{','.join(fmt(w) for w in waits)}\n")
        return
    out.write("# spec\toutcome\twaits (every attempt fails and takes "
              f"{ATTEMPT_COST} s; generated by reference_model.py)\n")
    for spec, outcome, waits in vectors():
        out.write(f"{spec}\t{outcome}\t{','.join(fmt(w) for w in waits)}\n")


if __name__ == "__main__":
    main()
