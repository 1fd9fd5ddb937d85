"""Cancel tokens: a triggered token stops runs before their next attempt
and wakes those asleep between attempts."""

from __future__ import annotations

import asyncio
import threading

import pytest

import libbackoff
from conftest import FakeTime, Flaky


def test_a_triggered_token_stops_the_run_before_any_attempt(fake_time: FakeTime) -> None:
    token = libbackoff.CancelToken()
    token.trigger()
    giveups: list[dict] = []
    target = Flaky(failures=0)
    decorated = libbackoff.on_exception(libbackoff.expo, ValueError, cancel=token,
                                        on_giveup=giveups.append, logger=None)(target)
    with pytest.raises(libbackoff.Cancelled):
        decorated()
    assert target.calls == 0 and giveups[0]["reason"] == "cancelled" and giveups[0]["tries"] == 0
    token.reset()
    assert not token.triggered and decorated() == "ok"


def test_triggering_between_attempts_ends_the_run_with_the_last_error(fake_time: FakeTime) -> None:
    token = libbackoff.CancelToken()

    def trigger_on_backoff(details: dict) -> None:
        if details["tries"] == 2:
            token.trigger()

    target = Flaky(failures=100)
    decorated = libbackoff.on_exception(libbackoff.expo, ValueError, jitter=None, cancel=token,
                                        on_backoff=trigger_on_backoff, logger=None)(target)
    with pytest.raises(libbackoff.Cancelled) as info:
        decorated()
    assert target.calls == 2
    assert isinstance(info.value.__cause__, ValueError) and str(info.value.__cause__) == "failure 2"


def test_a_trigger_wakes_a_thread_asleep_between_attempts() -> None:
    token = libbackoff.CancelToken()
    asleep = threading.Event()
    outcome: list[BaseException] = []

    def target() -> None:
        raise ValueError

    decorated = libbackoff.on_exception(libbackoff.constant, ValueError, interval=3600, jitter=None,
                                        cancel=token, on_backoff=lambda d: asleep.set(), logger=None)(target)

    def run() -> None:
        try:
            decorated()
        except BaseException as e:  # noqa: BLE001 - the test inspects it
            outcome.append(e)

    worker = threading.Thread(target=run)
    worker.start()
    assert asleep.wait(30)
    token.trigger()
    worker.join(30)  # an hour's wait, cut short: a liveness check, not a timing bound
    assert not worker.is_alive()
    assert isinstance(outcome[0], libbackoff.Cancelled)


def test_a_trigger_wakes_a_task_asleep_between_attempts() -> None:
    token = libbackoff.CancelToken()

    async def target() -> None:
        raise ValueError

    async def main() -> None:
        asleep = asyncio.Event()
        decorated = libbackoff.on_exception(libbackoff.constant, ValueError, interval=3600, jitter=None,
                                            cancel=token, on_backoff=lambda d: asleep.set(),
                                            logger=None)(target)
        task = asyncio.ensure_future(decorated())
        await asleep.wait()
        threading.Thread(target=token.trigger).start()  # from another thread
        with pytest.raises(libbackoff.Cancelled):
            await asyncio.wait_for(task, 30)

    asyncio.run(main())


def test_retry_context_with_a_token(fake_time: FakeTime) -> None:
    token = libbackoff.CancelToken()
    calls = 0
    with pytest.raises(libbackoff.Cancelled):
        for attempt in libbackoff.retry_context(ValueError, cancel=token, logger=None):
            with attempt:
                calls += 1
                token.trigger()
                raise ValueError
    assert calls == 1


def test_cancel_must_be_a_token() -> None:
    with pytest.raises(TypeError):
        libbackoff.on_exception(libbackoff.expo, ValueError, cancel=threading.Event())  # type: ignore[arg-type]
