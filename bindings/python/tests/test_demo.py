"""The seed's demo (the reference card's four scenarios), on libbackoff."""

from __future__ import annotations

import pytest

import libbackoff
from conftest import FakeTime


def test_on_exception_succeeds_on_the_third_try(fake_time: FakeTime) -> None:
    calls = 0
    retries: list[tuple[int, float]] = []

    @libbackoff.on_exception(libbackoff.expo, (ValueError,), max_tries=4, jitter=None,
                             on_backoff=lambda d: retries.append((d["tries"], d["wait"])))
    def flaky_function() -> str:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise ValueError(f"Transient error #{calls}")
        return f"success on call #{calls}"

    assert flaky_function() == "success on call #3"
    assert retries == [(1, 1.0), (2, 2.0)]


def test_on_predicate_polls_until_done(fake_time: FakeTime) -> None:
    polls = 0
    not_ready: list[int] = []

    @libbackoff.on_predicate(libbackoff.expo, lambda r: r != "done", max_tries=5, jitter=None,
                             on_backoff=lambda d: not_ready.append(d["tries"]))
    def check_status() -> str:
        nonlocal polls
        polls += 1
        return "done" if polls >= 3 else "pending"

    assert check_status() == "done"
    assert not_ready == [1, 2]


def test_on_exception_gives_up_after_max_tries(fake_time: FakeTime) -> None:
    giveup_called = False
    calls = 0

    def on_giveup(details: dict) -> None:
        nonlocal giveup_called
        giveup_called = True

    # The card writes constant(interval=0.01): a generator object, which the
    # package cannot call either; the working form passes the interval.
    @libbackoff.on_exception(libbackoff.constant, RuntimeError, interval=0.01, max_tries=3,
                             jitter=None, on_giveup=on_giveup)
    def always_fails() -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("always bad")

    with pytest.raises(RuntimeError, match="always bad"):
        always_fails()
    assert calls == 3 and giveup_called
    assert fake_time.sleeps == [0.01, 0.01]


def test_fibonacci_waits(fake_time: FakeTime) -> None:
    fib_waits: list[float] = []

    @libbackoff.on_exception(libbackoff.fibo, ValueError, max_tries=6, jitter=None,
                             on_backoff=lambda d: fib_waits.append(round(d["wait"], 2)))
    def fibonacci_target() -> None:
        raise ValueError("trigger fib")

    with pytest.raises(ValueError):
        fibonacci_target()
    assert fib_waits == [1, 1, 2, 3, 5]
