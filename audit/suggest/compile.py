"""Rule text held in memory, compiled like rule files on disk (each under a path of its own)."""
from __future__ import annotations

import hashlib
import os


def compile_files(files: dict, folder: str, before: tuple = ()):
    """Compile {stem: text} as the files folder/stem.rules, after the rule files `before`."""
    from ..lang.grammar import parse
    from ..lang.graph import compile_rules

    parsed = []
    for path in before:
        with open(path, encoding="utf-8") as handle:
            parsed.append(parse(handle.read(), path))
    for stem, text in files.items():
        path = os.path.join(folder, f"{stem}.rules")
        parsed.append(parse(text, path))
    return compile_rules(parsed)


def digest(files: dict) -> str:
    return hashlib.sha256("".join(files.values()).encode()).hexdigest()
