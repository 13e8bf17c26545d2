"""Amounts: integer cents internally (exact arithmetic), Decimal / text on the way out."""

from __future__ import annotations

import random
from decimal import Decimal


def dec(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def cell(cents: int | None) -> str:
    """A table cell in 万元 with two decimals; empty for zero / not stated."""
    return f"{dec(cents):.2f}" if cents else ""


def prose(cents: int, trim: bool) -> str:
    """A prose amount: "157.00" or, in documents that trim, "157" / "5.4"."""
    text = f"{dec(cents):.2f}"
    return text.rstrip("0").rstrip(".") if trim else text


def split(total: int, parts: int, rng: random.Random, floor: int = 1) -> list[int]:
    """``total`` cents in ``parts`` positive random shares that add up exactly."""
    if parts <= 1:
        return [total]
    cuts = sorted(rng.sample(range(floor, max(total - floor, floor + parts)), parts - 1))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
    if min(shares) <= 0:  # tiny totals: fall back to an even split
        base = total // parts
        shares = [base] * (parts - 1) + [total - base * (parts - 1)]
    return shares


def amount(rng: random.Random, low: float, high: float, round_to: int = 1) -> int:
    """Random cents between low and high 万元, rounded to ``round_to`` cents."""
    cents = rng.randint(int(low * 100), int(high * 100))
    return max(round_to, cents // round_to * round_to)
