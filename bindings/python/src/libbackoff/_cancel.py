"""Cancel tokens: stop every run that uses one, including runs asleep
between attempts, in threads or in asyncio tasks."""

from __future__ import annotations

import asyncio
import threading

from . import _core


class Cancelled(Exception):
    """A run was stopped by its CancelToken. Its ``__cause__`` is the last
    attempt's exception, if there was one."""


class CancelToken:
    """Triggering it stops every run given it (``cancel=token``): a run
    asleep between attempts wakes at once, and no run starts another
    attempt; each ends with its on_giveup handlers and raises Cancelled.
    An attempt already running is not interrupted. Thread-safe."""

    __slots__ = ("_token", "_event", "_lock", "_waiters")

    def __init__(self) -> None:
        self._token = _core.Token()
        self._event = threading.Event()  # wakes sync sleepers
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()

    @property
    def triggered(self) -> bool:
        return self._token.triggered

    def trigger(self) -> None:
        """Stops the runs. Triggering twice is harmless."""
        self._token.trigger()
        self._event.set()
        with self._lock:
            waiters = list(self._waiters)
        for loop, future in waiters:
            loop.call_soon_threadsafe(_wake, future)

    def reset(self) -> None:
        """Untriggers the token, for runs started later."""
        self._token.reset()
        self._event.clear()

    async def _sleep(self, seconds: float) -> None:
        """asyncio.sleep(seconds) that a trigger cuts short."""
        if self.triggered:
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        waiter = (loop, future)
        with self._lock:
            self._waiters.add(waiter)
        timer = loop.call_later(seconds, _wake, future)
        try:
            await future
        finally:
            timer.cancel()
            with self._lock:
                self._waiters.discard(waiter)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
