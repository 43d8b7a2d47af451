"""Rule text held in memory, compiled like rule files on disk (each under a path of its own)."""
from __future__ import annotations

import os


class Memo:
    """Candidate rules compiled again and again while they are confirmed: each text is parsed once,
    and each candidate keeps one rule id from one evaluation to the next."""

    def __init__(self, folder: str):
        self.folder = folder
        self.parsed: dict = {}
        self.ids: dict = {}

    def rid(self, candidate) -> str:
        """The candidate's rule id (the candidate is held, so its id() is never reused meanwhile)."""
        if id(candidate) not in self.ids:
            self.ids[id(candidate)] = (candidate, f"C-{len(self.ids) + 1:04d}")
        return self.ids[id(candidate)][1]

    def compile(self, parts: list[tuple[str, str]]):
        """Compile (stem, text) pieces as the files folder/stem.rules, in order."""
        from ..lang.grammar import parse
        from ..lang.graph import compile_rules

        files = []
        for stem, text in parts:
            path = os.path.join(self.folder, f"{stem}.rules")
            if (path, text) not in self.parsed:
                self.parsed[path, text] = parse(text, path)
            files.append(self.parsed[path, text])
        return compile_rules(files)


def compile_files(files: dict, folder: str):
    """Compile {stem: text} as the files folder/stem.rules."""
    return Memo(folder).compile(list(files.items()))
