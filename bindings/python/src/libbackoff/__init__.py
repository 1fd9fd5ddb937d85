"""libbackoff: retry with exponential backoff and jitter.

The backoff package's decorators (on_exception, on_predicate, the wait
generators, handlers, logging, retry_context) on libbackoff's C core, which
makes every retry decision, plus what the core adds: policy specs shared
with C, C++, Rust, Go and the ``backoff`` command, cancel tokens, server
hints (Retry-After) and seeded jitter. See docs/python.md.
"""

from __future__ import annotations

from . import _core, _log
from ._cancel import Cancelled, CancelToken
from ._decorators import aretry_context, on_exception, on_predicate, retry_context
from ._jitter import full_jitter, random_jitter
from ._retry_after import RetryAfter, parse_retry_after
from ._typing import ContextDetails, Details
from ._wait_gen import constant, decay, expo, fibo, runtime

Budget = _core.Budget
Policy = _core.Policy
__version__ = "1.1.0"  # the core's version: they are released together
core_version: str = _core.core_version

_core.install(retry_after_type=RetryAfter, cancelled_type=Cancelled, emit_log=_log.emit)

__all__ = [
    "Budget",
    "CancelToken",
    "Cancelled",
    "ContextDetails",
    "Details",
    "Policy",
    "RetryAfter",
    "aretry_context",
    "constant",
    "decay",
    "expo",
    "fibo",
    "full_jitter",
    "on_exception",
    "on_predicate",
    "parse_retry_after",
    "random_jitter",
    "retry_context",
    "runtime",
]
