"""Server hints: parse_retry_after, and RetryAfter handing the run a wait."""

from __future__ import annotations

import pytest

import libbackoff
from conftest import FakeTime

NOW = 784111777.0  # Sun, 06 Nov 1994 08:49:37 GMT


@pytest.mark.parametrize(
    "value, seconds",
    [
        ("120", 120.0),
        ("  0 ", 0.0),
        ("Sun, 06 Nov 1994 08:51:37 GMT", 120.0),
        ("Sunday, 06-Nov-94 08:50:37 GMT", 60.0),
        ("Sun Nov  6 08:49:47 1994", 10.0),
        ("Sun, 06 Nov 1994 08:00:00 GMT", 0.0),  # in the past
        (b"30", 30.0),
    ],
)
def test_parse_retry_after(value: str, seconds: float) -> None:
    assert libbackoff.parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize("value", ["", "soon", "-5", "1.5", "Sun, 06 Nov 1994 08:51:37 UTC"])
def test_parse_retry_after_refuses_anything_else(value: str) -> None:
    with pytest.raises(ValueError):
        libbackoff.parse_retry_after(value, NOW)


def test_parse_retry_after_defaults_to_now() -> None:
    assert libbackoff.parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT") == 0.0


def test_retry_after_values() -> None:
    assert libbackoff.RetryAfter(12).retry_after == 12.0
    assert libbackoff.RetryAfter("7").retry_after == 7.0
    assert libbackoff.RetryAfter("whenever").retry_after is None
    assert libbackoff.RetryAfter(None).retry_after is None
    assert str(libbackoff.RetryAfter(3, "slow down")) == "slow down"


def test_a_hint_replaces_the_generated_wait(fake_time: FakeTime) -> None:
    errors = iter([libbackoff.RetryAfter(30), ValueError(), libbackoff.RetryAfter("5"), None])

    @libbackoff.on_exception(libbackoff.expo, Exception, logger=None)  # default full jitter
    def call() -> str:
        error = next(errors)
        if error is not None:
            raise error
        return "ok"

    assert call() == "ok"
    hinted = [fake_time.sleeps[0], fake_time.sleeps[2]]
    assert hinted == [30, 5]  # exactly: no jitter
    assert 0 <= fake_time.sleeps[1] <= 1  # the generator did not advance for the hint


def test_a_subclass_may_carry_its_own_hint(fake_time: FakeTime) -> None:
    class RateLimited(libbackoff.RetryAfter):
        def __init__(self, retry_after: float) -> None:
            super().__init__(retry_after, f"rate limited for {retry_after}s")

    calls = 0

    @libbackoff.on_exception(libbackoff.expo, RateLimited, max_tries=3, jitter=None, logger=None)
    def call() -> None:
        nonlocal calls
        calls += 1
        raise RateLimited(calls * 10)

    with pytest.raises(RateLimited):
        call()
    assert fake_time.sleeps == [10, 20]


def test_a_hint_on_a_non_matching_exception_is_ignored(fake_time: FakeTime) -> None:
    @libbackoff.on_exception(libbackoff.expo, KeyError, logger=None)
    def call() -> None:
        raise libbackoff.RetryAfter(5)

    with pytest.raises(libbackoff.RetryAfter):
        call()
    assert fake_time.sleeps == []


def test_a_hint_beyond_max_time_gives_up_at_once(fake_time: FakeTime) -> None:
    giveups: list[dict] = []

    @libbackoff.on_exception(libbackoff.expo, libbackoff.RetryAfter, max_time=60, on_giveup=giveups.append,
                             logger=None)
    def call() -> None:
        raise libbackoff.RetryAfter(3600)

    with pytest.raises(libbackoff.RetryAfter):
        call()
    assert fake_time.sleeps == []  # no sleeping towards a deadline the server says will pass
    assert giveups[0]["reason"] == "time" and giveups[0]["hint"] == 3600


def test_the_hint_shows_in_the_details(fake_time: FakeTime) -> None:
    backoffs: list[dict] = []
    errors = iter([libbackoff.RetryAfter(2), ValueError(), KeyError()])

    @libbackoff.on_exception(libbackoff.expo, Exception, max_tries=3, jitter=None, on_backoff=backoffs.append,
                             logger=None)
    def call() -> None:
        raise next(errors)

    with pytest.raises(KeyError):
        call()
    assert backoffs[0]["hint"] == 2 and backoffs[0]["wait"] == 2
    assert "hint" not in backoffs[1]


def test_a_spec_caps_hints(fake_time: FakeTime) -> None:
    policy = libbackoff.Policy.from_spec("expo jitter=none hint-max=10")

    @libbackoff.on_exception(policy, libbackoff.RetryAfter, logger=None)
    def call() -> None:
        raise libbackoff.RetryAfter(11)

    with pytest.raises(libbackoff.RetryAfter):
        call()
    assert fake_time.sleeps == []
