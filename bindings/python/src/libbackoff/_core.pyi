# Types of the C extension (src/ext).
from collections.abc import Callable
from typing import Any, final

OK: int
RETRY: int
GAVE_UP_TRIES: int
GAVE_UP_TIME: int
GAVE_UP_FATAL: int
GAVE_UP_EXHAUSTED: int
CANCELLED: int
PASSED_THROUGH: int
GAVE_UP_BUDGET: int
RC_SUCCESS: int
RC_RETRY: int
RC_GIVE_UP: int
RC_PASS_THROUGH: int
MODE_EXCEPTION: int
MODE_PREDICATE: int
core_version: str

@final
class Policy:
    """A retry configuration as a policy spec (shared with the C core, the
    command and the other bindings)."""

    def __init__(self, spec: str | None = None) -> None: ...
    @classmethod
    def from_spec(cls, spec: str) -> Policy: ...
    @property
    def spec(self) -> str: ...

@final
class Budget:
    """A retry budget shared by decorated functions: retries stay within
    ratio * first attempts + min_per_second * window in any window."""

    def __init__(self, ratio: float = 0.2, min_per_second: float = 10, window: float = 10) -> None: ...
    def stats(self) -> dict[str, float]: ...

@final
class Token:
    @property
    def triggered(self) -> bool: ...
    def trigger(self) -> None: ...
    def reset(self) -> None: ...

@final
class Retrier:
    def __init__(self, spec: str, **options: Any) -> None: ...
    @property
    def spec(self) -> str: ...

@final
class Run:
    def __init__(
        self,
        retrier: Retrier,
        target: Any = None,
        args: tuple[Any, ...] = ...,
        kwargs: dict[str, Any] = ...,
    ) -> None: ...
    def begin(self) -> int: ...
    def next(self, rc: int, outcome: Any, is_exception: bool, hint: float | None = None) -> tuple[int, float]: ...
    def label(self, exception: BaseException) -> int: ...
    def cancel(self) -> int: ...
    def take(self) -> tuple[tuple[Callable[..., Any], ...], dict[str, Any]] | None: ...
    def sleep(self, wait: float) -> None: ...
    def result(self, status: int) -> Any: ...

@final
class Retrying:
    def __init__(self, retrier: Retrier, target: Callable[..., Any]) -> None: ...
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...
    @property
    def retrier(self) -> Retrier: ...

def install(*, retry_after_type: type, cancelled_type: type, emit_log: Callable[..., None]) -> None: ...
def parse_retry_after(value: str | bytes, now: float | None = None) -> float:
    """Seconds to wait for an HTTP Retry-After value (delay-seconds or an
    HTTP-date; now: the Unix time, default time.time())."""

def strerror(status: int) -> str: ...
