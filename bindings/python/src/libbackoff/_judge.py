"""How the async drivers label a failed attempt for the core: a return code
and a server hint (the sync drivers use Run.label, in C; here giveup may be
a coroutine function). Labelling is the caller's part, as a Rust or Go
classifier's is; what follows (limits, waits, jitter, handlers, log) is the
core's decision."""

from __future__ import annotations

import inspect

from . import _core
from ._retry_after import RetryAfter
from ._settings import Settings, never_give_up


def _hint(exception: BaseException) -> float | None:
    return exception.retry_after if isinstance(exception, RetryAfter) else None


async def label_async(settings: Settings, exception: BaseException) -> tuple[int, float | None]:
    """(rc, hint) for a failed attempt."""
    if settings.exception is None or not isinstance(exception, settings.exception):
        return _core.RC_PASS_THROUGH, None
    if settings.giveup is not never_give_up:
        verdict = settings.giveup(exception)
        if inspect.isawaitable(verdict):
            verdict = await verdict
        if verdict:
            return _core.RC_GIVE_UP, None
    return _core.RC_RETRY, _hint(exception)
