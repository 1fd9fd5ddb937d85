"""Retry budgets: a Budget shared by decorated functions caps their retries
at a ratio of recent first attempts (plus a floor)."""

from __future__ import annotations

import pytest

import libbackoff
from conftest import FakeTime, Flaky


def test_a_budget_refuses_retries_beyond_its_ratio(fake_time: FakeTime) -> None:
    budget = libbackoff.Budget(ratio=0.5, min_per_second=0, window=10)
    giveups: list[dict] = []
    a = libbackoff.on_exception(libbackoff.constant, ValueError, interval=0, jitter=None, budget=budget,
                                on_giveup=giveups.append, logger=None)
    first = Flaky(failures=100)
    with pytest.raises(ValueError):
        a(first)()  # 1 first attempt: 0.5 retries allowed, so none
    assert first.calls == 1 and giveups[-1]["reason"] == "budget"
    healthy = a(lambda: "ok")
    for _ in range(3):
        healthy()  # 4 first attempts now: 2 retries allowed
    second = Flaky(failures=100)
    with pytest.raises(ValueError):
        a(second)()
    assert second.calls == 3  # the 5th first attempt: 2.5 retries allowed
    stats = budget.stats()
    assert stats["total_first_attempts"] == 5 and stats["total_retries"] == 2
    assert stats["total_refusals"] == 2 and stats["ratio"] == 0.5


def test_the_window_moves_with_a_patched_clock(fake_time: FakeTime) -> None:
    budget = libbackoff.Budget(ratio=0, min_per_second=0.1, window=10)  # one retry per window
    decorated = libbackoff.on_exception(libbackoff.constant, ValueError, interval=0, jitter=None,
                                        budget=budget, logger=None)
    target = Flaky(failures=100)
    with pytest.raises(ValueError):
        decorated(target)()
    assert target.calls == 2
    fake_time.advance(11)
    target = Flaky(failures=100)
    with pytest.raises(ValueError):
        decorated(target)()
    assert target.calls == 2


def test_a_budget_in_a_spec_is_private_to_each_function(fake_time: FakeTime) -> None:
    policy = libbackoff.Policy.from_spec("constant(interval=0) jitter=none budget(ratio=0,min=0.1,window=10)")
    assert "budget(ratio=0,min=0.1,window=10)" in policy.spec
    for _ in range(2):
        target = Flaky(failures=100)
        with pytest.raises(ValueError):
            libbackoff.on_exception(policy, ValueError, logger=None)(target)()
        assert target.calls == 2  # each decorated function has its own budget


def test_bad_budgets_are_refused() -> None:
    with pytest.raises(ValueError):
        libbackoff.Budget(window=0)
    with pytest.raises(ValueError):
        libbackoff.Budget(ratio=-1)
    with pytest.raises(TypeError):
        libbackoff.on_exception(libbackoff.expo, ValueError, budget=0.2)  # type: ignore[arg-type]
    assert repr(libbackoff.Budget()) == "Budget(ratio=0.2, min_per_second=10.0, window=10.0)"
