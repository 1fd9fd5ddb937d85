"""on_exception, on_predicate, retry_context and aretry_context: the backoff
package's API (names, arguments, defaults), with libbackoff's core making
every retry decision."""

from __future__ import annotations

import functools
import inspect
import logging
import operator
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any, ParamSpec, TypeVar, cast


from . import _async, _context, _core
from ._attempt import Attempt
from ._cancel import CancelToken
from ._jitter import full_jitter
from ._settings import Settings, never_give_up, target_name
from ._typing import (
    ContextHandlers,
    ExceptionTypes,
    Handlers,
    Jitterer,
    MaybeCallable,
    MaybeLogger,
    WaitGenerator,
)
from ._wait_gen import expo

P = ParamSpec("P")
T = TypeVar("T")


def _is_async(target: Any) -> bool:
    """An async def function, or an object whose __call__ is one."""
    if inspect.iscoroutinefunction(target):
        return True
    call = getattr(type(target), "__call__", None)
    return not isinstance(target, type) and inspect.iscoroutinefunction(call)


def _decorator(settings: Settings) -> Callable[[Callable[P, T]], Callable[P, T]]:
    def decorate(target: Callable[P, T]) -> Callable[P, T]:
        if _is_async(target):
            return cast("Callable[P, T]", _async.retrying(settings, cast(Any, target)))
        wrapped = _core.Retrying(settings.retrier(target_name(target)), target)
        functools.update_wrapper(wrapped, target)
        return cast("Callable[P, T]", wrapped)

    return decorate


def on_exception(
    wait_gen: WaitGenerator | _core.Policy,
    exception: ExceptionTypes,
    *,
    max_tries: MaybeCallable[int | None] = None,
    max_time: MaybeCallable[float | None] = None,
    jitter: Jitterer | None = full_jitter,
    giveup: Callable[[Any], Any] = never_give_up,
    on_success: Handlers = None,
    on_backoff: Handlers = None,
    on_giveup: Handlers = None,
    raise_on_giveup: bool = True,
    logger: MaybeLogger = "backoff",
    backoff_log_level: int = logging.INFO,
    giveup_log_level: int = logging.ERROR,
    on_try: Handlers = None,
    cancel: CancelToken | None = None,
    budget: _core.Budget | None = None,
    **wait_gen_kwargs: Any,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Retries the decorated function when it raises one of ``exception``.

    wait_gen: expo, fibo, constant, decay, runtime (run by the core), your
    own generator function, or a Policy. max_tries / max_time: limits
    (None: none; callables are evaluated at each call). jitter:
    full_jitter (default), random_jitter, None or a function. giveup(e):
    true gives up at once. Handlers (a function or a list) get a details
    dict. After giving up the last exception is raised again, or None is
    returned (raise_on_giveup=False). Log lines go to ``logger`` (None:
    none). Works on ``async def`` functions too. ``cancel``: a CancelToken
    that stops the runs; ``budget``: a Budget shared with other functions;
    **wait_gen_kwargs go to wait_gen.
    """
    return _decorator(
        Settings(
            _core.MODE_EXCEPTION,
            wait_gen,
            wait_gen_kwargs,
            exception=exception,
            giveup=giveup,
            max_tries=max_tries,
            max_time=max_time,
            jitter=jitter,
            on_try=on_try,
            on_success=on_success,
            on_backoff=on_backoff,
            on_giveup=on_giveup,
            raise_on_giveup=raise_on_giveup,
            logger=logger,
            backoff_log_level=backoff_log_level,
            giveup_log_level=giveup_log_level,
            cancel=cancel,
            budget=budget,
        )
    )


def on_predicate(
    wait_gen: WaitGenerator | _core.Policy,
    predicate: Callable[[Any], Any] = operator.not_,
    *,
    max_tries: MaybeCallable[int | None] = None,
    max_time: MaybeCallable[float | None] = None,
    jitter: Jitterer | None = full_jitter,
    on_success: Handlers = None,
    on_backoff: Handlers = None,
    on_giveup: Handlers = None,
    logger: MaybeLogger = "backoff",
    backoff_log_level: int = logging.INFO,
    giveup_log_level: int = logging.ERROR,
    on_try: Handlers = None,
    cancel: CancelToken | None = None,
    budget: _core.Budget | None = None,
    **wait_gen_kwargs: Any,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Retries the decorated function while predicate(return value) is true
    (by default: while it returns a falsy value). After giving up the last
    value is returned; an exception propagates at once. Other arguments as
    for on_exception."""
    return _decorator(
        Settings(
            _core.MODE_PREDICATE,
            wait_gen,
            wait_gen_kwargs,
            predicate=predicate,
            max_tries=max_tries,
            max_time=max_time,
            jitter=jitter,
            on_try=on_try,
            on_success=on_success,
            on_backoff=on_backoff,
            on_giveup=on_giveup,
            raise_on_giveup=True,
            logger=logger,
            backoff_log_level=backoff_log_level,
            giveup_log_level=giveup_log_level,
            cancel=cancel,
            budget=budget,
        )
    )


def _context_settings(
    exception: ExceptionTypes,
    wait_gen: Any,
    wait_gen_kwargs: dict[str, Any],
    **options: Any,
) -> Settings:
    return Settings(_core.MODE_EXCEPTION, wait_gen, wait_gen_kwargs, exception=exception, **options)


def retry_context(
    exception: ExceptionTypes = Exception,
    wait_gen: WaitGenerator | _core.Policy = expo,
    *,
    max_tries: MaybeCallable[int | None] = None,
    max_time: MaybeCallable[float | None] = None,
    jitter: Jitterer | None = full_jitter,
    giveup: Callable[[Any], Any] = never_give_up,
    on_success: ContextHandlers = None,
    on_backoff: ContextHandlers = None,
    on_giveup: ContextHandlers = None,
    raise_on_giveup: bool = True,
    logger: MaybeLogger = "backoff",
    backoff_log_level: int = logging.INFO,
    giveup_log_level: int = logging.ERROR,
    on_try: ContextHandlers = None,
    cancel: CancelToken | None = None,
    budget: _core.Budget | None = None,
    **wait_gen_kwargs: Any,
) -> Generator[Attempt, None, None]:
    """Retries a block of code::

        for attempt in retry_context(ValueError, expo, max_tries=5):
            with attempt:
                do_something()

    Exceptions matching ``exception`` are caught by ``with attempt`` and
    retried; the loop ends after a success, or gives up as on_exception
    does. Handlers get tries, elapsed, and wait / exception where they
    apply."""
    return _context.attempts(
        _context_settings(
            exception,
            wait_gen,
            wait_gen_kwargs,
            giveup=giveup,
            max_tries=max_tries,
            max_time=max_time,
            jitter=jitter,
            on_try=on_try,
            on_success=on_success,
            on_backoff=on_backoff,
            on_giveup=on_giveup,
            raise_on_giveup=raise_on_giveup,
            logger=logger,
            backoff_log_level=backoff_log_level,
            giveup_log_level=giveup_log_level,
            cancel=cancel,
            budget=budget,
        )
    )


def aretry_context(
    exception: ExceptionTypes = Exception,
    wait_gen: WaitGenerator | _core.Policy = expo,
    *,
    max_tries: MaybeCallable[int | None] = None,
    max_time: MaybeCallable[float | None] = None,
    jitter: Jitterer | None = full_jitter,
    giveup: Callable[[Any], Any] = never_give_up,
    on_success: ContextHandlers = None,
    on_backoff: ContextHandlers = None,
    on_giveup: ContextHandlers = None,
    raise_on_giveup: bool = True,
    logger: MaybeLogger = "backoff",
    backoff_log_level: int = logging.INFO,
    giveup_log_level: int = logging.ERROR,
    on_try: ContextHandlers = None,
    cancel: CancelToken | None = None,
    budget: _core.Budget | None = None,
    **wait_gen_kwargs: Any,
) -> AsyncGenerator[Attempt, None]:
    """retry_context for async code: ``async for attempt in
    aretry_context(...)``; waits with asyncio.sleep, awaits async handlers
    and giveup functions, never retries a CancelledError."""
    return _async.attempts(
        _context_settings(
            exception,
            wait_gen,
            wait_gen_kwargs,
            giveup=giveup,
            max_tries=max_tries,
            max_time=max_time,
            jitter=jitter,
            on_try=on_try,
            on_success=on_success,
            on_backoff=on_backoff,
            on_giveup=on_giveup,
            raise_on_giveup=raise_on_giveup,
            logger=logger,
            backoff_log_level=backoff_log_level,
            giveup_log_level=giveup_log_level,
            cancel=cancel,
            budget=budget,
        )
    )
