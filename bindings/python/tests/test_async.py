"""async def: waits through asyncio.sleep, async handlers awaited, and
CancelledError never retried."""

from __future__ import annotations

import asyncio
import inspect

import pytest

import libbackoff
from conftest import FakeTime, run_async


class AsyncFlaky:
    def __init__(self, failures: int, error: type[BaseException] = ValueError) -> None:
        self.failures = failures
        self.error = error
        self.calls = 0

    async def __call__(self, *args: object, **kwargs: object) -> str:
        self.calls += 1
        await asyncio.sleep(0)  # a real suspension point
        if self.calls <= self.failures:
            raise self.error(f"failure {self.calls}")
        return "ok"


def test_async_functions_stay_coroutine_functions() -> None:
    async def fetch(x: int) -> int:
        return x

    decorated = libbackoff.on_exception(libbackoff.expo, ValueError)(fetch)
    assert inspect.iscoroutinefunction(decorated) and decorated.__name__ == "fetch"
    assert run_async(decorated(7)) == 7


def test_waits_go_through_asyncio_sleep(fake_time: FakeTime) -> None:
    target = AsyncFlaky(failures=3)
    decorated = libbackoff.on_exception(libbackoff.expo, ValueError, jitter=None, logger=None)(target)
    assert run_async(decorated()) == "ok"
    # the fake records the attempts' own asyncio.sleep(0) too
    assert [s for s in fake_time.sleeps if s] == [1, 2, 4]


def test_no_thread_is_blocked_while_waiting(fake_time: FakeTime) -> None:
    order: list[str] = []

    async def target() -> str:
        order.append("attempt")
        if order.count("attempt") < 3:
            raise ValueError
        return "ok"

    async def other() -> None:
        for _ in range(3):
            order.append("other")
            await asyncio.sleep(0)

    async def main() -> None:
        decorated = libbackoff.on_exception(libbackoff.expo, ValueError, jitter=None, logger=None)(target)
        await asyncio.gather(decorated(), other())

    run_async(main())
    assert order.index("other") < order.index("attempt", 1)  # the loop ran other() while the run waited


def test_the_unpatched_asyncio_sleep_is_used() -> None:
    target = AsyncFlaky(failures=2)
    decorated = libbackoff.on_exception(libbackoff.constant, ValueError, interval=0, jitter=None)(target)
    assert run_async(decorated()) == "ok" and target.calls == 3


def test_async_handlers_are_awaited_and_sync_ones_called(fake_time: FakeTime) -> None:
    events: list[tuple[str, int]] = []

    async def on_backoff(details: dict) -> None:
        await asyncio.sleep(0)
        events.append(("async backoff", details["tries"]))

    decorated = libbackoff.on_exception(
        libbackoff.expo, ValueError, jitter=None, logger=None,
        on_backoff=[on_backoff, lambda d: events.append(("sync backoff", d["tries"]))],
        on_success=on_backoff)(AsyncFlaky(failures=1))
    run_async(decorated())
    assert events == [("async backoff", 1), ("sync backoff", 1), ("async backoff", 2)]


def test_an_async_giveup(fake_time: FakeTime) -> None:
    async def giveup(e: BaseException) -> bool:
        await asyncio.sleep(0)
        return True

    target = AsyncFlaky(failures=5)
    decorated = libbackoff.on_exception(libbackoff.expo, ValueError, giveup=giveup, logger=None)(target)
    with pytest.raises(ValueError):
        run_async(decorated())
    assert target.calls == 1


def test_give_up_and_non_matching_exceptions(fake_time: FakeTime) -> None:
    target = AsyncFlaky(failures=5)
    with pytest.raises(ValueError, match="failure 3"):
        run_async(libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=3, logger=None)(target)())
    other = AsyncFlaky(failures=5, error=KeyError)
    with pytest.raises(KeyError):
        run_async(libbackoff.on_exception(libbackoff.expo, ValueError, logger=None)(other)())
    assert other.calls == 1
    quiet = libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=2, raise_on_giveup=False,
                                    logger=None)(AsyncFlaky(failures=5))
    assert run_async(quiet()) is None


def test_a_cancelled_error_from_the_attempt_is_never_retried(fake_time: FakeTime) -> None:
    giveups: list[dict] = []
    target = AsyncFlaky(failures=5, error=asyncio.CancelledError)
    decorated = libbackoff.on_exception(libbackoff.expo, BaseException, on_giveup=giveups.append,
                                        logger=None)(target)
    with pytest.raises(asyncio.CancelledError):
        run_async(decorated())
    assert target.calls == 1 and giveups[0]["reason"] == "cancelled"


def test_cancelling_the_task_while_it_waits_cancels_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    giveups: list[dict] = []
    sleeping = asyncio.Event()

    async def forever(seconds: float) -> None:
        sleeping.set()
        await asyncio.get_running_loop().create_future()

    async def main() -> None:
        monkeypatch.setattr(asyncio, "sleep", forever)
        decorated = libbackoff.on_exception(libbackoff.expo, ValueError, on_giveup=giveups.append,
                                            logger=None)(AsyncFlaky(failures=5))
        task = asyncio.ensure_future(decorated())
        await sleeping.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert len(giveups) == 1 and giveups[0]["reason"] == "cancelled"
    assert giveups[0]["tries"] == 1


def test_async_on_predicate(fake_time: FakeTime) -> None:
    values = iter([None, None, "ready"])

    async def poll() -> str | None:
        return next(values)

    decorated = libbackoff.on_predicate(libbackoff.fibo, jitter=None, logger=None)(poll)
    assert run_async(decorated()) == "ready"
    assert fake_time.sleeps == [1, 1]


def test_async_logging(fake_time: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.INFO, logger="backoff")

    async def fetch() -> None:
        raise ValueError("down")

    with pytest.raises(ValueError):
        run_async(libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=2, jitter=None)(fetch)())
    assert [r.getMessage() for r in caplog.records] == [
        "Backing off fetch(...) for 1.0s (ValueError: down)",
        "Giving up fetch(...) after 2 tries (ValueError: down)",
    ]
