"""retry_context: the inline retry loop of python-backoff 2.4, on the core.

    for attempt in retry_context(ValueError, expo, max_tries=5):
        with attempt:
            do_something()
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from . import _core
from ._attempt import Attempt
from ._settings import Settings


def call_pending(run: Any) -> None:
    """The log line and handlers the core's last step recorded."""
    pending = run.take()
    if pending is not None:
        handlers, details = pending
        for handler in handlers:
            handler(details)


def attempts(settings: Settings) -> Generator[Attempt, None, None]:
    run = _core.Run(settings.retrier(None))
    assert settings.exception is not None
    while True:
        status = run.begin()
        call_pending(run)
        if status == _core.CANCELLED:
            run.result(status)  # raises Cancelled
        attempt = Attempt(settings.exception)
        yield attempt
        exception = attempt.exception
        if exception is None:
            status, _ = run.next(_core.RC_SUCCESS, None, False)
            call_pending(run)
            return
        status, wait = run.next(run.label(exception), exception, True)
        call_pending(run)
        if status != _core.RETRY:
            run.result(status)  # raises, or returns None (raise_on_giveup=False)
            return
        run.sleep(wait)
