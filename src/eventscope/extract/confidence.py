"""Confidence of a coded event: the measured precision of the rule that coded it.

Placeholder table until calibrated (see CALIBRATION below).
"""

from __future__ import annotations

from ..records import Event

DEFAULT = 0.5
CALIBRATION: dict[str, float] = {}


def confidence(rule: str, index: int, event: Event) -> float:
    base = CALIBRATION.get(rule.split("+")[0], DEFAULT)
    return round(max(0.01, min(0.99, base * (0.97**index))), 3)
