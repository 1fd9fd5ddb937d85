"""A decorator's arguments, checked once and compiled into what the core
takes: a policy spec (the wait, jitter and limits it can express itself)
and the Python objects it calls back (a custom wait generator or jitter,
limit callables, handlers, the logger)."""

from __future__ import annotations

import inspect
import math
import operator
import sys
from collections.abc import Callable
from typing import Any

from . import _core, _log
from ._cancel import CancelToken
from ._jitter import full_jitter, random_jitter
from ._wait_gen import constant, decay, expo, fibo

Policy = _core.Policy

_JITTER_KINDS = {full_jitter: "full", random_jitter: "random"}

# max_time <= 0 from a callable: the reference gives up after the first
# failure (elapsed >= max_time); the core's smallest limit does the same.
_SMALLEST_TIME = sys.float_info.min


def never_give_up(exception: BaseException) -> bool:
    """on_exception's default giveup: retry every matching exception."""
    return False


def _number(value: Any) -> str:
    return repr(float(value))


def _cap(value: Any) -> str:
    return "0.0" if value is None else _number(value)


def _expo_spec(base: float = 2, factor: float = 1, max_value: float | None = None) -> str:
    if max_value is not None and max_value == 0:
        return "constant(interval=0.0)"  # the reference yields max_value 0
    return f"expo(base={_number(base)},factor={_number(factor)},max={_cap(max_value)})"


def _fibo_spec(max_value: float | None = None) -> str:
    if max_value is not None and max_value == 0:
        return "constant(interval=0.0)"
    return f"fibo(max={_cap(max_value)})"


def _constant_spec(interval: Any = 1) -> str | None:
    if isinstance(interval, (int, float)):
        return f"constant(interval={_number(interval)})"
    if isinstance(interval, (list, tuple, range)) and len(interval) > 0:
        return "sequence(" + ",".join(_number(v) for v in interval) + ")"
    return None  # another iterable: walked in Python


def _decay_spec(
    initial_value: float = 1, decay_factor: float = 1, min_value: float | None = None
) -> str:
    return (
        f"decay(initial={_number(initial_value)},factor={_number(decay_factor)},"
        f"min={_cap(min_value)})"
    )


_WAIT_SPECS: dict[Any, Callable[..., str | None]] = {
    expo: _expo_spec,
    fibo: _fibo_spec,
    constant: _constant_spec,
    decay: _decay_spec,
}


def _maybe_call(value: Any) -> Any:
    """The reference's rule for a wait generator's arguments: callables are
    called (once per call of the decorated function)."""
    if callable(value):
        try:
            return value()
        except TypeError:
            return value
    return value


def _expressible(token: str | None) -> bool:
    if token is None:
        return False
    try:
        Policy.from_spec(token)
    except ValueError:  # e.g. base=0: the core refuses what the generator allows
        return False
    return True


def _generator_factory(wait_gen: Callable[..., Any], kwargs: dict[str, Any]) -> Callable[[], Any]:
    def start() -> Any:
        generator = wait_gen(**{k: _maybe_call(v) for k, v in kwargs.items()})
        generator.send(None)
        return generator

    return start


def _tries(value: Any) -> int:
    if value is None:
        return 0
    n = operator.index(value) if not isinstance(value, float) else int(value)
    if n < 0:
        raise ValueError(f"max_tries must be >= 0 (0 or None: no limit), not {value!r}")
    return n


def _seconds(value: Any) -> float:
    if value is None:
        return 0.0
    t = float(value)
    if math.isnan(t):
        raise ValueError("max_time must be a number of seconds, not nan")
    return t if t > 0 else _SMALLEST_TIME


def _handlers(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if hasattr(value, "__iter__"):
        return tuple(value)
    return (value,)


def _exception_types(value: Any) -> Any:
    types = value if isinstance(value, tuple) else (value,)
    for t in types:
        if not (isinstance(t, type) and issubclass(t, BaseException)):
            raise TypeError(f"exception must be an exception type or a tuple of them, not {value!r}")
    return value


def _key(token: str) -> str:
    return token.split("=", 1)[0].split("(", 1)[0]


class Settings:
    """Everything a decorator (or retry_context) was given, compiled."""

    def __init__(
        self,
        mode: int,
        wait_gen: Any,
        wait_gen_kwargs: dict[str, Any],
        *,
        exception: Any = None,
        giveup: Callable[[BaseException], Any] = never_give_up,
        predicate: Callable[[Any], Any] | None = None,
        max_tries: Any,
        max_time: Any,
        jitter: Any,
        on_try: Any,
        on_success: Any,
        on_backoff: Any,
        on_giveup: Any,
        raise_on_giveup: bool,
        logger: _log.MaybeLogger,
        backoff_log_level: int,
        giveup_log_level: int,
        cancel: CancelToken | None,
        budget: _core.Budget | None = None,
    ) -> None:
        self.mode = mode
        self.exception = _exception_types(exception) if exception is not None else None
        self.giveup = giveup
        self.predicate = predicate if predicate is not None else operator.not_
        self.raise_on_giveup = raise_on_giveup
        self.handlers = {
            "on_try": _handlers(on_try),
            "on_success": _handlers(on_success),
            "on_backoff": _handlers(on_backoff),
            "on_giveup": _handlers(on_giveup),
        }
        self.logger = _log.prepare(logger)
        self.backoff_log_level = backoff_log_level
        self.giveup_log_level = giveup_log_level
        if cancel is not None and not isinstance(cancel, CancelToken):
            raise TypeError("cancel must be a libbackoff.CancelToken")
        self.cancel = cancel
        if budget is not None and not isinstance(budget, _core.Budget):
            raise TypeError("budget must be a libbackoff.Budget")
        self.budget = budget
        self.max_tries_fn: Callable[[], int] | None = None
        self.max_time_fn: Callable[[], float] | None = None
        self.jitter_fn: Callable[[float], float] | None = None
        self.wait_spec_fn: Callable[[], str] | None = None
        self.wait_factory: Callable[[], Any] | None = None

        settings: dict[str, str] = {}
        wait = self._compile_wait(wait_gen, wait_gen_kwargs, settings)
        self._compile_jitter(jitter, settings, from_policy=isinstance(wait_gen, Policy))
        self._compile_limits(max_tries, max_time, settings)
        tokens = list(settings.values())
        if wait is not None:
            tokens.insert(0, wait)
        self.spec = " ".join(tokens)
        self.retrier(None)  # every error shows now, at decoration

    def _compile_wait(self, wait_gen: Any, kwargs: dict[str, Any], settings: dict[str, str]) -> str | None:
        """The wait's spec, or None when the run's policy gets it otherwise."""
        if isinstance(wait_gen, Policy):
            if kwargs:
                raise TypeError(f"a Policy takes no wait generator arguments: {sorted(kwargs)}")
            wait, *rest = wait_gen.spec.split(" ")
            for token in rest:
                settings[_key(token)] = token
            if "retry-on" in settings or "giveup-on" in settings:
                raise ValueError(
                    "retry-on / giveup-on name return codes; in Python, give exception= and giveup="
                )
            return wait
        build = _WAIT_SPECS.get(wait_gen)
        if build is not None:
            inspect.signature(build).bind(**kwargs)  # a misspelt argument fails now
            if any(callable(v) for v in kwargs.values()):
                if wait_gen is not constant:

                    def wait_spec() -> str:
                        token = build(**{k: _maybe_call(v) for k, v in kwargs.items()})
                        assert token is not None  # expo, fibo and decay always have one
                        return token

                    self.wait_spec_fn = wait_spec
                    return None
            else:
                static = build(**kwargs)
                if _expressible(static):
                    return static
        if not callable(wait_gen):
            raise TypeError(f"wait_gen must be a generator function or a Policy, not {wait_gen!r}")
        self.wait_factory = _generator_factory(wait_gen, kwargs)
        return None

    def _compile_jitter(self, jitter: Any, settings: dict[str, str], from_policy: bool) -> None:
        if jitter is None:
            settings["jitter"] = "jitter=none"
        elif jitter in _JITTER_KINDS:
            if not (from_policy and jitter is full_jitter):  # the default: the spec's
                settings["jitter"] = f"jitter={_JITTER_KINDS[jitter]}"
        elif callable(jitter):
            self.jitter_fn = jitter
        else:
            raise TypeError(f"jitter must be a function or None, not {jitter!r}")

    def _compile_limits(self, max_tries: Any, max_time: Any, settings: dict[str, str]) -> None:
        if callable(max_tries):
            self.max_tries_fn = lambda: _tries(max_tries())
            settings["tries"] = "tries=0"
        elif max_tries is not None or "tries" not in settings:
            settings["tries"] = f"tries={_tries(max_tries)}"
        if callable(max_time):
            self.max_time_fn = lambda: _seconds(max_time())
            settings["time"] = "time=0"
        elif max_time is not None and float(max_time) <= 0:
            # The reference gives up after the first failure; so do we.
            self.max_tries_fn = None
            settings["tries"] = "tries=1"
            settings["time"] = "time=0"
        elif max_time is not None or "time" not in settings:
            settings["time"] = f"time={_number(_seconds(max_time))}"

    def retrier(self, name: str | None) -> Any:
        """The core-side configuration for one decorated function (name) or
        one retry_context (None)."""
        return _core.Retrier(
            self.spec,
            mode=self.mode,
            exception=self.exception,
            giveup=None if self.giveup is never_give_up else self.giveup,
            predicate=self.predicate,
            on_try=self.handlers["on_try"],
            on_backoff=self.handlers["on_backoff"],
            on_success=self.handlers["on_success"],
            on_giveup=self.handlers["on_giveup"],
            logger=self.logger,
            backoff_level=self.backoff_log_level,
            giveup_level=self.giveup_log_level,
            raise_on_giveup=self.raise_on_giveup,
            name=name,
            wait_spec_fn=self.wait_spec_fn,
            wait_factory=self.wait_factory,
            jitter=self.jitter_fn,
            max_tries_fn=self.max_tries_fn,
            max_time_fn=self.max_time_fn,
            cancel=None if self.cancel is None else self.cancel._token,
            cancel_event=None if self.cancel is None else self.cancel._event,
            budget=self.budget,
        )


def target_name(target: Any) -> str:
    return getattr(target, "__name__", None) or type(target).__name__

