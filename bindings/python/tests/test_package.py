"""The package as installed: one version with its core, only its own
names exported."""

from __future__ import annotations

import importlib.metadata

import libbackoff


def test_the_package_and_its_core_share_a_version() -> None:
    assert libbackoff.__version__ == libbackoff.core_version
    assert importlib.metadata.version("libbackoff") == libbackoff.__version__


def test_the_public_names() -> None:
    for name in libbackoff.__all__:
        assert getattr(libbackoff, name) is not None
    for name in ("on_exception", "on_predicate", "expo", "fibo", "constant", "runtime", "decay",
                 "full_jitter", "random_jitter", "retry_context", "aretry_context"):
        assert name in libbackoff.__all__  # the backoff package's names
