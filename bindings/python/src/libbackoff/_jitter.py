"""The jitter functions, with the backoff package's names. The decorators
recognise them and let the C core jitter (seedable, and the same in every
language); any other function is called from the core for each wait."""

from __future__ import annotations

import random


def full_jitter(value: float) -> float:
    """A wait drawn uniformly from [0, value] (the default)."""
    return random.uniform(0, value)


def random_jitter(value: float) -> float:
    """value plus up to one second: value + U[0, 1)."""
    return value + random.random()
