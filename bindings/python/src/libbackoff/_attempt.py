"""What retry_context and aretry_context yield: one attempt, used as
``with attempt: ...``. It catches the exceptions the loop retries on, so
the loop (and the core behind it) decides what happens next; any other
exception leaves the block as usual."""

from __future__ import annotations

from types import TracebackType

from ._typing import ExceptionTypes


class Attempt:
    __slots__ = ("_types", "exception")

    def __init__(self, types: ExceptionTypes) -> None:
        self._types = types
        self.exception: BaseException | None = None

    def __enter__(self) -> Attempt:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        if exc_type is None or not issubclass(exc_type, self._types):
            return False
        self.exception = exc
        return True
