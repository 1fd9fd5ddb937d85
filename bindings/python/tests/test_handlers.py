"""Handlers: when each runs, in which order, and the details they get."""

from __future__ import annotations

import pytest

import libbackoff
from conftest import FakeTime, Flaky


def test_details_of_on_exception(fake_time: FakeTime) -> None:
    events: list[tuple[str, dict]] = []
    target = Flaky(failures=2, clock=fake_time, cost=0.25)

    def record(kind: str):
        return lambda details: events.append((kind, details))

    decorated = libbackoff.on_exception(
        libbackoff.expo, ValueError, jitter=None, logger=None,
        on_try=record("try"), on_backoff=record("backoff"), on_success=record("success"),
        on_giveup=record("giveup"))(target)
    assert decorated(1, key="v") == "ok"
    kinds = [k for k, _ in events]
    assert kinds == ["try", "backoff", "try", "backoff", "try", "success"]
    for _, d in events:
        assert d["target"] is target and d["args"] == (1,) and d["kwargs"] == {"key": "v"}
    backoff = events[1][1]
    assert set(backoff) == {"target", "args", "kwargs", "tries", "elapsed", "wait", "exception"}
    assert backoff["tries"] == 1 and backoff["wait"] == 1.0
    assert backoff["elapsed"] == pytest.approx(0.25)  # measured after the attempt
    assert str(backoff["exception"]) == "failure 1"
    second = events[3][1]
    assert second["tries"] == 2 and second["wait"] == 2.0 and second["elapsed"] == pytest.approx(1.5)
    success = events[5][1]
    assert set(success) == {"target", "args", "kwargs", "tries", "elapsed"}
    assert success["tries"] == 3 and success["elapsed"] == pytest.approx(3.75)
    assert set(events[0][1]) == {"target", "args", "kwargs", "tries", "elapsed"}


def test_details_of_a_give_up(fake_time: FakeTime) -> None:
    giveups: list[dict] = []
    decorated = libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=2, jitter=None,
                                        on_giveup=giveups.append, logger=None)(Flaky(9))
    with pytest.raises(ValueError):
        decorated()
    (d,) = giveups
    assert set(d) == {"target", "args", "kwargs", "tries", "elapsed", "exception", "reason"}
    assert d["tries"] == 2 and d["reason"] == "tries" and str(d["exception"]) == "failure 2"


def test_details_of_on_predicate(fake_time: FakeTime) -> None:
    events: list[tuple[str, dict]] = []
    values = iter([0, 0, 5])
    decorated = libbackoff.on_predicate(
        libbackoff.expo, jitter=None, logger=None,
        on_backoff=lambda d: events.append(("backoff", d)),
        on_success=lambda d: events.append(("success", d)))(lambda: next(values))
    assert decorated() == 5
    assert [(k, d.get("value"), d.get("wait")) for k, d in events] == [
        ("backoff", 0, 1.0), ("backoff", 0, 2.0), ("success", 5, None)]


def test_lists_of_handlers_run_in_order(fake_time: FakeTime) -> None:
    order: list[str] = []
    decorated = libbackoff.on_exception(
        libbackoff.expo, ValueError, jitter=None, logger=None,
        on_backoff=[lambda d: order.append("a"), lambda d: order.append("b")],
        on_success=(lambda d: order.append("c"),))(Flaky(1))
    decorated()
    assert order == ["a", "b", "c"]


def test_on_backoff_runs_before_the_sleep(fake_time: FakeTime) -> None:
    slept_before: list[int] = []
    decorated = libbackoff.on_exception(
        libbackoff.expo, ValueError, jitter=None, logger=None,
        on_backoff=lambda d: slept_before.append(len(fake_time.sleeps)))(Flaky(2))
    decorated()
    assert slept_before == [0, 1]


def test_a_failing_handler_propagates_and_ends_the_call(fake_time: FakeTime) -> None:
    def broken(details: dict) -> None:
        raise RuntimeError("handler broke")

    target = Flaky(5)
    with pytest.raises(RuntimeError, match="handler broke"):
        libbackoff.on_exception(libbackoff.expo, ValueError, on_backoff=broken, logger=None)(target)()
    assert target.calls == 1 and fake_time.sleeps == []


def test_handlers_may_keep_the_details(fake_time: FakeTime) -> None:
    kept: list[dict] = []
    libbackoff.on_exception(libbackoff.expo, ValueError, jitter=None, logger=None,
                            on_backoff=kept.append)(Flaky(2))("x")
    assert [d["args"] for d in kept] == [("x",), ("x",)]
    assert kept[0] is not kept[1]
