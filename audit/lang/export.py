"""The compiled rules' dependency graph for other tools: Graphviz dot and JSON (`qfin-audit graph`)."""
from __future__ import annotations

from .graph import RuleSet


def to_dot(ruleset: RuleSet) -> str:
    """The graph in Graphviz dot."""
    def ident(key) -> str:
        return '"' + f"{key[0]}:{key[1]}".replace("\\", "\\\\").replace('"', '\\"') + '"'

    shapes = {"table": "folder", "let": "ellipse", "rule": "box", "figure": "note", "fact": "diamond", "release": "cds"}
    lines = ["digraph rules {", "  rankdir=LR;"]
    for key, data in sorted(ruleset.graph.nodes(data=True), key=lambda kv: str(kv[0])):
        label = str(data.get("label", key[1])).replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'  {ident(key)} [label="{label}", shape={shapes.get(data.get("kind"), "plain")}];')
    for a, b in sorted(ruleset.graph.edges(), key=str):
        lines.append(f"  {ident(a)} -> {ident(b)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json(ruleset: RuleSet) -> dict:
    """The graph as JSON: nodes with kind and place, edges as [from, to]."""
    def name(key) -> str:
        return f"{key[0]}:{key[1]}"

    nodes = [{"id": name(k), **{a: v for a, v in d.items()}} for k, d in
             sorted(ruleset.graph.nodes(data=True), key=lambda kv: str(kv[0]))]
    edges = [[name(a), name(b)] for a, b in sorted(ruleset.graph.edges(), key=str)]
    return {"nodes": nodes, "edges": edges}
