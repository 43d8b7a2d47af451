"""What compiling rules finds wrong, said for people: each error at file:line:col, an unknown name
once per file (with how often it recurs and where a sibling file declares it), a close name
suggested; pack conditions name real filing fields and their patterns compile."""
from __future__ import annotations

import difflib
import os
import re
from typing import Optional

from ..base.errors import RuleError, RuleErrors
from . import nodes as n

_UNKNOWN = re.compile(r"^unknown (table|name) '([^']+)'")


def once_per_name(errors: list[RuleError]) -> list[RuleError]:
    """An unknown name is shown where a file first uses it, with how often it is used again."""
    first: dict[tuple[str, str], RuleError] = {}
    again: dict[tuple[str, str], int] = {}
    kept = []
    for err in errors:
        match = _UNKNOWN.match(err.message)
        key = (err.file, match.group(0)) if match else None
        if key is None or key not in first:
            kept.append(err)
            if key is not None:
                first[key] = err
        else:
            again[key] = again.get(key, 0) + 1
    for key, count in again.items():
        err = first[key]
        err.related = err.related + (f"used {count} more time(s) in this file",)
    return kept


def point_to_siblings(exc, loaded: set[str]) -> None:
    """An unknown table or name declared in a rule file next to the one given (the pack was
    passed file by file): say where, so the fix is obvious."""
    for err in exc.errors if isinstance(exc, RuleErrors) else [exc]:
        match = _UNKNOWN.match(err.message)
        folder = os.path.dirname(err.file) or "."
        if not match or not os.path.isdir(folder):
            continue
        keyword = "table" if match.group(1) == "table" else "let"
        pattern = re.compile(rf"^\s*{keyword}\s+{re.escape(match.group(2))}\s*=", re.MULTILINE)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if name.endswith(".rules") and path not in loaded:
                try:
                    with open(path, encoding="utf-8") as handle:
                        found = pattern.search(handle.read())
                except (OSError, UnicodeDecodeError):
                    continue
                if found:
                    err.related = err.related + (f"'{match.group(2)}' is declared in {path}: "
                                                 f"pass the folder {folder}/ or that file too",)
                    err.args = (err.render(),)
                    break


def rule_error(message: str, file: n.RuleFile, span, expected: Optional[str] = None, related=()) -> RuleError:
    return RuleError(message, file.path, span.line, span.col, file.line(span.line), expected, tuple(related))


#: What a pack's condition can test: the filing's description (audit.meta) and its whole text.
PACK_FIELDS = ("issuer", "ticker", "form", "document", "filename", "text")


def check_condition(node, file: n.RuleFile, errors: list[RuleError]) -> None:
    """Fields a pack condition names must exist; its patterns must compile."""
    if node is None:
        return
    if isinstance(node, n.Applies):
        if node.field not in PACK_FIELDS:
            errors.append(rule_error(f"unknown filing field '{node.field}'", file, node.span,
                                 expected="one of " + ", ".join(PACK_FIELDS) + suggest(node.field, PACK_FIELDS)))
        check_regexes(node.options, file, errors)
        return
    for child in ((node.operand,) if isinstance(node, n.Not) else node.operands):
        check_condition(child, file, errors)


def check_regexes(options, file: n.RuleFile, errors: list[RuleError]) -> None:
    """Every /pattern/ among the options must compile and use known flags."""
    for option in options:
        if isinstance(option, n.Pattern):
            bad = set(option.flags) - set("imsx")
            try:  # with its flags, as it is matched: /(a#)/x is another pattern than /(a#)/
                option.regex() if not bad else re.compile(option.source)
            except re.error as exc:
                errors.append(rule_error(f"invalid regular expression: {exc}", file, option.span))
            if bad:
                errors.append(rule_error(f"unknown regex flag(s) {''.join(sorted(bad))}", file, option.span))


def suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
