"""Rule packs: which folders and files make a pack, which filings each one applies to, and the
compiled rules of the packs that apply to one filing.

A folder of *.rules files is a pack. A folder that has such folders below it (rules/) is a
collection: each of its subfolders is read the same way and each rule file directly in it is a
pack of its own. Rule files named on the command line form one pack together. A pack's `pack`
declaration names it and says which filings it applies to; a pack without one applies to every
filing.
"""
from __future__ import annotations

import os
import re
from typing import Callable, NamedTuple, Optional

from ..base.errors import InputError, RuleError, RuleErrors
from ..read.source import limit
from . import nodes as n

ALL = "applies to every filing (no pack condition)"


class Pack(NamedTuple):
    """One pack: where it is, its rule files and, once compiled, its rules and declaration."""

    path: str  # the folder, or the first rule file for a pack of files
    files: tuple[str, ...]
    ruleset: object = None  # graph.RuleSet
    decl: Optional[n.PackDecl] = None

    @property
    def name(self) -> str:
        if self.decl is not None:
            return self.decl.name
        base = os.path.basename(os.path.normpath(self.path))
        return base[:-len(".rules")] if base.endswith(".rules") else base

    @property
    def title(self) -> str:
        return self.decl.title if self.decl is not None else ""


class Verdict(NamedTuple):
    """Whether a pack applies to a filing, and why (said in the filing's own words)."""

    pack: Pack
    applies: bool
    reason: str


def discover(targets) -> list[Pack]:
    """The packs under the RULES arguments, in order: each folder holding *.rules files (searched
    recursively), and the rule files named directly, together as one pack."""
    packs: list[Pack] = []
    loose: list[str] = []
    for target in targets:
        if os.path.isdir(target):
            found = list(_folders(target, os.path.realpath(target), set()))
            if not found:
                raise InputError(f"{target}: no .rules files in this directory or its subfolders")
            packs.extend(found)
        elif os.path.isfile(target):
            loose.append(target)
        elif os.path.exists(target):  # a FIFO or device would block or never end
            raise InputError(f"{target}: is not a regular file, expected a rule file")
        else:
            raise InputError(f"{target}: no such rule file or directory")
    if loose:
        packs.insert(0, Pack(loose[0], tuple(loose)))
    if not packs:
        raise InputError("no rule files given")
    _check_sizes(f for p in packs for f in p.files)
    return packs


def _check_sizes(files) -> None:
    """A rule file over the size limit is an InputError (compiling takes time in proportion)."""
    most = limit("QFIN_AUDIT_MAX_RULES_KB")
    for path in files:
        try:
            size = os.path.getsize(path)
        except OSError:
            continue  # reported when it is read
        if size > most * 1024:
            raise InputError(f"{path}: is {size // 1024:,} KB, over the rule file size limit of {most:,} KB; "
                             "raise it with QFIN_AUDIT_MAX_RULES_KB=N")


def _folders(folder: str, root: str, seen: set[str]) -> list[Pack]:
    """A folder without rule-holding subfolders is one pack; in one with them (a collection such
    as rules/), each subfolder is searched the same way and each loose rule file is a pack.
    Symbolic links to folders are followed only inside `root` (the RULES folder), and a folder
    reached twice (a link loop) is read once."""
    seen.add(os.path.realpath(folder))
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"{folder}: cannot be read ({exc.strerror or exc})") from None
    files = [e.path for e in entries if e.name.endswith(".rules") and _is(e.is_file)]
    nested = [p for e in entries if not e.name.startswith(".") and _is(e.is_dir)
              and _inside(e, root, seen) for p in _folders(e.path, root, seen)]
    if nested:
        return [Pack(f, (f,)) for f in files] + nested
    return [Pack(folder, tuple(files))] if files else []


def _is(test) -> bool:
    """DirEntry.is_file / is_dir, with an unreadable entry (a link loop, no permission) as False."""
    try:
        return test()
    except OSError:
        return False


def _inside(entry: os.DirEntry, root: str, seen: set[str]) -> bool:
    """Read this subfolder? Not when it was read already; an InputError when it is a symbolic
    link out of the RULES folder."""
    real = os.path.realpath(entry.path)
    if real in seen:
        return False
    if os.path.commonpath([real, root]) != root:
        raise InputError(f"{entry.path}: a symbolic link to {real}, outside the rules folder {root}; "
                         "rule folders are read only inside RULES (pass that folder itself to use it)")
    return True


def compile_packs(targets, load: Callable) -> list[Pack]:
    """Discover and compile every pack (each on its own: names are a pack's own); `load` compiles
    a list of rule files (audit.cache.load_rules). Rule errors in any pack are reported."""
    packs = []
    errors: list[RuleError] = []
    for pack in discover(targets):
        ruleset = load(list(pack.files))
        decls = ruleset.packs
        if len(decls) > 1:
            (first, first_path), (second, path) = decls[0], decls[1]
            source = next(f for f in ruleset.files if f.path == path).line(second.span.line)
            errors.append(RuleError(f"pack '{pack.path}' is declared twice ('{first.name}' and '{second.name}'): "
                                    "a folder is one pack", path, second.span.line, second.span.col, source,
                                    related=[f"first declared at {first_path}:{first.span.line}:{first.span.col}"]))
            continue
        packs.append(pack._replace(ruleset=ruleset, decl=decls[0][0] if decls else None))
    if errors:
        raise errors[0]
    names: dict[str, Pack] = {}
    for pack in packs:
        if pack.name in names:
            raise InputError(f"two packs are named '{pack.name}': {names[pack.name].path} and {pack.path}")
        names[pack.name] = pack
    return packs


def check_names(packs: list[Pack], only: tuple[str, ...]) -> None:
    """--pack NAME must name packs that exist; InputError listing them otherwise."""
    known = {p.name for p in packs}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise InputError(f"no pack named {', '.join(repr(u) for u in unknown)}; the packs are "
                         + ", ".join(f"{p.name} ({p.path})" for p in packs))


def choose(packs: list[Pack], filing, only: tuple[str, ...] = ()) -> list[Verdict]:
    """Each pack's verdict for this filing; `only` (--pack NAME) chooses packs by name instead
    of by their conditions."""
    if only:
        check_names(packs, only)
        return [Verdict(p, True, "chosen with --pack") if p.name in only else
                Verdict(p, False, "not chosen (--pack)") for p in packs]
    return [Verdict(p, *applies(p.decl.condition if p.decl else None, filing)) for p in packs]


def applies(condition, filing) -> tuple[bool, str]:
    """Does the filing meet the condition? With the reason, quoting what the filing says."""
    if condition is None:
        return True, ALL
    if isinstance(condition, n.Not):
        ok, why = applies(condition.operand, filing)
        return not ok, why
    if isinstance(condition, n.BoolOp):
        results = [applies(c, filing) for c in condition.operands]
        if condition.op == "and":
            failed = [why for ok, why in results if not ok]
            return (False, failed[0]) if failed else (True, " and ".join(why for _, why in results))
        passed = [why for ok, why in results if ok]
        return (True, passed[0]) if passed else (False, "; ".join(why for _, why in results))
    return _test(condition, filing)


def _test(test: n.Applies, filing) -> tuple[bool, str]:
    wanted = " or ".join(o.written() for o in test.options)
    if test.field == "text":
        for option in test.options:
            found = _regex(option).search(filing.text)
            if found:
                line = filing.text.count("\n", 0, found.start()) + 1
                return True, f"the text says {found.group(0)!r} (line {line})"
        return False, f"the text never says {wanted}"
    value = filing.meta.get(test.field)
    if not value:
        return False, f"the filing does not state its {test.field}"
    where = filing.meta.where.get(test.field)
    said = f'{test.field} "{value}"' + (f" ({where})" if where else "")
    if any(_regex(o).search(value) for o in test.options):
        return True, f"{said} matches {wanted}"
    return False, f"{said} does not match {wanted}"


def _regex(option) -> "re.Pattern[str]":
    """A pattern as written; a string as a whole word or phrase, any case, any spacing."""
    if isinstance(option, n.Pattern):
        return option.regex()
    words = r"\s+".join(re.escape(w) for w in option.value.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def rules_for(verdicts: list[Verdict], load: Callable, path: str):
    """The compiled rules of the packs that apply (compiled together when several do), or an
    InputError saying why no pack applies."""
    chosen = [v.pack for v in verdicts if v.applies]
    if not chosen:
        lines = "".join(f"\n  {v.pack.name} ({v.pack.path}): {v.reason}" for v in verdicts)
        raise InputError(f"{path}: no rule pack applies to this filing{lines}")
    if len(chosen) == 1:
        return chosen[0].ruleset
    try:
        return load([f for p in chosen for f in p.files])
    except (RuleError, RuleErrors) as exc:
        names = ", ".join(f"{p.name} ({p.path})" for p in chosen)
        raise InputError(f"{path}: the packs {names} all apply to this filing and share one namespace "
                         f"when they run together; their names clash:\n{exc}") from None


def condition_text(condition) -> str:
    """A condition as written in the rule language."""
    if condition is None:
        return "every filing"
    if isinstance(condition, n.Not):
        return "not " + _grouped(condition.operand)
    if isinstance(condition, n.BoolOp):
        return f" {condition.op} ".join(_grouped(c) for c in condition.operands)
    return f"{condition.field} = " + " | ".join(o.written() for o in condition.options)


def _grouped(condition) -> str:
    text = condition_text(condition)
    return f"({text})" if isinstance(condition, n.BoolOp) else text
