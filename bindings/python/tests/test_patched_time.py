"""Switching the import from backoff to libbackoff changes nothing in a test
suite that fakes time: patched time.sleep / time.monotonic are seen (even
mid-run), and unpatched ones cost no Python call."""

from __future__ import annotations

import time
from unittest import mock

import pytest

import libbackoff
from conftest import Flaky


def test_mock_patch_of_time_sleep_sees_every_wait() -> None:
    with mock.patch("time.sleep") as sleep:
        decorated = libbackoff.on_exception(libbackoff.constant, ValueError, interval=0, jitter=None,
                                            logger=None)(Flaky(2))
        assert decorated() == "ok"
    # even zero waits reach a patched sleep, as with the package
    assert sleep.call_args_list == [mock.call(0.0), mock.call(0.0)]


def test_a_patched_clock_drives_max_time(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [50.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", lambda s: (sleeps.append(s), now.__setitem__(0, now[0] + s)))
    target = Flaky(failures=100)
    with pytest.raises(ValueError):
        libbackoff.on_exception(libbackoff.constant, ValueError, interval=4, max_time=10, jitter=None,
                                logger=None)(target)()
    assert sleeps == [4, 4, 2]


def test_patching_in_the_middle_of_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    calls = 0

    @libbackoff.on_exception(libbackoff.constant, ValueError, interval=7, jitter=None, logger=None)
    def call() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            monkeypatch.setattr(time, "sleep", sleeps.append)
            raise ValueError
        return "ok"

    assert call() == "ok" and sleeps == [7]


def test_a_failing_patched_clock_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> float:
        raise OSError("no clock")

    monkeypatch.setattr(time, "monotonic", broken)
    with pytest.raises(OSError, match="no clock"):
        libbackoff.on_exception(libbackoff.expo, ValueError)(lambda: 1)()


def test_an_interrupted_sleep_cancels_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupted)
    giveups: list[dict] = []
    with pytest.raises(KeyboardInterrupt):
        libbackoff.on_exception(libbackoff.expo, ValueError, on_giveup=giveups.append,
                                logger=None)(Flaky(3))()
    assert giveups[0]["reason"] == "cancelled" and giveups[0]["tries"] == 1


def test_unpatched_zero_waits_retry_at_once() -> None:
    assert time.sleep.__module__ == "time" and time.monotonic.__module__ == "time"
    target = Flaky(failures=50)
    assert libbackoff.on_exception(libbackoff.constant, ValueError, interval=0, jitter=None,
                                   logger=None)(target)() == "ok"
    assert target.calls == 51


def test_unpatched_waits_really_sleep_on_the_monotonic_clock() -> None:
    target = Flaky(failures=1)
    before = time.monotonic()
    libbackoff.on_exception(libbackoff.constant, ValueError, interval=0.005, jitter=None,
                            logger=None)(target)()
    assert time.monotonic() - before >= 0.005  # a lower bound only: the wait happened
