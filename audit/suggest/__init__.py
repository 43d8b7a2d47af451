"""Drafting checks for a release no pack was written for: `qfin-audit suggest` and `run --auto`.

This stage sits between diagnose and check (cli > batch > report > diagnose > suggest > check >
lang > read > base). It reads Filings (read), tests candidate identities with the engine's
rounding intervals and column lining-up (check.interval, check.resolve), writes rule text that
lang parses and compiles, and confirms each candidate by evaluating the compiled rules with the
engine (check.engine). Nothing below it needs it; diagnose does not either, so the stages that
run a drafted pack (cli, batch) and mark its findings (report) all sit above it.
"""
from __future__ import annotations

AUTO = "AUTO-"  # rule ids of suggested checks in `run --auto`
FOLDER = "suggested"  # the folder named in suggested rules' paths when they are held in memory


def is_suggested(finding) -> bool:
    """Is this finding from a suggested check (run --auto)?"""
    return finding.rule.id.startswith(AUTO)
