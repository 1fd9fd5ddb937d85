"""libbackoff's Python binding against the backoff package and tenacity, in
one process: the cost a decorator adds to a first-try success, and to one
retry after a zero wait. Run it with bench/python_bench.sh, which makes a
virtual environment with the three packages.

Each round times every variant once, in turn, so that load from the rest
of the machine falls on all of them alike; the figure is the median of the
rounds, per call, in nanoseconds, with its ratio to backoff's."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import backoff
import tenacity

import libbackoff


def first_try_success() -> dict[str, Callable[[], object]]:
    def target() -> int:
        return 1

    return {
        "plain call": target,
        "backoff": backoff.on_exception(backoff.expo, ValueError, max_tries=5)(target),
        "tenacity": tenacity.retry(
            stop=tenacity.stop_after_attempt(5), wait=tenacity.wait_exponential(),
            retry=tenacity.retry_if_exception_type(ValueError))(target),
        "libbackoff": libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=5)(target),
    }


def one_retry_zero_wait() -> dict[str, Callable[[], object]]:
    def failing_every_other_call() -> Callable[[], int]:
        calls = 0

        def target() -> int:
            nonlocal calls
            calls += 1
            if calls % 2:
                raise ValueError("transient")
            return 1

        return target

    plain_target = failing_every_other_call()

    def plain() -> int:
        try:
            return plain_target()
        except ValueError:
            return plain_target()

    return {
        "plain call": plain,
        "backoff": backoff.on_exception(backoff.constant, ValueError, interval=0, jitter=None)(
            failing_every_other_call()),
        "tenacity": tenacity.retry(wait=tenacity.wait_none(),
                                   retry=tenacity.retry_if_exception_type(ValueError))(
            failing_every_other_call()),
        "libbackoff": libbackoff.on_exception(libbackoff.constant, ValueError, interval=0, jitter=None)(
            failing_every_other_call()),
    }


def per_call_ns(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(calls):
        fn()
    return (time.perf_counter_ns() - start) / calls


def bench(name: str, variants: dict[str, Callable[[], object]], calls: int, rounds: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {v: [] for v in variants}
    for fn in variants.values():
        per_call_ns(fn, max(1, calls // 10))  # warm up
    for _ in range(rounds):
        for variant, fn in variants.items():
            samples[variant].append(per_call_ns(fn, calls))
    medians = {v: statistics.median(s) for v, s in samples.items()}
    print(f"\n{name} ({rounds} rounds of {calls} calls, median ns per call)")
    for variant, ns in medians.items():
        print(f"  {variant:12s} {ns:12.0f} ns   {ns / medians['backoff']:7.3f}x backoff")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the calls per round")
    args = parser.parse_args()
    print(f"libbackoff {libbackoff.__version__} (core {libbackoff.core_version}), "
          f"backoff {backoff.__version__}, tenacity")
    success = bench("first-try success", first_try_success(), int(20000 * args.scale), args.rounds)
    retry = bench("one retry, zero wait", one_retry_zero_wait(), int(2000 * args.scale), args.rounds)
    print("\nlibbackoff / backoff: first-try success "
          f"{success['libbackoff'] / success['backoff']:.3f}x (target <= 0.2x), "
          f"one retry {retry['libbackoff'] / retry['backoff']:.3f}x (target <= 0.05x)")


if __name__ == "__main__":
    main()
