"""The shared test vectors (tests/vectors/waits.tsv, written by an
independent model of the documented semantics): a seeded policy gives the
same waits from Python as from C, C++, Rust, Go and the command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import libbackoff
from conftest import FakeTime, Flaky

ATTEMPT_COST = 0.25


def _vectors_dir() -> Path:
    override = os.environ.get("LIBBACKOFF_VECTORS")
    # The core's own vectors, through the package's link to the core (a copy
    # of it in an sdist).
    here = Path(__file__).parent
    return Path(override) if override else here.parent / "subprojects" / "libbackoff" / "tests" / "vectors"


def _rows(name: str) -> list[list[str]]:
    lines = (_vectors_dir() / name).read_text().splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def _waits(text: str) -> list[float]:
    return [float(w) for w in text.split(",")] if text else []


def _vectors() -> list[tuple[str, str, list[float]]]:
    return [(spec, outcome, _waits(waits)) for spec, outcome, waits in _rows("waits.tsv")]


def _hint_vectors() -> list[tuple[str, list[float | None], str, list[float]]]:
    return [
        (spec, [None if h == "-" else float(h) for h in hints.split(",")], outcome, _waits(waits))
        for spec, hints, outcome, waits in _rows("hints.tsv")
    ]


def test_the_vectors_are_there() -> None:
    assert len(_vectors()) >= 300 and len(_hint_vectors()) >= 100


@pytest.mark.parametrize("spec, outcome, want", _vectors())
def test_shared_vector(fake_time: FakeTime, spec: str, outcome: str, want: list[float]) -> None:
    got: list[float] = []
    reasons: list[str] = []
    decorated = libbackoff.on_exception(
        libbackoff.Policy.from_spec(spec), Exception, logger=None,
        on_backoff=lambda d: got.append(d["wait"]), on_giveup=lambda d: reasons.append(d["reason"]),
    )(Flaky(failures=10**9, clock=fake_time, cost=ATTEMPT_COST))
    with pytest.raises(ValueError):
        decorated()
    assert reasons == [outcome]
    assert got == pytest.approx(want, rel=0, abs=1e-9)


@pytest.mark.parametrize("spec, hints, outcome, want", _hint_vectors())
def test_shared_hint_vector(
    fake_time: FakeTime, spec: str, hints: list[float | None], outcome: str, want: list[float]
) -> None:
    """Attempt i fails with hint i: a RetryAfter, or a plain error for none."""
    got: list[float] = []
    reasons: list[str] = []
    tries = 0

    def attempt() -> None:
        nonlocal tries
        tries += 1
        fake_time.advance(ATTEMPT_COST)
        hint = hints[tries - 1] if tries <= len(hints) else None
        raise ValueError("down") if hint is None else libbackoff.RetryAfter(hint)

    decorated = libbackoff.on_exception(
        libbackoff.Policy.from_spec(spec), Exception, logger=None,
        on_backoff=lambda d: got.append(d["wait"]), on_giveup=lambda d: reasons.append(d["reason"]),
    )(attempt)
    with pytest.raises(Exception):
        decorated()
    assert reasons == [outcome]
    assert got == pytest.approx(want, rel=0, abs=1e-9)
