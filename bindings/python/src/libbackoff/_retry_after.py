"""Server hints: an attempt raises RetryAfter to make the next wait what the
server asked for (a Retry-After header), instead of the generator's."""

from __future__ import annotations

from ._core import parse_retry_after


class RetryAfter(Exception):
    """Raise it, or a subclass, from an attempt to wait as the server asked.

    ``RetryAfter(120)`` or ``RetryAfter(response.headers["Retry-After"])``
    (delay-seconds or an HTTP-date). When the decorator retries it (it must
    match ``exception``), the core makes the next wait exactly
    ``retry_after`` seconds: no jitter, the wait generator does not advance,
    and the max_time limit still applies. A value that cannot be parsed
    gives no hint (``retry_after`` is None): the generator's wait applies.
    A subclass may set ``retry_after`` itself.
    """

    retry_after: float | None

    def __init__(self, retry_after: float | str | None = None, *args: object) -> None:
        super().__init__(*(args or (retry_after,)))
        if isinstance(retry_after, str):
            try:
                self.retry_after = parse_retry_after(retry_after)
            except ValueError:
                self.retry_after = None
        else:
            self.retry_after = None if retry_after is None else float(retry_after)


__all__ = ["RetryAfter", "parse_retry_after"]
