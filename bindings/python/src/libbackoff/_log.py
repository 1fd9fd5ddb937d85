"""Log lines for the events the core logs (a backoff, a give-up), written
through the logging module with the backoff package's messages."""

from __future__ import annotations

import logging
import traceback
from typing import Any, Union

MaybeLogger = Union[str, logging.Logger, logging.LoggerAdapter, None]  # type: ignore[type-arg]

# The package's logger name, so a logging set-up written for it keeps
# working; silent unless configured, as there.
_default = logging.getLogger("backoff")
_default.addHandler(logging.NullHandler())
if _default.level == logging.NOTSET:
    _default.setLevel(logging.INFO)


def prepare(logger: MaybeLogger) -> Any:
    if isinstance(logger, str):
        return logging.getLogger(logger)
    return logger


def _describe(outcome: Any, in_context: bool) -> Any:
    if isinstance(outcome, BaseException):
        if in_context:  # retry_context's form
            return outcome
        return traceback.format_exception_only(type(outcome), outcome)[-1].rstrip("\n")
    return outcome


def _heard(logger: Any, level: int) -> bool:
    """Whether a record at ``level`` would reach a handler or a filter:
    logging's own walk (Logger.callHandlers), without making the record.
    The package's logger has only a NullHandler, so without this every
    backoff would build a record that nobody sees (tens of microseconds)."""
    while isinstance(logger, logging.LoggerAdapter):
        logger = logger.logger
    if not isinstance(logger, logging.Logger) or logger.filters:
        return True
    found = False
    current: logging.Logger | None = logger
    while current is not None:
        for handler in current.handlers:
            found = True
            if type(handler) is not logging.NullHandler and level >= handler.level:
                return True
        if not current.propagate:
            break
        current = current.parent
    return not found and logging.lastResort is not None and level >= logging.lastResort.level


def emit(
    logger: Any,
    level: int,
    giving_up: bool,
    name: str | None,
    tries: int,
    wait: float,
    outcome: Any,
) -> None:
    """Called by the core's log sink once logger.isEnabledFor(level)."""
    if not _heard(logger, level):
        return
    shown = _describe(outcome, name is None)
    target = "retry_context" if name is None else name
    if giving_up:
        logger.log(level, "Giving up %s(...) after %d tries (%s)", target, tries, shown)
    else:
        logger.log(level, "Backing off %s(...) for %.1fs (%s)", target, wait, shown)
