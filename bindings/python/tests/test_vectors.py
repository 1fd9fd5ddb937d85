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


def _vectors_file() -> Path:
    override = os.environ.get("LIBBACKOFF_VECTORS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "tests" / "vectors" / "waits.tsv"


def _vectors() -> list[tuple[str, str, list[float]]]:
    rows = []
    for line in _vectors_file().read_text().splitlines():
        if line.startswith("#") or not line:
            continue
        spec, outcome, waits = line.split("\t")
        rows.append((spec, outcome, [float(w) for w in waits.split(",")] if waits else []))
    return rows


def test_the_vectors_are_there() -> None:
    assert len(_vectors()) >= 300


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
