"""max_tries and max_time: counted and measured by the core after each
attempt (monotonic clock), the last wait clamped to the time left."""

from __future__ import annotations

import pytest

import libbackoff
from conftest import FakeTime, Flaky


def decorate(target: Flaky, **kwargs: object):
    kwargs.setdefault("jitter", None)
    kwargs.setdefault("logger", None)
    return libbackoff.on_exception(libbackoff.expo, ValueError, **kwargs)(target)


def test_max_tries_counts_every_attempt(fake_time: FakeTime) -> None:
    target = Flaky(failures=100)
    with pytest.raises(ValueError, match="failure 3"):
        decorate(target, max_tries=3)()
    assert target.calls == 3 and fake_time.sleeps == [1, 2]


def test_max_tries_one_never_retries(fake_time: FakeTime) -> None:
    target = Flaky(failures=100)
    with pytest.raises(ValueError):
        decorate(target, max_tries=1)()
    assert target.calls == 1 and fake_time.sleeps == []


def test_no_limit_retries_until_success(fake_time: FakeTime) -> None:
    for limit in (None, 0):  # 0 is unlimited by definition
        target = Flaky(failures=20)
        assert decorate(target, max_tries=limit, max_value=1)() == "ok"
        assert target.calls == 21


def test_negative_max_tries_is_refused() -> None:
    with pytest.raises(ValueError, match="max_tries"):
        decorate(Flaky(0), max_tries=-1)


def test_max_tries_callable_is_evaluated_once_per_call(fake_time: FakeTime) -> None:
    evaluations = []

    def limit() -> int:
        evaluations.append(1)
        return 2 if len(evaluations) == 1 else 4

    decorated = decorate(Flaky(failures=100), max_tries=limit)
    with pytest.raises(ValueError, match="failure 2"):
        decorated()
    with pytest.raises(ValueError, match="failure 6"):
        decorated()
    assert len(evaluations) == 2


def test_max_time_clamps_the_last_wait(fake_time: FakeTime) -> None:
    giveups: list[dict] = []
    target = Flaky(failures=100, clock=fake_time, cost=0.5)
    with pytest.raises(ValueError):
        decorate(target, max_time=10, on_giveup=giveups.append)()
    # attempts end at 0.5, 2, 4.5, 9 (elapsed): the 4th wait, 8, is cut to
    # the 1 s left; the 5th attempt ends at 10.5, past the limit.
    assert fake_time.sleeps == [1, 2, 4, 1]
    assert target.calls == 5
    assert giveups[0]["elapsed"] == pytest.approx(10.5)
    assert giveups[0]["reason"] == "time"


def test_a_slow_attempt_past_max_time_is_not_retried(fake_time: FakeTime) -> None:
    target = Flaky(failures=100, clock=fake_time, cost=30)
    with pytest.raises(ValueError, match="failure 1"):
        decorate(target, max_time=20)()
    assert target.calls == 1 and fake_time.sleeps == []


def test_max_time_callable_is_evaluated_once_per_call(fake_time: FakeTime) -> None:
    limits = iter([3.0, 7.0])
    decorated = decorate(Flaky(failures=100, clock=fake_time, cost=0), max_time=lambda: next(limits))
    with pytest.raises(ValueError):
        decorated()
    assert fake_time.sleeps == [1, 2]
    fake_time.sleeps.clear()
    with pytest.raises(ValueError):
        decorated()
    assert fake_time.sleeps == [1, 2, 4]


def test_max_time_zero_gives_up_after_the_first_failure(fake_time: FakeTime) -> None:
    target = Flaky(failures=100)
    with pytest.raises(ValueError):
        decorate(target, max_time=0)()
    assert target.calls == 1


def test_both_limits_the_first_reached_wins(fake_time: FakeTime) -> None:
    giveups: list[dict] = []
    target = Flaky(failures=100, clock=fake_time, cost=1)
    with pytest.raises(ValueError):
        decorate(target, max_tries=10, max_time=4, on_giveup=giveups.append)()
    # attempts end at 1 and 3: the second wait (2) is cut to the 1 s left
    assert fake_time.sleeps == [1, 1] and target.calls == 3
    target = Flaky(failures=100, clock=fake_time, cost=1)
    with pytest.raises(ValueError):
        decorate(target, max_tries=2, max_time=100, on_giveup=giveups.append)()
    assert target.calls == 2
    assert [d["reason"] for d in giveups] == ["time", "tries"]
