"""The async drivers: the decorator for ``async def`` functions and
aretry_context. They drive the core's state machine from the event loop:
waits are awaited with asyncio.sleep (no thread is blocked), handlers that
return awaitables are awaited, and a CancelledError (from the attempt or
from the sleep) is never retried: it ends the run as cancelled, then
propagates."""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import AsyncGenerator, Callable, Coroutine
from typing import Any, TypeVar

from . import _core
from ._attempt import Attempt
from ._judge import label_async
from ._settings import Settings, target_name

T = TypeVar("T")


async def _call_pending(run: Any) -> None:
    pending = run.take()
    if pending is not None:
        handlers, details = pending
        for handler in handlers:
            result = handler(details)
            if inspect.isawaitable(result):
                await result


async def _end_cancelled(run: Any) -> None:
    run.cancel()
    await _call_pending(run)


async def _sleep(settings: Settings, run: Any, wait: float) -> None:
    """asyncio.sleep, looked up now (a test may have replaced it); a token
    cuts it short. Interrupted, the run ends as cancelled."""
    try:
        if settings.cancel is not None and asyncio.sleep is _original_sleep:
            await settings.cancel._sleep(wait)
        else:
            await asyncio.sleep(wait)
    except BaseException:
        await _end_cancelled(run)
        raise


_original_sleep = asyncio.sleep


def retrying(settings: Settings, target: Callable[..., Coroutine[Any, Any, T]]) -> Callable[..., Coroutine[Any, Any, T]]:
    retrier = settings.retrier(target_name(target))
    predicate = settings.predicate
    on_predicate = settings.mode == _core.MODE_PREDICATE

    @functools.wraps(target)
    async def retry(*args: Any, **kwargs: Any) -> T:
        run = _core.Run(retrier, target, args, kwargs)
        while True:
            status = run.begin()
            await _call_pending(run)
            if status == _core.CANCELLED:
                return run.result(status)  # type: ignore[no-any-return]
            try:
                value = await target(*args, **kwargs)
            except asyncio.CancelledError:
                await _end_cancelled(run)
                raise
            except BaseException as exception:
                if on_predicate:
                    rc, hint = _core.RC_PASS_THROUGH, None
                else:
                    rc, hint = await label_async(settings, exception)
                status, wait = run.next(rc, exception, True, hint)
            else:
                rc = _core.RC_RETRY if on_predicate and predicate(value) else _core.RC_SUCCESS
                status, wait = run.next(rc, value, False)
            await _call_pending(run)
            if status != _core.RETRY:
                return run.result(status)  # type: ignore[no-any-return]
            await _sleep(settings, run, wait)

    return retry


async def attempts(settings: Settings) -> AsyncGenerator[Attempt, None]:
    run = _core.Run(settings.retrier(None))
    assert settings.exception is not None
    while True:
        status = run.begin()
        await _call_pending(run)
        if status == _core.CANCELLED:
            run.result(status)  # raises Cancelled
        attempt = Attempt(settings.exception)
        yield attempt
        exception = attempt.exception
        if exception is None:
            run.next(_core.RC_SUCCESS, None, False)
            await _call_pending(run)
            return
        if isinstance(exception, asyncio.CancelledError):
            await _end_cancelled(run)
            raise exception
        rc, hint = await label_async(settings, exception)
        status, wait = run.next(rc, exception, True, hint)
        await _call_pending(run)
        if status != _core.RETRY:
            run.result(status)  # raises, or returns None (raise_on_giveup=False)
            return
        await _sleep(settings, run, wait)
