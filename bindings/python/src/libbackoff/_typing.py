"""Types of the public API (the backoff package's, plus libbackoff's own)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Generator, Iterable
from typing import Any, TypedDict, TypeVar, Union

T = TypeVar("T")


class _Details(TypedDict):
    target: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    tries: int
    elapsed: float


class Details(_Details, total=False):
    """What a decorator's handlers get."""

    wait: float  # on_backoff
    hint: float  # on_backoff / on_giveup: the server's wait, if it gave one
    exception: BaseException  # on_exception's on_backoff / on_giveup
    value: Any  # on_predicate's on_backoff / on_giveup / on_success
    reason: str  # on_giveup: tries, time, giveup, exhausted, cancelled, budget


class ContextDetails(TypedDict, total=False):
    """What retry_context's handlers get."""

    tries: int
    elapsed: float
    wait: float
    hint: float
    exception: BaseException
    reason: str


Handler = Union[
    Callable[[Details], None],
    Callable[[Details], Coroutine[Any, Any, None]],
]
ContextHandler = Union[
    Callable[[ContextDetails], None],
    Callable[[ContextDetails], Coroutine[Any, Any, None]],
]
Handlers = Union[Handler, Iterable[Handler], None]
ContextHandlers = Union[ContextHandler, Iterable[ContextHandler], None]
Jitterer = Callable[[float], float]
MaybeCallable = Union[T, Callable[[], T]]
MaybeLogger = Union[str, logging.Logger, "logging.LoggerAdapter[Any]", None]
ExceptionTypes = Union[type[BaseException], tuple[type[BaseException], ...]]
WaitGenerator = Callable[..., Generator[float, Any, None]]
