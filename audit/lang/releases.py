"""References to the issuer's earlier releases, compiled: `prior_year.ops["Revenue"]` reads the table `ops` as
the prior year's release prints it (a declaration "prior_year.ops" of its own); `prior_year.net_loss` is the
definition with every table reference in it read there (a definition "prior_year.net_loss" of its own)."""
from __future__ import annotations

import dataclasses
import difflib

from . import nodes as n

#: The earlier releases a reference can read: how many months before this release's period theirs ends,
#: and how a skip names them. The release of a series whose reported period ends then (within a week).
RELEASES = {"prior_quarter": (3, "the prior quarter's release"),
            "prior_half": (6, "the release of six months before"),
            "prior_year": (12, "the prior year's release of the same period")}
QUALIFIERS = ", ".join(f"{q}." for q in RELEASES)


def base(name: str) -> str:
    """The table or definition a qualified name reads: "ops" of "prior_year.ops"."""
    return name.split(".", 1)[1] if "." in name else name


class Binder:
    """Declares, while the rules are compiled, the tables and definitions of earlier releases they read."""

    def __init__(self, tables: dict, lets: dict, origin: dict, graph, errors: list, error):
        self.tables, self.lets, self.origin, self.graph = tables, lets, origin, graph
        self.errors, self.error = errors, error  # error(message, file, span, expected=None, related=())
        self._binding: set[str] = set()  # definitions being declared (a cycle is reported by the compiler)

    def _release(self, node, file) -> bool:
        if node.release in RELEASES:
            return True
        close = difflib.get_close_matches(node.release, list(RELEASES), n=1)
        self.errors.append(self.error(f"unknown release '{node.release}.'", file, node.span,
                                      expected=f"one of {QUALIFIERS}" + (f" (did you mean '{close[0]}.'?)" if close
                                                                         else "")))
        return False

    def table(self, node: n.CellRef, file) -> bool:
        """`prior_year.ops[...]`: declares "prior_year.ops" (ops' titles, read in that release); False after
        an error (an unknown release or table)."""
        if not self._release(node, file):
            return False
        name = base(node.table)
        if name not in self.tables or self.tables[name].release is not None:
            known = [t for t, d in self.tables.items() if d.release is None]
            close = difflib.get_close_matches(name, known, n=1)
            self.errors.append(self.error(f"unknown table '{name}'", file, node.span,
                                          expected="a table declared with 'table'"
                                          + (f" (did you mean '{close[0]}'?)" if close else "")))
            return False
        if node.table not in self.tables:
            decl = self.tables[name]  # its units apply where the earlier release is read, as that release's own
            self.tables[node.table] = dataclasses.replace(decl, name=node.table, release=node.release, scale=None)
            self.origin[id(self.tables[node.table])] = self.origin[id(decl)]
            self.graph.add_node(("table", node.table), kind="table", label=node.table, release=node.release,
                                file=self.origin[id(decl)].path, line=decl.span.line)
            self.graph.add_node(("release", node.release), kind="release", label=node.release)
            self.graph.add_edge(("release", node.release), ("table", node.table))
        return True

    def let(self, node: n.Name, file) -> tuple[bool, list[n.Let]]:
        """`prior_year.net_loss`: declares "prior_year.net_loss" (and the definitions it uses, likewise);
        whether it can be read, and the new definitions (for the compiler to visit)."""
        if not self._release(node, file):
            return False, []
        name = base(node.name)
        if name not in self.lets or "." in name:
            known = [k for k in self.lets if "." not in k]
            close = difflib.get_close_matches(name, known, n=1)
            self.errors.append(self.error(f"unknown name '{name}'", file, node.span,
                                          expected="a name defined with 'let'"
                                          + (f" (did you mean '{close[0]}'?)" if close else "")))
            return False, []
        made: list[n.Let] = []
        problem = self._bind(node.release, name, made)
        if problem is not None:
            where, what = problem
            self.errors.append(self.error(f"'{node.name}' cannot be read: the definition '{name}' reads {what}",
                                          file, node.span, related=[f"at {where}"],
                                          expected="a definition of table references and numbers: an earlier "
                                                   "release's prose, facts and releases are not read"))
            return False, []
        return True, made

    def _bind(self, release: str, name: str, made: list):
        """Declare release.name (and the definitions it uses); (place, what) of the first thing it cannot read."""
        qualified = f"{release}.{name}"
        if qualified in self.lets or qualified in self._binding:
            return None
        self._binding.add(qualified)
        let = self.lets[name]
        file = self.origin[id(let)]
        problems: list = []

        def rewrite(node):
            if problems:
                return node
            if isinstance(node, n.CellRef) and node.release is None:
                return dataclasses.replace(node, table=f"{release}.{node.table}", release=release,
                                           mods=node.mods + (f"release:{release}",))
            if isinstance(node, n.Name) and node.release is None:
                inner = self._bind(release, node.name, made) if node.name in self.lets else None
                if inner is not None:
                    problems.append(inner)
                return dataclasses.replace(node, name=f"{release}.{node.name}", release=release)
            if isinstance(node, (n.CellRef, n.Name)):
                what = node.table if isinstance(node, n.CellRef) else node.name
                problems.append((f"{file.path}:{node.span.line}:{node.span.col}", f"{what}, a release of its own"))
            elif isinstance(node, n.ProseRef) or (isinstance(node, n.Call) and node.func in ("fact", "signed")):
                what = "prose" if isinstance(node, n.ProseRef) else f"{node.func}()"
                problems.append((f"{file.path}:{node.span.line}:{node.span.col}", what))
            elif isinstance(node, n.Unary):
                return dataclasses.replace(node, operand=rewrite(node.operand))
            elif isinstance(node, n.Binary):
                return dataclasses.replace(node, left=rewrite(node.left), right=rewrite(node.right))
            elif isinstance(node, n.Call):
                return dataclasses.replace(node, args=tuple(rewrite(a) for a in node.args))
            return node

        expr = rewrite(let.expr)
        self._binding.discard(qualified)
        if problems:
            return problems[0]
        bound = n.Let(qualified, expr, let.span)
        self.lets[qualified] = bound
        self.origin[id(bound)] = file
        self.graph.add_node(("let", qualified), kind="let", label=qualified, file=file.path, line=let.span.line)
        made.append(bound)
        return None

    def earlier(self, rules) -> dict[str, tuple[str, ...]]:
        """Rule id -> the earlier releases it reads, through its definitions."""
        import networkx as nx

        out: dict[str, set] = {}
        for key in [k for k in self.graph if k[0] == "release"]:
            for user in nx.descendants(self.graph, key):
                if user[0] == "rule":
                    out.setdefault(user[1], set()).add(key[1])
        return {r.id: tuple(sorted(out[r.id], key=list(RELEASES).index)) for r in rules if r.id in out}
