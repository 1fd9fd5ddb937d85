"""on_predicate: retry on return values."""

from __future__ import annotations

import pytest

import libbackoff
from conftest import FakeTime


def test_the_default_predicate_retries_falsy_values(fake_time: FakeTime) -> None:
    values = iter([None, 0, "", [], "ready"])
    decorated = libbackoff.on_predicate(libbackoff.expo, jitter=None, logger=None)(lambda: next(values))
    assert decorated() == "ready"
    assert fake_time.sleeps == [1, 2, 4, 8]


def test_a_predicate_decides(fake_time: FakeTime) -> None:
    values = iter([500, 503, 200])
    decorated = libbackoff.on_predicate(libbackoff.constant, lambda status: status >= 500, interval=2,
                                        jitter=None)(lambda: next(values))
    assert decorated() == 200 and fake_time.sleeps == [2, 2]


def test_giving_up_returns_the_last_value(fake_time: FakeTime) -> None:
    values = iter(range(10))
    giveups: list[dict] = []
    decorated = libbackoff.on_predicate(libbackoff.expo, lambda v: True, max_tries=3, jitter=None,
                                        on_giveup=giveups.append, logger=None)(lambda: next(values))
    assert decorated() == 2
    assert giveups[0]["value"] == 2 and "exception" not in giveups[0]


def test_an_exception_propagates_at_once(fake_time: FakeTime) -> None:
    events: list[str] = []

    def target() -> None:
        raise ConnectionError

    decorated = libbackoff.on_predicate(
        libbackoff.expo, on_backoff=lambda d: events.append("backoff"),
        on_giveup=lambda d: events.append("giveup"), logger=None)(target)
    with pytest.raises(ConnectionError):
        decorated()
    assert events == [] and fake_time.sleeps == []


def test_a_failing_predicate_propagates(fake_time: FakeTime) -> None:
    def broken(value: object) -> bool:
        raise LookupError

    with pytest.raises(LookupError):
        libbackoff.on_predicate(libbackoff.expo, broken)(lambda: 1)()


def test_max_time_with_a_slow_poll(fake_time: FakeTime) -> None:
    def poll() -> str:
        fake_time.advance(2)
        return "pending"

    decorated = libbackoff.on_predicate(libbackoff.constant, lambda s: s == "pending", interval=5,
                                        max_time=10, jitter=None, logger=None)(poll)
    assert decorated() == "pending"
    # polls end at 2, 9 and 12: the second wait is cut to the 1 s left
    assert fake_time.sleeps == [5, 1]
