"""Each wait generator's exact values, computed by the core (jitter=None),
against the package's own generators."""

from __future__ import annotations

import itertools
import math

import pytest

import libbackoff
from conftest import FakeTime, Flaky


def waits_of(fake_time: FakeTime, wait_gen: object, tries: int, **kwargs: object) -> list[float]:
    seen: list[float] = []
    fake_time.sleeps.clear()
    target = libbackoff.on_exception(
        wait_gen, ValueError, max_tries=tries, jitter=None, logger=None,
        on_backoff=lambda d: seen.append(d["wait"]), **kwargs,
    )(Flaky(failures=10**6))
    with pytest.raises(ValueError):
        target()
    assert fake_time.sleeps == seen  # the waits handlers see are the ones slept
    return seen


def first(generator_function: object, n: int, **kwargs: object) -> list[float]:
    g = generator_function(**kwargs)  # type: ignore[operator]
    g.send(None)
    return [g.send(None) for _ in range(n)]


def test_expo_defaults(fake_time: FakeTime) -> None:
    assert waits_of(fake_time, libbackoff.expo, 6) == [1, 2, 4, 8, 16]


def test_expo_base_factor_and_cap(fake_time: FakeTime) -> None:
    assert waits_of(fake_time, libbackoff.expo, 7, max_value=16) == [1, 2, 4, 8, 16, 16]
    assert waits_of(fake_time, libbackoff.expo, 5, base=3, factor=0.5) == [0.5, 1.5, 4.5, 13.5]


def test_expo_does_not_overflow(fake_time: FakeTime) -> None:
    waits = waits_of(fake_time, libbackoff.expo, 1100)
    assert waits[1023] == 2.0**1023
    assert math.isfinite(waits[-1]) and waits[-1] == waits[-2]


def test_fibo(fake_time: FakeTime) -> None:
    assert waits_of(fake_time, libbackoff.fibo, 8) == [1, 1, 2, 3, 5, 8, 13]
    assert waits_of(fake_time, libbackoff.fibo, 7, max_value=5) == [1, 1, 2, 3, 5, 5]


def test_constant(fake_time: FakeTime) -> None:
    assert waits_of(fake_time, libbackoff.constant, 4) == [1, 1, 1]
    assert waits_of(fake_time, libbackoff.constant, 4, interval=2.5) == [2.5, 2.5, 2.5]


def test_constant_sequence_gives_up_when_exhausted(fake_time: FakeTime) -> None:
    giveups: list[dict] = []
    target = Flaky(failures=100)
    decorated = libbackoff.on_exception(
        libbackoff.constant, ValueError, interval=[1, 2, 3], jitter=None,
        on_giveup=giveups.append, logger=None,
    )(target)
    with pytest.raises(ValueError, match="failure 4"):
        decorated()
    assert fake_time.sleeps == [1, 2, 3]
    assert target.calls == 4
    assert giveups[0]["reason"] == "exhausted"


def test_constant_over_any_iterable_runs_in_python(fake_time: FakeTime) -> None:
    # A generator object is no sequence: it is walked as the package does.
    waits = waits_of(fake_time, libbackoff.constant, 10, interval=lambda: (x / 2 for x in range(3)))
    assert waits == [0.0, 0.5, 1.0]


def test_decay(fake_time: FakeTime) -> None:
    waits = waits_of(fake_time, libbackoff.decay, 5, initial_value=8, decay_factor=0.5, min_value=1)
    assert waits == pytest.approx([8, 8 * math.e**-0.5, 8 * math.e**-1, 8 * math.e**-1.5])
    assert waits_of(fake_time, libbackoff.decay, 5, initial_value=8, decay_factor=1, min_value=2) == [
        8, pytest.approx(8 * math.e**-1), 2, 2]


def test_runtime_uses_the_exception(fake_time: FakeTime) -> None:
    class Throttled(Exception):
        def __init__(self, seconds: float) -> None:
            self.seconds = seconds

    attempts = iter([Throttled(3), Throttled(7), None])

    @libbackoff.on_exception(libbackoff.runtime, Throttled, value=lambda e: e.seconds, jitter=None)
    def call() -> str:
        error = next(attempts)
        if error is not None:
            raise error
        return "done"

    assert call() == "done"
    assert fake_time.sleeps == [3, 7]


def test_runtime_on_predicate_uses_the_value(fake_time: FakeTime) -> None:
    values = iter([4, 9, 0])
    decorated = libbackoff.on_predicate(libbackoff.runtime, lambda v: v > 0, value=lambda v: v / 2, jitter=None)(
        lambda: next(values))
    assert decorated() == 0
    assert fake_time.sleeps == [2, 4.5]


def test_a_users_own_generator(fake_time: FakeTime) -> None:
    def steps(start: float, step: float):  # the package's protocol: primed first
        yield
        for n in itertools.count():
            yield start + n * step

    assert waits_of(fake_time, steps, 4, start=0.5, step=0.25) == [0.5, 0.75, 1.0]


def test_a_generator_that_stops_gives_up(fake_time: FakeTime) -> None:
    def two():
        yield
        yield 1
        yield 2

    target = Flaky(failures=100)
    with pytest.raises(ValueError):
        libbackoff.on_exception(two, ValueError, jitter=None)(target)()
    assert target.calls == 3 and fake_time.sleeps == [1, 2]


def test_a_generator_yielding_a_negative_wait_is_an_error(fake_time: FakeTime) -> None:
    def bad():
        yield
        yield -1

    with pytest.raises(ValueError, match="waits are finite and >= 0"):
        libbackoff.on_exception(bad, KeyError, jitter=None)(Flaky(1, KeyError))()


def test_callable_arguments_are_evaluated_for_every_call(fake_time: FakeTime) -> None:
    factors = iter([1, 10])
    decorated = libbackoff.on_exception(
        libbackoff.expo, ValueError, factor=lambda: next(factors), max_tries=3, jitter=None, logger=None)
    for _ in range(2):
        with pytest.raises(ValueError):
            decorated(Flaky(failures=5))()
    assert fake_time.sleeps == [1, 2, 10, 20]


def test_parameters_the_core_refuses_run_the_package_generator(fake_time: FakeTime) -> None:
    # base=0 is legal for the package's generator (1*0**0 = 1, then 0).
    assert waits_of(fake_time, libbackoff.expo, 4, base=0) == [1, 0, 0]


def test_a_misspelt_generator_argument_fails_at_decoration() -> None:
    with pytest.raises(TypeError):
        libbackoff.on_exception(libbackoff.expo, ValueError, bass=3)


@pytest.mark.parametrize(
    "generator, kwargs",
    [
        (libbackoff.expo, {}),
        (libbackoff.expo, {"base": 1.5, "factor": 0.3, "max_value": 7}),
        (libbackoff.fibo, {"max_value": 30}),
        (libbackoff.constant, {"interval": 0.7}),
        (libbackoff.decay, {"initial_value": 5, "decay_factor": 0.3, "min_value": 1}),
    ],
)
def test_the_core_gives_the_package_generators_values(
    fake_time: FakeTime, generator: object, kwargs: dict
) -> None:
    assert waits_of(fake_time, generator, 13, **kwargs) == pytest.approx(first(generator, 12, **kwargs), rel=1e-12)
