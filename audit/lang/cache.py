"""Compiled rules cached on disk, keyed by the rule files' sha256 and the compiler's own source.

A hit unpickles a RuleSet without importing pyparsing or networkx. The cache is only ever an
optimisation: a missing, stale or corrupt entry means compiling the rules, as without it.
Set QFIN_AUDIT_CACHE_DIR to move it, or QFIN_AUDIT_CACHE=off to disable it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys

from .. import __version__
from ..base.output import OutputError, write_atomic
from .graph import RuleSet, load, rule_paths

FORMAT = 1
KEEP = 16  # entries kept; older ones (other versions of the rules) are removed on a write
# Modules whose classes a compiled RuleSet holds or whose code decides what it contains.
_COMPILER = ("lang/grammar.py", "lang/graph.py", "lang/nodes.py", "lang/limits.py", "lang/releases.py",
             "lang/problems.py", "read/filing.py", "base/errors.py", "read/source.py")


def cache_dir() -> str | None:
    """Where compiled rules are kept, or None when caching is off."""
    if os.environ.get("QFIN_AUDIT_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    explicit = os.environ.get("QFIN_AUDIT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "qfin-audit")


def _digest(paths: list[str]) -> tuple[str, list[bytes]]:
    """A key over the tool, Python, the compiler's source and every rule file (path and bytes)."""
    key = hashlib.sha256(f"qfin-audit {__version__} cache {FORMAT} py {sys.version_info[:2]}\n".encode())
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # audit/
    for name in _COMPILER:
        try:
            with open(os.path.join(here, name), "rb") as handle:
                key.update(name.encode() + b"\0" + hashlib.sha256(handle.read()).digest())
        except OSError:
            key.update(name.encode() + b"\0missing")
    contents = []
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        contents.append(data)
        key.update(path.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(data).digest())
    return key.hexdigest(), contents


def load_rules(targets) -> RuleSet:
    """Like graph.load(targets), from the cache when the same rule files were compiled before."""
    folder = cache_dir()
    if folder is None:
        return load(targets)
    paths = rule_paths(targets)
    try:
        key, contents = _digest(paths)
    except OSError:  # unreadable rule file: let load() report it
        return load(targets)
    entry = os.path.join(folder, f"rules-{key}.pickle")
    cached = _read(entry)
    if cached is not None:
        return cached
    ruleset = load(paths)
    try:
        if _digest(paths)[1] == contents:  # the files did not change while being compiled
            _write(entry, pickle.dumps(ruleset, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, OutputError):
        pass  # a read-only or full disk only costs the next run a compile
    return ruleset


def _read(entry: str) -> RuleSet | None:
    try:
        with open(entry, "rb") as handle:
            ruleset = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # corrupt, truncated or from incompatible code: compile instead
        return None
    return ruleset if isinstance(ruleset, RuleSet) else None


def _write(entry: str, data: bytes) -> None:
    """Write atomically (temporary file, then rename) in a folder only the user can read."""
    write_atomic(entry, data, private=True)
    _prune(os.path.dirname(entry))


def _prune(folder: str) -> None:
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith("rules-") and e.name.endswith(".pickle")]
        entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            os.unlink(old.path)
    except OSError:
        pass
