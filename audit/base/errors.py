"""Errors meant for people: each names the file and, for rule files, line, column and a caret."""
from __future__ import annotations

from typing import Optional

_WINDOW = 100  # characters of a long source line shown around the caret


class QfinError(Exception):
    """Base of every error the CLI reports as one clear message and exit code 2."""


class InputError(QfinError):
    """A filing or path that cannot be read as a filing's text."""


class RuleError(QfinError):
    """A problem in a rule file, pointing at file:line:col with the line and a caret."""

    def __init__(self, message: str, file: str, line: int, col: int, source_line: Optional[str] = None,
                 expected: Optional[str] = None, related: tuple = ()):
        self.message, self.file, self.line, self.col = message, file, line, col
        self.source_line, self.expected, self.related = source_line, expected, related
        super().__init__(self.render())

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        head = f"{self.file}:{self.line}:{self.col}: error: {self.message}"
        parts = [head]
        if self.source_line is not None:
            line, col = self.source_line, self.col
            if len(line) > 2 * _WINDOW:  # a long line: the part around the caret
                start = max(col - 1 - _WINDOW // 2, 0)
                line, col = ("..." if start else "") + line[start:start + _WINDOW] + "...", col - start + (3 if start else 0)
            text = line.expandtabs(4)
            prefix = line[: max(col - 1, 0)].expandtabs(4)
            parts.append(f"    {text}")
            parts.append(f"    {' ' * len(prefix)}^")
        if self.expected:
            parts.append(f"    expected {self.expected}")
        for note in self.related:
            parts.append(f"    note: {note}")
        return "\n".join(parts)


class RuleErrors(QfinError):
    """Several rule-file errors found in one pass (all are shown, not just the first)."""

    def __init__(self, errors: list[RuleError]):
        self.errors = errors
        super().__init__("\n".join(e.render() for e in errors))

    def __str__(self) -> str:
        return "\n".join(e.render() for e in self.errors)
