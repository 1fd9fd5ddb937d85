"""retry_context / aretry_context, as in python-backoff 2.4."""

from __future__ import annotations

import asyncio
import logging

import pytest

import libbackoff
from conftest import FakeTime, run_async


def test_success_after_failures(fake_time: FakeTime) -> None:
    calls = 0
    for attempt in libbackoff.retry_context(ValueError, libbackoff.expo, max_tries=5, jitter=None, logger=None):
        with attempt:
            calls += 1
            if calls < 3:
                raise ValueError("nope")
    assert calls == 3 and fake_time.sleeps == [1, 2]


def test_defaults_retry_any_exception_with_expo(fake_time: FakeTime) -> None:
    calls = 0
    for attempt in libbackoff.retry_context(jitter=None, logger=None):
        with attempt:
            calls += 1
            if calls < 3:
                raise RuntimeError
    assert fake_time.sleeps == [1, 2]


def test_give_up_raises_the_last_exception(fake_time: FakeTime) -> None:
    calls = 0
    with pytest.raises(ValueError, match="always 3"):
        for attempt in libbackoff.retry_context(ValueError, libbackoff.constant, interval=0, max_tries=3):
            with attempt:
                calls += 1
                raise ValueError(f"always {calls}")
    assert calls == 3


def test_give_up_without_raising(fake_time: FakeTime) -> None:
    calls = 0
    for attempt in libbackoff.retry_context(ValueError, max_tries=3, raise_on_giveup=False, logger=None):
        with attempt:
            calls += 1
            raise ValueError
    assert calls == 3


def test_an_exhausted_generator_always_raises(fake_time: FakeTime) -> None:
    giveups: list[dict] = []
    calls = 0
    with pytest.raises(ValueError):
        for attempt in libbackoff.retry_context(ValueError, libbackoff.constant, interval=(0,),
                                                raise_on_giveup=False, on_giveup=giveups.append):
            with attempt:
                calls += 1
                raise ValueError
    assert calls == 2 and giveups[0]["reason"] == "exhausted"


def test_other_exceptions_propagate_at_once(fake_time: FakeTime) -> None:
    calls = 0
    with pytest.raises(KeyError):
        for attempt in libbackoff.retry_context(ValueError, max_tries=5):
            with attempt:
                calls += 1
                raise KeyError
    assert calls == 1


def test_giveup_predicate(fake_time: FakeTime) -> None:
    calls = 0
    with pytest.raises(ValueError):
        for attempt in libbackoff.retry_context(ValueError, giveup=lambda e: True, max_tries=5):
            with attempt:
                calls += 1
                raise ValueError
    assert calls == 1


def test_handlers_and_their_details(fake_time: FakeTime) -> None:
    events: list[tuple[str, dict]] = []
    calls = 0
    for attempt in libbackoff.retry_context(
        ValueError, libbackoff.constant, interval=2, jitter=None, logger=None,
        on_try=lambda d: events.append(("try", d)), on_backoff=lambda d: events.append(("backoff", d)),
        on_success=lambda d: events.append(("success", d)),
    ):
        with attempt:
            calls += 1
            if calls < 2:
                raise ValueError("once")
    assert [k for k, _ in events] == ["try", "backoff", "try", "success"]
    backoff = events[1][1]
    assert set(backoff) == {"tries", "elapsed", "wait", "exception"}
    assert backoff["wait"] == 2 and str(backoff["exception"]) == "once"
    assert set(events[3][1]) == {"tries", "elapsed"} and events[3][1]["tries"] == 2


def test_log_lines(fake_time: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="backoff")
    with pytest.raises(ValueError):
        for attempt in libbackoff.retry_context(ValueError, max_tries=2, jitter=None):
            with attempt:
                raise ValueError("down")
    assert [r.getMessage() for r in caplog.records] == [
        "Backing off retry_context(...) for 1.0s (down)",
        "Giving up retry_context(...) after 2 tries (down)",
    ]


def test_aretry_context(fake_time: FakeTime) -> None:
    backoffs: list[dict] = []

    async def on_backoff(details: dict) -> None:
        await asyncio.sleep(0)
        backoffs.append(details)

    async def main() -> int:
        calls = 0
        async for attempt in libbackoff.aretry_context(ValueError, libbackoff.expo, max_tries=5, jitter=None,
                                                       on_backoff=on_backoff, logger=None):
            with attempt:
                calls += 1
                if calls < 3:
                    raise ValueError
        return calls

    assert run_async(main()) == 3
    assert [d["wait"] for d in backoffs] == [1, 2]
    assert [s for s in fake_time.sleeps if s] == [1, 2]


def test_aretry_context_gives_up_and_awaits_giveup(fake_time: FakeTime) -> None:
    async def giveup(e: BaseException) -> bool:
        return "fatal" in str(e)

    async def main() -> None:
        async for attempt in libbackoff.aretry_context(ValueError, giveup=giveup, logger=None):
            with attempt:
                raise ValueError("fatal")

    with pytest.raises(ValueError, match="fatal"):
        run_async(main())
    assert fake_time.sleeps == []


def test_aretry_context_never_retries_cancelled_error(fake_time: FakeTime) -> None:
    giveups: list[dict] = []

    async def main() -> None:
        async for attempt in libbackoff.aretry_context(BaseException, on_giveup=giveups.append, logger=None):
            with attempt:
                raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        run_async(main())
    assert giveups[0]["reason"] == "cancelled"
