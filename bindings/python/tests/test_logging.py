"""Log lines: the core decides when, the logging module writes them, with
the package's messages, logger name and levels."""

from __future__ import annotations

import logging

import pytest

import libbackoff
from conftest import FakeTime, Flaky


def messages(caplog: pytest.LogCaptureFixture, name: str = "backoff") -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == name]


def test_backoff_and_giveup_lines(fake_time: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="backoff")

    def fetch() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError):
        libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=3, jitter=None)(fetch)()
    assert messages(caplog) == [
        (logging.INFO, "Backing off fetch(...) for 1.0s (ValueError: boom)"),
        (logging.INFO, "Backing off fetch(...) for 2.0s (ValueError: boom)"),
        (logging.ERROR, "Giving up fetch(...) after 3 tries (ValueError: boom)"),
    ]


def test_a_first_try_success_logs_nothing(fake_time: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="backoff")
    libbackoff.on_exception(libbackoff.expo, ValueError)(lambda: 1)()
    assert messages(caplog) == []


def test_levels_are_configurable(fake_time: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="backoff")
    with pytest.raises(ValueError):
        libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=2, jitter=None,
                                backoff_log_level=logging.DEBUG,
                                giveup_log_level=logging.CRITICAL)(Flaky(5))()
    assert [level for level, _ in messages(caplog)] == [logging.DEBUG, logging.CRITICAL]


def test_a_logger_by_name_or_object(fake_time: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    libbackoff.on_exception(libbackoff.expo, ValueError, jitter=None, logger="my.retries")(Flaky(1))()
    mine = logging.getLogger("mine")
    libbackoff.on_exception(libbackoff.expo, ValueError, jitter=None, logger=mine)(Flaky(1))()
    adapter = logging.LoggerAdapter(logging.getLogger("adapted"), {"tag": 1})
    libbackoff.on_exception(libbackoff.expo, ValueError, jitter=None, logger=adapter)(Flaky(1))()
    assert len(messages(caplog, "my.retries")) == 1
    assert len(messages(caplog, "mine")) == 1
    assert len(messages(caplog, "adapted")) == 1
    assert messages(caplog, "backoff") == []


def test_logger_none_is_silent(fake_time: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ValueError):
        libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=2, logger=None)(Flaky(5))()
    assert caplog.records == []


def test_predicate_lines_show_the_value(fake_time: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="backoff")
    values = iter(["pending", "pending"])

    def poll() -> str:
        return next(values)

    libbackoff.on_predicate(libbackoff.expo, lambda v: v == "pending", max_tries=2, jitter=None)(poll)()
    assert messages(caplog) == [
        (logging.INFO, "Backing off poll(...) for 1.0s (pending)"),
        (logging.ERROR, "Giving up poll(...) after 2 tries (pending)"),
    ]


def test_the_package_logger_is_silent_unless_configured(fake_time: FakeTime, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError):
        libbackoff.on_exception(libbackoff.expo, ValueError, max_tries=2)(Flaky(5))()
    assert capsys.readouterr().err == ""


def test_a_filter_on_the_logger_still_sees_every_record(fake_time: FakeTime) -> None:
    seen: list[str] = []

    class Counting(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            seen.append(record.getMessage())
            return False

    logger = logging.getLogger("filtered")
    logger.setLevel(logging.INFO)
    logger.addFilter(Counting())
    libbackoff.on_exception(libbackoff.expo, ValueError, jitter=None, logger=logger)(Flaky(1))()
    assert seen == ["Backing off Flaky(...) for 1.0s (ValueError: failure 1)"]


def test_one_decorator_on_several_functions_logs_each_event_once(
    fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="backoff")
    decorator = libbackoff.on_exception(libbackoff.expo, ValueError, jitter=None)
    decorated = [decorator(Flaky(1)) for _ in range(3)]
    decorated[2]()
    assert messages(caplog) == [(logging.INFO, "Backing off Flaky(...) for 1.0s (ValueError: failure 1)")]
