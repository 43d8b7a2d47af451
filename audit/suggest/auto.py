"""`run --auto`: the suggested checks, compiled in memory, alone or after the packs that apply.

Their names are prefixed (auto_ops, auto_usd_rate) so they never clash with a pack's, and their
rule ids start with AUTO- so every output marks their findings as suggested.
"""
from __future__ import annotations

from . import AUTO, FOLDER
from .draft import Draft, draft


def with_suggestions(filing, rulesets=()) -> tuple[object, Draft]:
    """One RuleSet: the rule files of `rulesets` (the packs that apply), then the suggested checks."""
    from ..lang.grammar import parse
    from ..lang.graph import compile_rules

    drafted = draft(filing, prefix=AUTO, folder=FOLDER, header=False, names_prefix="auto_")
    files = [f for rs in rulesets for f in rs.files]
    files += [parse(text, f"{FOLDER}/{stem}.rules") for stem, text in drafted.files.items()]
    return compile_rules(files), drafted


def summary(drafted: Draft) -> str:
    """One line: how many checks were suggested, and what the search cost."""
    certain = sum(1 for c in drafted.candidates if c.certain and not c.outcome.failed)
    if not drafted.candidates:
        return (f"suggested: no checks: the tables hold no identity to tie ({drafted.tried} candidates tried "
                f"in {drafted.seconds:.2f} s)")
    return (f"suggested: {len(drafted.candidates)} checks ({certain} certain, "
            f"{len(drafted.candidates) - certain} guesses) from {drafted.tried} candidates tried "
            f"in {drafted.seconds:.2f} s")
