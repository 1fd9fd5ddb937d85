"""The wait generators, with the backoff package's names, arguments and
protocol (a generator primed with ``send(None)``, then sent each failure's
exception or return value).

The decorators do not run these: they recognise them and configure the same
sequence in the C core, which computes the waits. They stay real generators
so that code calling them directly, or wrapping them, keeps working, and so
that a user's own generator function is driven exactly like them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Generator, Iterable
from typing import Any


def expo(
    base: float = 2,
    factor: float = 1,
    max_value: float | None = None,
) -> Generator[float, Any, None]:
    """factor * base ** n for n = 0, 1, 2 ...; max_value forever once reached."""
    yield  # type: ignore[misc]
    n = 0
    while True:
        value = factor * base**n
        if max_value is not None and value >= max_value:
            yield max_value
        else:
            yield value
            n += 1


def fibo(max_value: float | None = None) -> Generator[float, Any, None]:
    """1, 1, 2, 3, 5, 8 ...; max_value forever once reached."""
    yield  # type: ignore[misc]
    a, b = 1, 1
    while True:
        if max_value is not None and a >= max_value:
            yield max_value
        else:
            yield a
            a, b = b, a + b


def constant(
    interval: float | Iterable[float] = 1,
) -> Generator[float, Any, None]:
    """interval forever; an iterable gives its values, then the run gives up."""
    yield  # type: ignore[misc]
    try:
        values: Iterable[float] = iter(interval)  # type: ignore[arg-type]
    except TypeError:
        values = itertools.repeat(interval)  # type: ignore[arg-type]
    yield from values


def runtime(*, value: Callable[[Any], float]) -> Generator[float, Any, None]:
    """value(exception or return value) is the wait (e.g. a Retry-After)."""
    outcome = yield  # type: ignore[misc]
    while True:
        outcome = yield value(outcome)


def decay(
    initial_value: float = 1,
    decay_factor: float = 1,
    min_value: float | None = None,
) -> Generator[float, Any, None]:
    """initial_value * e ** (-n * decay_factor), never below min_value."""
    yield  # type: ignore[misc]
    n = 0
    while True:
        value = initial_value * math.e ** (-n * decay_factor)
        if min_value is not None and value <= min_value:
            yield min_value
        else:
            yield value
            n += 1
