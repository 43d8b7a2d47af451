"""Rules -> a networkx dependency graph, checked for unknown names, duplicates and cycles.

Nodes are tables, facts, figure references (cells and prose anchors), definitions and rules;
an edge A -> B means B uses A. Evaluation follows a topological order.
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, NamedTuple

from ..base.errors import InputError, RuleError, RuleErrors
from ..read.source import decode
from . import nodes as n
from .problems import check_condition, check_regexes, once_per_name, point_to_siblings, rule_error, suggest
from .releases import Binder

if TYPE_CHECKING:  # networkx and pyparsing (grammar) load only when rules are compiled
    import networkx as nx

_ARITY = {"abs": (1, 1), "round": (1, 2), "sum": (1, 99), "min": (2, 99), "max": (2, 99), "fact": (1, 1),
          "translate": (2, 2), "signed": (1, 1), "coarse": (2, 2)}
FUNCTIONS = tuple(_ARITY)
MODIFIERS = ("start", "end", "prior", "previous", "ytd")  # and @RMB, @3M, @"Non-GAAP"
_CURRENCY_MOD = re.compile(r"^[A-Z]{3}$")
LENGTHS = ("1M", "3M", "6M", "9M", "12M")  # period lengths: `columns 6M`, `x @3M`
_LENGTH = re.compile(r"^\d{1,2}M$")


class Deps:
    """The dependency graph as plain nodes and edges: pickles without networkx, built on demand."""

    __slots__ = ("nodes", "edges", "_graph")

    def __init__(self, graph: "nx.DiGraph"):
        self.nodes = tuple(graph.nodes(data=True))
        self.edges = tuple(graph.edges(data=True))
        self._graph = graph

    def __getstate__(self):
        return self.nodes, self.edges

    def __setstate__(self, state):
        self.nodes, self.edges = state
        self._graph = None

    def graph(self) -> "nx.DiGraph":
        if self._graph is None:
            import networkx as nx

            graph = nx.DiGraph()
            graph.add_nodes_from(self.nodes)
            graph.add_edges_from(self.edges)
            self._graph = graph
        return self._graph


_ANCHORS: dict[int, tuple] = {}  # id(RuleSet) -> (the RuleSet, its anchors)


class RuleSet(NamedTuple):
    """Compiled rules: declarations by name, rules in evaluation order, and the graph."""

    files: tuple[n.RuleFile, ...]
    tables: dict[str, n.TableDecl]
    lets: dict[str, n.Let]
    let_order: tuple[str, ...]
    rules: tuple[n.Rule, ...]
    unchecked: tuple[n.Unchecked, ...]
    deps: Deps  # the graph as plain data; `graph` is the networkx view
    rule_files: dict[str, str]  # rule id -> path of the file that defines it
    packs: tuple = ()  # (PackDecl, path of its file) for each `pack` declaration
    earlier: dict = {}  # rule id -> the earlier releases it reads (`prior_year.x`), through its definitions

    @property
    def graph(self) -> "nx.DiGraph":
        return self.deps.graph()

    def file_of(self, rule: n.Rule) -> str:
        return self.rule_files[rule.id]

    def anchor_texts(self) -> tuple[str, ...]:
        """Every quoted prose anchor in the pack's rules and definitions, as written (once per RuleSet)."""
        hit = _ANCHORS.get(id(self))
        if hit is not None and hit[0] is self:
            return hit[1]
        found: set[str] = set()
        for root in [r.check for r in self.rules] + [let.expr for let in self.lets.values()] + [
                ref for u in self.unchecked for ref in u.refs]:
            for node in n.walk(root):
                if isinstance(node, n.ProseRef):
                    found.update(o.value for a in node.anchors for o in a.options if isinstance(o, n.Text))
        if len(_ANCHORS) > 64:
            _ANCHORS.clear()
        _ANCHORS[id(self)] = (self, tuple(sorted(found)))
        return _ANCHORS[id(self)][1]


def rule_paths(targets: tuple[str, ...] | list[str]) -> list[str]:
    """Expand RULES arguments: a directory means its *.rules files, sorted by name."""
    paths: list[str] = []
    for target in targets:
        if os.path.isdir(target):
            found = sorted(os.path.join(target, f) for f in os.listdir(target) if f.endswith(".rules"))
            if not found:
                raise InputError(f"{target}: no .rules files in this directory")
            paths.extend(found)
        elif os.path.exists(target):
            paths.append(target)
        else:
            raise InputError(f"{target}: no such rule file or directory")
    if not paths:
        raise InputError("no rule files given")
    return paths


def load(targets) -> RuleSet:
    """Read, parse and compile rule files (a directory or a list of files)."""
    from .grammar import parse

    files = []
    errors: list[RuleError] = []
    for path in rule_paths(targets):
        with open(path, "rb") as handle:
            text = decode(handle.read(), path) if os.path.getsize(path) else ""
        try:
            files.append(parse(text, path))
        except RuleError as exc:
            errors.append(exc)
    from .limits import check as check_limits

    errors.extend(check_limits(files))  # depth, literals, messages: before compiling walks the rules
    if errors:
        raise errors[0] if len(errors) == 1 else RuleErrors(errors)
    try:
        return compile_rules(files)
    except (RuleError, RuleErrors) as exc:
        point_to_siblings(exc, {f.path for f in files})
        raise


def step(s) -> str:
    """One step of a row path or anchor path, as written."""
    if isinstance(s, n.Star):
        return "*"
    return " | ".join(o.written() for o in s.options)


def ref_key(node) -> str:
    """A readable, canonical name for a figure reference node."""
    if isinstance(node, n.CellRef):
        path = " / ".join(step(s) for s in node.path)
        if node.until:
            path = ("between " if node.between else "") + path + (" and " if node.between else " .. ") \
                + " / ".join(step(s) for s in node.until)
        if node.kinds:
            path += " where " + ", ".join(node.kinds)
        mods = "".join(f' @"{m[5:]}"' if m.startswith("role:") else f" @{m}" for m in node.mods
                       if not m.startswith("release:"))
        return f"{node.table}[{path}]{'?' if node.optional else ''}{mods}"
    if isinstance(node, n.ProseRef):
        return "prose[" + " / ".join(step(a) for a in node.anchors) + "]"
    return repr(node)


def compile_rules(files: list[n.RuleFile]) -> RuleSet:
    """Check names, arity, duplicates and cycles; build the graph; order the rules."""
    import networkx as nx

    tables: dict[str, n.TableDecl] = {}
    lets: dict[str, n.Let] = {}
    rules: list[n.Rule] = []
    unchecked: list[n.Unchecked] = []
    packs: dict[str, n.PackDecl] = {}
    origin: dict[int, n.RuleFile] = {}
    seen_ids: dict[str, n.Rule] = {}
    errors: list[RuleError] = []

    def first_at(stmt) -> str:
        f = origin[id(stmt)]
        return f"first defined at {f.path}:{stmt.span.line}:{stmt.span.col}"

    for file in files:
        for stmt in file.statements:
            origin[id(stmt)] = file
            if isinstance(stmt, n.TableDecl):
                if stmt.name in tables:
                    errors.append(rule_error(f"table '{stmt.name}' is declared twice", file, stmt.span,
                                         related=[first_at(tables[stmt.name])]))
                tables.setdefault(stmt.name, stmt)
            elif isinstance(stmt, n.Let):
                if stmt.name in lets:
                    errors.append(rule_error(f"'{stmt.name}' is defined twice", file, stmt.span,
                                         related=[first_at(lets[stmt.name])]))
                lets.setdefault(stmt.name, stmt)
            elif isinstance(stmt, n.Rule):
                if stmt.id in seen_ids:
                    errors.append(rule_error(f"duplicate rule id '{stmt.id}'", file, stmt.span,
                                         related=[first_at(seen_ids[stmt.id])]))
                else:
                    seen_ids[stmt.id] = stmt
                    rules.append(stmt)
            elif isinstance(stmt, n.PackDecl):
                if stmt.name in packs:
                    errors.append(rule_error(f"pack '{stmt.name}' is declared twice", file, stmt.span,
                                         related=[first_at(packs[stmt.name])]))
                packs.setdefault(stmt.name, stmt)
                check_condition(stmt.condition, file, errors)
            else:
                unchecked.append(stmt)

    graph = nx.DiGraph()
    for name, decl in tables.items():
        graph.add_node(("table", name), kind="table", label=name, file=origin[id(decl)].path, line=decl.span.line)
    for name, let in lets.items():
        graph.add_node(("let", name), kind="let", label=name, file=origin[id(let)].path, line=let.span.line)
    for rule in rules:
        graph.add_node(("rule", rule.id), kind="rule", label=rule.id, title=rule.title, severity=rule.severity,
                       file=origin[id(rule)].path, line=rule.span.line)

    bound = Binder(tables, lets, origin, graph, errors, rule_error)  # tables and definitions of earlier releases

    def visit(owner_key, node, file, in_foreach: bool, in_sum: bool = False):
        if isinstance(node, n.Name):
            _check_mods(node.mods, node.span, file)
            if node.release is not None:
                ok, made = bound.let(node, file)
                for let in made:
                    visit(("let", let.name), let.expr, origin[id(let)], in_foreach=False)
                if not ok:
                    return
            if node.name not in lets:
                errors.append(rule_error(f"unknown name '{node.name}'", file, node.span,
                                     expected="a name defined with 'let'" + suggest(node.name, lets)))
            else:
                graph.add_edge(("let", node.name), owner_key)
        elif isinstance(node, n.CellRef):
            if node.release is not None and not bound.table(node, file):
                _check_mods(node.mods, node.span, file)
                return
            if node.table not in tables:
                errors.append(rule_error(f"unknown table '{node.table}'", file, node.span,
                                     expected="a table declared with 'table'" + suggest(node.table, tables)))
            else:
                ref = ("ref", ref_key(node))
                graph.add_node(ref, kind="figure", label=ref[1])
                graph.add_edge(("table", node.table), ref)
                graph.add_edge(ref, owner_key)
            _check_mods(node.mods, node.span, file)
            _check_patterns([o for s in node.path + node.until if isinstance(s, n.Label) for o in s.options], file)
            many = node.until or any(isinstance(s, n.Star) for s in node.path)
            if many and not in_sum:
                errors.append(rule_error("a section (/*) or a range (..) stands for several rows: wrap it in sum(...)",
                                     file, node.span))
            if node.kinds and not many:
                errors.append(rule_error("'where' chooses the row kinds of a section (/*) or a range (..)", file,
                                     node.span, expected="a range or section before 'where'"))
            if any(isinstance(s, n.Star) for s in node.path[:-1]):
                errors.append(rule_error("'*' may only end a row path", file, node.span))
        elif isinstance(node, n.ProseRef):
            ref = ("prose", ref_key(node))
            graph.add_node(ref, kind="figure", label=ref[1])
            graph.add_edge(ref, owner_key)
            _check_patterns([o for a in node.anchors for o in a.options], file)
        elif isinstance(node, n.RowRef):
            if not in_foreach:
                errors.append(rule_error("'row' is only defined inside 'for each row' rules", file, node.span))
            _check_mods(node.mods, node.span, file)
        elif isinstance(node, n.Call):
            if node.func not in FUNCTIONS:
                errors.append(rule_error(f"unknown function '{node.func}'", file, node.span,
                                     expected="one of " + ", ".join(FUNCTIONS)))
            else:
                low, high = _ARITY[node.func]
                if not low <= len(node.args) <= high:
                    count = f"{low}" if low == high else f"{low} to {high}" if high < 99 else f"at least {low}"
                    errors.append(rule_error(f"{node.func}() takes {count} argument(s), not {len(node.args)}",
                                         file, node.span))
                if node.func == "fact":
                    if not (node.args and isinstance(node.args[0], n.Str)):
                        errors.append(rule_error('fact() takes a quoted fact name, as in fact("exchange_rate")',
                                             file, node.span))
                    else:
                        key = ("fact", node.args[0].value)
                        graph.add_node(key, kind="fact", label=node.args[0].value)
                        graph.add_edge(key, owner_key)
                    return
                if node.func == "signed" and node.args and not isinstance(node.args[0], n.ProseRef):
                    errors.append(rule_error("signed() takes a prose figure, as in signed(prose[\"Net sales\"])",
                                         file, node.span))
                if node.func == "coarse" and len(node.args) == 2 and not (
                        isinstance(node.args[1], n.Number) and node.args[1].value >= 1):
                    errors.append(rule_error("coarse()'s second argument is the factor by which the figure was "
                                         "restated, a number of at least 1, as in coarse(x, 10)", file,
                                         node.args[1].span))
                if node.func == "round" and len(node.args) == 2 and not isinstance(node.args[1], n.Number):
                    errors.append(rule_error("round()'s second argument is a number of decimal places", file,
                                         node.args[1].span))
            for arg in node.args:
                if isinstance(arg, n.Str):
                    errors.append(rule_error("a quoted string is not a value here", file, arg.span))
                else:
                    visit(owner_key, arg, file, in_foreach, in_sum=node.func == "sum")
            return
        for child in n.children(node):
            visit(owner_key, child, file, in_foreach, in_sum)

    def _check_mods(mods, span, file):
        for mod in mods:
            if mod.startswith("release:"):  # `prior_year.t[...]`: the release is checked where it is named
                continue
            if _LENGTH.match(mod) and mod not in LENGTHS:
                errors.append(rule_error(f"unknown period length '@{mod}'", file, span,
                                     expected="one of " + ", ".join("@" + m for m in LENGTHS)))
            elif mod not in MODIFIERS and not _CURRENCY_MOD.match(mod) and not _LENGTH.match(mod) \
                    and not mod.startswith("role:"):
                errors.append(rule_error(f"unknown column modifier '@{mod}'", file, span,
                                     expected="@start, @end, @prior, @previous, @ytd, a length such as @3M, "
                                              "a currency such as @RMB, or a role such as @\"Non-GAAP\""
                                              + suggest(mod, MODIFIERS)))

    def _check_patterns(options, file):
        check_regexes(options, file, errors)

    for name, let in list(lets.items()):
        visit(("let", name), let.expr, origin[id(let)], in_foreach=False)
    for rule in rules:
        file = origin[id(rule)]
        key = ("rule", rule.id)
        for wanted in rule.columns:
            if _LENGTH.match(wanted) and wanted not in LENGTHS:
                errors.append(rule_error(f"unknown period length '{wanted}' in 'columns'", file, rule.span,
                                     expected="one of " + ", ".join(LENGTHS)))
        if rule.foreach:
            for table in rule.foreach.tables:
                if table not in tables:
                    errors.append(rule_error(f"unknown table '{table}'", file, rule.foreach.span,
                                         expected="a table declared with 'table'" + suggest(table, tables)))
                else:
                    graph.add_edge(("table", table), key)
        visit(key, rule.check, file, in_foreach=rule.foreach is not None)
    for decl in unchecked:
        key = ("unchecked", f"{origin[id(decl)].path}:{decl.span.line}")
        graph.add_node(key, kind="unchecked", label=decl.reason)
        for ref in decl.refs:
            visit(key, ref, origin[id(decl)], in_foreach=False)

    let_graph = graph.subgraph([k for k in graph if k[0] == "let"])
    try:
        cycle = nx.find_cycle(let_graph)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        sources = [edge[0][1] for edge in cycle]  # edges run from a definition to its user
        names = [sources[0]] + list(reversed(sources[1:])) + [sources[0]]
        let = lets[names[0]]
        errors.append(rule_error("definitions form a cycle: " + " -> ".join(names) + " (each uses the next)",
                             origin[id(let)], let.span))
    if errors:
        errors = once_per_name(sorted(errors, key=lambda e: (e.file, e.line, e.col)))
        raise errors[0] if len(errors) == 1 else RuleErrors(errors)

    # Rules depend on definitions, never on each other: after the definitions (evaluated in
    # topological order, on demand), rules run in file order, which keeps output stable.
    let_order = tuple(k[1] for k in nx.topological_sort(graph) if k[0] == "let")
    rule_files = {rule.id: origin[id(rule)].path for rule in rules}
    return RuleSet(tuple(files), tables, lets, let_order, tuple(rules), tuple(unchecked), Deps(graph), rule_files,
                   tuple((decl, origin[id(decl)].path) for decl in packs.values()), bound.earlier(rules))
