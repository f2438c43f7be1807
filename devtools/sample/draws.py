"""The random draws every part of the generator shares: weighted picks, Hub ids and tokens.

Every draw takes the caller's seeded `random.Random`, so what is drawn depends only on the
stream it came from; that is what makes a listing a function of `(seed, listing_date)`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

WeightedTable = tuple[tuple[str, ...], tuple[float, ...]]  # names, cumulative weights


def weighted(items: Sequence[tuple[str, float]]) -> WeightedTable:
    """Names and cumulative weights, as `random.choices(cum_weights=...)` takes them."""
    names = tuple(name for name, _ in items)
    total = 0.0
    cumulative = []
    for _, weight in items:
        total += weight
        cumulative.append(total)
    return names, tuple(cumulative)


def pick(rng: random.Random, table: WeightedTable) -> str:
    """One name drawn from a `weighted` table."""
    names, cumulative = table
    return rng.choices(names, cum_weights=cumulative)[0]


def new_object_id(rng: random.Random, moment: datetime) -> str:
    """A MongoDB-style id: 8 hex digits of creation time, then 16 random hex digits."""
    return f"{int(moment.timestamp()):08x}{rng.getrandbits(64):016x}"


def add_to_object_id(object_id: str, offset: int) -> str:
    """The id `offset` after another: ids made together (a paper's authors) are consecutive."""
    return f"{int(object_id, 16) + offset:024x}"


def token(rng: random.Random, length: int = 21) -> str:
    """A random URL-safe file name, as the Hub gives uploads."""
    return "".join(rng.choices(B62 + "-_", k=length))
