"""Policy specs: the text form shared with the core, the command and the
other bindings."""

from __future__ import annotations

import pytest

import libbackoff
from conftest import FakeTime, Flaky


def test_from_spec_gives_the_canonical_form() -> None:
    policy = libbackoff.Policy.from_spec("tries=5 expo( base=3 , factor=0.5 ) time=60")
    assert policy.spec == "expo(base=3,factor=0.5,max=0) jitter=full tries=5 time=60"
    assert str(policy) == policy.spec
    assert repr(policy) == f"Policy.from_spec({policy.spec!r})"
    assert libbackoff.Policy.from_spec(policy.spec) == policy
    assert hash(libbackoff.Policy.from_spec(policy.spec)) == hash(policy)
    assert libbackoff.Policy().spec == "expo(base=2,factor=1,max=0) jitter=full tries=0 time=0"


def test_a_malformed_spec_names_the_offending_byte() -> None:
    with pytest.raises(ValueError, match="at byte 20"):
        libbackoff.Policy.from_spec("expo(base=2) jitter=sometimes")
    with pytest.raises(TypeError):
        libbackoff.Policy.from_spec(5)  # type: ignore[arg-type]


def test_a_policy_as_the_wait_generator(fake_time: FakeTime) -> None:
    policy = libbackoff.Policy.from_spec("fibo(max=3) jitter=none tries=6")
    target = Flaky(failures=100)
    with pytest.raises(ValueError):
        libbackoff.on_exception(policy, ValueError, logger=None)(target)()
    assert fake_time.sleeps == [1, 1, 2, 3, 3] and target.calls == 6


def test_decorator_arguments_override_the_spec(fake_time: FakeTime) -> None:
    policy = libbackoff.Policy.from_spec("constant(interval=4) jitter=full tries=6 time=100")
    target = Flaky(failures=100)
    with pytest.raises(ValueError):
        libbackoff.on_exception(policy, ValueError, max_tries=3, jitter=None, logger=None)(target)()
    assert fake_time.sleeps == [4, 4]


def test_the_spec_time_limit_and_seed_apply(fake_time: FakeTime) -> None:
    policy = libbackoff.Policy.from_spec("constant(interval=4) jitter=full time=10 seed=3")
    runs = []
    for _ in range(2):
        fake_time.sleeps.clear()
        with pytest.raises(ValueError):
            libbackoff.on_exception(policy, ValueError, logger=None)(Flaky(failures=100, clock=fake_time, cost=1))()
        runs.append(list(fake_time.sleeps))
    assert runs[0] == runs[1] and all(0 <= w <= 4 for w in runs[0])


def test_return_code_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="exception="):
        libbackoff.on_exception(libbackoff.Policy.from_spec("expo retry-on=1,2"), ValueError)


def test_a_policy_takes_no_generator_arguments() -> None:
    with pytest.raises(TypeError):
        libbackoff.on_exception(libbackoff.Policy(), ValueError, base=3)
