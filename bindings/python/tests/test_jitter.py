"""Jitter: applied by the core to each generated wait, before the max_time
clamp; the package's functions and bounds."""

from __future__ import annotations

import pytest

import libbackoff
from conftest import FakeTime, Flaky


def run_waits(wait_gen: object, tries: int, **kwargs: object) -> list[float]:
    seen: list[float] = []
    decorated = libbackoff.on_exception(
        wait_gen, ValueError, max_tries=tries, logger=None,
        on_backoff=lambda d: seen.append(d["wait"]), **kwargs)(Flaky(failures=10**6))
    with pytest.raises(ValueError):
        decorated()
    return seen


def test_full_jitter_is_the_default_and_stays_in_bounds(fake_time: FakeTime) -> None:
    waits = run_waits(libbackoff.expo, 200, max_value=8)
    caps = [min(2.0**n, 8) for n in range(199)]
    assert all(0 <= w <= cap for w, cap in zip(waits, caps))
    assert len(set(waits)) > 150  # really random, not the cap


def test_random_jitter_adds_up_to_one_second(fake_time: FakeTime) -> None:
    waits = run_waits(libbackoff.constant, 200, interval=3, jitter=libbackoff.random_jitter)
    assert all(3 <= w < 4 for w in waits)
    assert len(set(waits)) > 150


def test_no_jitter_gives_the_exact_values(fake_time: FakeTime) -> None:
    assert run_waits(libbackoff.constant, 5, interval=3, jitter=None) == [3, 3, 3, 3]


def test_a_jitter_function_sees_every_generated_value(fake_time: FakeTime) -> None:
    seen: list[float] = []

    def half(value: float) -> float:
        seen.append(value)
        return value / 2

    assert run_waits(libbackoff.expo, 5, jitter=half) == [0.5, 1, 2, 4]
    assert seen == [1, 2, 4, 8]


def test_jitter_is_applied_before_the_max_time_clamp(fake_time: FakeTime) -> None:
    decorated = libbackoff.on_exception(
        libbackoff.constant, ValueError, interval=10, jitter=lambda w: w * 2, max_time=15,
        logger=None)(Flaky(failures=10**6))
    with pytest.raises(ValueError):
        decorated()
    assert fake_time.sleeps == [15]  # 20 after jitter, cut to the 15 s left


def test_a_failing_jitter_function_propagates(fake_time: FakeTime) -> None:
    def broken(value: float) -> float:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        libbackoff.on_exception(libbackoff.expo, ValueError, jitter=broken)(Flaky(1))()


def test_the_package_jitter_functions() -> None:
    for _ in range(1000):
        assert 0 <= libbackoff.full_jitter(2.0) <= 2.0
        assert 2.0 <= libbackoff.random_jitter(2.0) < 3.0


def test_a_seeded_policy_gives_the_same_waits_every_run(fake_time: FakeTime) -> None:
    policy = libbackoff.Policy.from_spec("expo(base=2,factor=1,max=30) jitter=full seed=7")
    first = run_waits(policy, 8)
    second = run_waits(policy, 8)
    assert first == second and len(set(first)) == 7
