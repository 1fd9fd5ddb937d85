"""Time is injected the way users of the backoff package inject it: by
monkeypatching time.monotonic, time.sleep and asyncio.sleep. The binding
must see the patches (and only then call Python for its clock and sleep)."""

from __future__ import annotations

import asyncio
import time

import pytest


class FakeTime:
    """A clock that moves only when something sleeps or an attempt says it
    took time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await _yield()

    def advance(self, seconds: float) -> None:
        self.now += seconds


_original_asyncio_sleep = asyncio.sleep


async def _yield() -> None:
    await _original_asyncio_sleep(0)


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(time, "monotonic", fake.monotonic)
    monkeypatch.setattr(time, "sleep", fake.sleep)
    monkeypatch.setattr(asyncio, "sleep", fake.async_sleep)
    return fake


class Flaky:
    """A target that fails `failures` times (raising `error`), then returns
    `value`; each attempt takes `cost` seconds of fake time."""

    def __init__(self, failures: int, error: type[BaseException] = ValueError,
                 value: object = "ok", clock: FakeTime | None = None, cost: float = 0.0) -> None:
        self.failures = failures
        self.error = error
        self.value = value
        self.calls = 0
        self.clock = clock
        self.cost = cost

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        if self.clock is not None:
            self.clock.advance(self.cost)
        if self.calls <= self.failures:
            raise self.error(f"failure {self.calls}")
        return self.value


def run_async(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]
