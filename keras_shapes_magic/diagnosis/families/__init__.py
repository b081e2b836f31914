"""One module per family of shape mistakes: its message patterns, its typed facts, its explanation.

Adding a family is one module (patterns, a facts dataclass, ``explain(ctx, facts)``) and one line
here. The order below is the matching order: the first family whose pattern matches wins, and
families decided by the phase (a custom training loop) are asked first.
"""

from __future__ import annotations

from typing import Any

from ...records import ErrorFamily, Phase
from . import attention, inputs, loss, merge, size, training_loop, undefined_size, usercode
from .base import Family, NoFacts

FAMILIES: tuple[Family, ...] = (
    *training_loop.FAMILIES,
    *inputs.FAMILIES,
    *loss.FAMILIES,
    *merge.FAMILIES,
    *attention.FAMILIES,
    *size.FAMILIES,
    *undefined_size.FAMILIES,
    *usercode.FAMILIES,
)


def recognise(core: str, phase: Phase) -> tuple[Family | None, Any]:
    """The family of an error (and its facts) from the phase it happened in and its unwrapped message."""
    for family in FAMILIES:
        if phase in family.phases:
            return family, NoFacts()
    for family in FAMILIES:
        facts = family.match(core)
        if facts is not None:
            return family, facts
    return None, NoFacts()


def named(name: ErrorFamily) -> Family:
    """The family registered under ``name``."""
    return next(family for family in FAMILIES if family.name == name)


__all__ = ["FAMILIES", "Family", "named", "recognise"]
