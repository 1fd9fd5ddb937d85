"""on_exception: what is retried, what propagates, what a give-up does."""

from __future__ import annotations

import inspect

import pytest

import libbackoff
from conftest import FakeTime, Flaky


@libbackoff.on_exception(libbackoff.expo, ValueError)
def module_level(x: int) -> int:
    return x + 1


def test_a_decorated_module_function_pickles_by_reference() -> None:
    import pickle

    assert pickle.loads(pickle.dumps(module_level)) is module_level


def quiet(**kwargs: object) -> dict:
    return {"jitter": None, "logger": None, **kwargs}


def test_first_try_success_returns_the_value_and_passes_arguments(fake_time: FakeTime) -> None:
    @libbackoff.on_exception(libbackoff.expo, ValueError)
    def add(a: int, b: int = 0, *, c: int = 0) -> int:
        return a + b + c

    assert add(1, 2, c=3) == 6
    assert add(1, b=5) == 6
    assert fake_time.sleeps == []


def test_retries_until_success(fake_time: FakeTime) -> None:
    target = Flaky(failures=3)
    assert libbackoff.on_exception(libbackoff.expo, ValueError, **quiet())(target)() == "ok"
    assert target.calls == 4 and fake_time.sleeps == [1, 2, 4]


def test_gives_up_with_the_last_exception_itself(fake_time: FakeTime) -> None:
    raised: list[BaseException] = []

    def target() -> None:
        error = ValueError(len(raised))
        raised.append(error)
        raise error

    with pytest.raises(ValueError) as info:
        libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=3, **quiet())(target)()
    assert info.value is raised[-1] and len(raised) == 3
    assert info.traceback[-1].name == "target"


def test_an_exception_that_does_not_match_propagates_at_once_without_handlers(fake_time: FakeTime) -> None:
    events: list[str] = []
    target = Flaky(failures=1, error=KeyError)
    decorated = libbackoff.on_exception(
        libbackoff.expo, ValueError,
        on_try=lambda d: events.append("try"), on_backoff=lambda d: events.append("backoff"),
        on_giveup=lambda d: events.append("giveup"), on_success=lambda d: events.append("success"),
        **quiet())(target)
    with pytest.raises(KeyError):
        decorated()
    assert target.calls == 1 and events == ["try"] and fake_time.sleeps == []


def test_a_tuple_of_exception_types_and_subclasses(fake_time: FakeTime) -> None:
    errors = iter([ValueError(), FileNotFoundError(), None])

    @libbackoff.on_exception(libbackoff.constant, (ValueError, OSError), **quiet())
    def target() -> str:
        error = next(errors)
        if error is not None:
            raise error
        return "ok"

    assert target() == "ok" and fake_time.sleeps == [1, 1]


def test_giveup_stops_at_once_and_sees_the_exception(fake_time: FakeTime) -> None:
    seen: list[BaseException] = []
    giveups: list[dict] = []

    def permanent(e: BaseException) -> bool:
        seen.append(e)
        return "fatal" in str(e)

    errors = iter([ValueError("transient"), ValueError("fatal")])

    def target() -> None:
        raise next(errors)

    with pytest.raises(ValueError, match="fatal"):
        libbackoff.on_exception(libbackoff.expo, ValueError, giveup=permanent,
                                on_giveup=giveups.append, **quiet())(target)()
    assert [str(e) for e in seen] == ["transient", "fatal"]
    assert fake_time.sleeps == [1]
    assert giveups[0]["tries"] == 2 and giveups[0]["reason"] == "giveup"


def test_a_failing_giveup_propagates(fake_time: FakeTime) -> None:
    def broken(e: BaseException) -> bool:
        raise RuntimeError("giveup broke")

    with pytest.raises(RuntimeError, match="giveup broke") as info:
        libbackoff.on_exception(libbackoff.expo, ValueError, giveup=broken, **quiet())(Flaky(1))()
    assert isinstance(info.value.__context__, ValueError)


def test_raise_on_giveup_false_returns_none(fake_time: FakeTime) -> None:
    giveups: list[dict] = []
    decorated = libbackoff.on_exception(
        libbackoff.expo, ValueError, max_tries=2, raise_on_giveup=False,
        on_giveup=giveups.append, **quiet())(Flaky(failures=5))
    assert decorated() is None
    assert len(giveups) == 1 and isinstance(giveups[0]["exception"], ValueError)


def test_an_exhausted_generator_raises_even_with_raise_on_giveup_false(fake_time: FakeTime) -> None:
    decorated = libbackoff.on_exception(
        libbackoff.constant, ValueError, interval=[1], raise_on_giveup=False, **quiet())(Flaky(5))
    with pytest.raises(ValueError):
        decorated()


def test_decorating_a_method_binds_self(fake_time: FakeTime) -> None:
    class Client:
        def __init__(self) -> None:
            self.calls = 0

        @libbackoff.on_exception(libbackoff.expo, ValueError, **quiet())
        def fetch(self, path: str) -> str:
            self.calls += 1
            if self.calls < 2:
                raise ValueError
            return f"got {path}"

    client = Client()
    assert client.fetch("/a") == "got /a" and client.calls == 2
    assert Client.fetch(client, "/b") == "got /b"


def test_the_decorated_function_looks_like_the_target() -> None:
    def fetch(url: str, *, timeout: float = 1.0) -> bytes:
        """Fetches url."""
        return b""

    decorated = libbackoff.on_exception(libbackoff.expo, ValueError)(fetch)
    assert decorated.__name__ == "fetch" and decorated.__doc__ == "Fetches url."
    assert decorated.__wrapped__ is fetch and decorated.__module__ == fetch.__module__
    assert inspect.signature(decorated) == inspect.signature(fetch)


def test_each_call_is_a_fresh_run(fake_time: FakeTime) -> None:
    decorated = libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=3, **quiet())
    for _ in range(2):
        with pytest.raises(ValueError):
            decorated(Flaky(failures=5))()
    assert fake_time.sleeps == [1, 2, 1, 2]


def test_recursion_and_nested_decorated_calls(fake_time: FakeTime) -> None:
    inner = libbackoff.on_exception(libbackoff.expo, ValueError, **quiet())(Flaky(failures=2, value=3))

    @libbackoff.on_exception(libbackoff.expo, KeyError, **quiet())
    def outer(n: int) -> int:
        return inner() if n == 0 else outer(n - 1) + 1

    assert outer(5) == 8 and fake_time.sleeps == [1, 2]


def test_a_non_exception_type_is_refused() -> None:
    with pytest.raises(TypeError):
        libbackoff.on_exception(libbackoff.expo, "ValueError")  # type: ignore[arg-type]


def test_threads_share_a_decorated_function() -> None:
    import threading

    lock = threading.Lock()
    attempts: dict[int, int] = {}
    backoffs: list[int] = []

    @libbackoff.on_exception(libbackoff.constant, ValueError, interval=0, jitter=None, logger=None,
                             on_backoff=lambda d: backoffs.append(d["args"][0]))
    def work(n: int) -> int:
        with lock:
            attempts[n] = attempts.get(n, 0) + 1
            failing = attempts[n] <= n % 3
        if failing:
            raise ValueError
        return n * 2

    results: list[int] = []
    threads = [threading.Thread(target=lambda i=i: results.extend(work(j) for j in range(i, 400, 8)))
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [2 * n for n in range(400)]
    assert all(attempts[n] == n % 3 + 1 for n in range(400))
    assert sorted(backoffs) == sorted(n for n in range(400) for _ in range(n % 3))
