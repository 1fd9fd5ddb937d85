"""mypy keeps decorated functions' types (py.typed, ParamSpec)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import libbackoff

HERE = Path(__file__).parent / "typing"


def _mypy(path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    package_root = Path(libbackoff.__file__).resolve().parents[1]
    if "site-packages" not in package_root.parts:  # an editable install
        env["MYPYPATH"] = str(package_root)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, str(path)],
        capture_output=True, text=True, env=env, check=False,
    )


@pytest.fixture(scope="module", autouse=True)
def _needs_mypy() -> None:
    pytest.importorskip("mypy")


def test_decorated_functions_keep_their_types() -> None:
    result = _mypy(HERE / "decorated.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_argument_is_caught() -> None:
    result = _mypy(HERE / "wrong_call.py")
    assert result.returncode == 1
    assert 'Argument 1 to "fetch" has incompatible type "int"; expected "str"' in result.stdout


def test_the_package_itself_is_strictly_typed() -> None:
    source = Path(__file__).resolve().parents[1] / "src" / "libbackoff"
    env = dict(os.environ, MYPYPATH=str(source.parent))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "-p", "libbackoff"],
        capture_output=True, text=True, env=env, check=False, cwd=source.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr
