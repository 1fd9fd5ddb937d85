# Checked by mypy --strict in test_typing.py: decorated functions keep their
# types, sync and async, and the rest of the API is typed.
import asyncio
from typing import assert_type

import libbackoff


@libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=3)
def fetch_sync(value: str, *, suffix: str) -> str:
    return value + suffix


@libbackoff.on_predicate(libbackoff.fibo, lambda r: r is None, max_time=lambda: 5.0)
def poll_sync(value: int) -> int | None:
    return value


@libbackoff.on_exception(libbackoff.Policy.from_spec("expo tries=5"), (ValueError, OSError))
async def fetch_async(value: str, *, suffix: str) -> str:
    return value + suffix


def on_backoff(details: libbackoff.Details) -> None:
    assert_type(details["tries"], int)
    assert_type(details["elapsed"], float)


@libbackoff.on_exception(libbackoff.constant, KeyError, interval=2, on_backoff=on_backoff,
                         jitter=None, cancel=libbackoff.CancelToken())
def with_handlers() -> bytes:
    return b""


def consume_sync() -> None:
    assert_type(fetch_sync("a", suffix="b"), str)
    assert_type(poll_sync(1), int | None)
    assert_type(with_handlers(), bytes)
    for attempt in libbackoff.retry_context(ValueError, max_tries=2):
        with attempt:
            pass
    assert_type(libbackoff.parse_retry_after("120"), float)


async def consume_async() -> None:
    assert_type(await fetch_async("a", suffix="b"), str)
    task = asyncio.create_task(fetch_async("a", suffix="b"))
    assert_type(task, asyncio.Task[str])
    async for attempt in libbackoff.aretry_context(ValueError):
        with attempt:
            pass
