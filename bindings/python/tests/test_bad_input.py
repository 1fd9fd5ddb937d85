"""The Python column of the bad-input table (tests/bad_input/cases.tsv,
shared with C, C++, Rust, Go, specs and the command): each row's expression,
evaluated with libbackoff's names, must raise the exception the table gives
(or be accepted where the table says ok)."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pytest

import libbackoff

CANNOT = "\u2013"  # "–": the layer cannot express the input


def _cases_path() -> Path:
    override = os.environ.get("LIBBACKOFF_BAD_INPUT")
    # The core's own table, through the package's link to the core.
    here = Path(__file__).parent
    return Path(override) if override else (
        here.parent / "subprojects" / "libbackoff" / "tests" / "bad_input" / "cases.tsv")


def _rows() -> list[dict[str, str]]:
    with open(_cases_path(), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r for r in rows if r["python"] != CANNOT]


def _answer(expression: str) -> str:
    def f() -> None:
        """The function the decorators are applied to."""

    names: dict[str, Any] = {name: getattr(libbackoff, name) for name in libbackoff.__all__}
    names["f"] = f
    try:
        eval(expression, names)  # the table's own expressions
    except Exception as e:  # the answer is whatever it raises
        return f"{type(e).__name__}: {e}"
    return "ok"


def test_the_table_has_python_rows() -> None:
    assert len(_rows()) > 0


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["id"])
def test_each_bad_input_gives_the_tables_answer(row: dict[str, str]) -> None:
    assert _answer(row["python"]) == row["python_error"], row["id"]
