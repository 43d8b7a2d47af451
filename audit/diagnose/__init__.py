"""Diagnosis, the stage after the engine: which printed figures most likely explain the failures."""
from __future__ import annotations

from operator import attrgetter

_STATUS = attrgetter("status")


def audit(ruleset, filing):
    """Evaluate every rule over the filing (audit.check), then name the suspects of any failure."""
    from ..check.engine import audit as evaluate

    result = evaluate(ruleset, filing)
    if "fail" in map(_STATUS, result.findings):  # (a check failed)
        from .solver import (
            diagnose,  # only a failing audit pays for the solver's import
        )
        result = result._replace(suspects=diagnose(result))
    return result
