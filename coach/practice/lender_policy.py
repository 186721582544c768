"""The simulated lender's limits, in one place for the collector that enforces them and
the scorer and hints that measure the learner against them.

The figures come from ``content/collector_lines.yml`` (``lender_policy``); amounts the
collector names are rounded up to ``ROUND_TO`` yuan. Pure: no Rasa import.
"""

import math
from collections.abc import Mapping
from typing import Any

from coach.content import load_content

ROUND_TO = 50


def policy() -> Mapping[str, Any]:
    found: Mapping[str, Any] = load_content("collector_lines")["lender_policy"]
    return found


def round_up(value: float) -> int:
    """``value`` rounded up to the collector's step (50 元)."""
    return int(math.ceil(value / ROUND_TO) * ROUND_TO)


def remaining_balance(balance: int, paid_up_front: int = 0) -> int:
    """What is left to pay after a down payment (首付), at least 1 元."""
    return max(1, balance - paid_up_front)


def settlement_opening(balance: int, paid_up_front: int = 0) -> int:
    """The collector's first one-off settlement demand (一次性结清)."""
    left = remaining_balance(balance, paid_up_front)
    return min(round_up(left * float(policy()["settlement"]["opening_share"])), left)


def settlement_floor(balance: int, paid_up_front: int = 0) -> int:
    """The lowest one-off sum the lender settles for: its floor share of what is left
    after any down payment, rounded up as the collector names it, never above what is
    left."""
    left = remaining_balance(balance, paid_up_front)
    return min(round_up(left * float(policy()["settlement"]["floor_share"])), left)
