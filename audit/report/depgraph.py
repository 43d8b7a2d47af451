"""The dependency graph around the failing checks, laid out in layers for inline SVG (no graphviz)."""
from __future__ import annotations

from typing import NamedTuple, Optional

from .view import is_problem

CHAR_W, NODE_H, V_GAP, H_GAP, PAD = 7.0, 24, 10, 72, 12
MAX_LABEL = {"rule": 52}  # characters; other kinds 34


class Node(NamedTuple):
    """A box of the drawing: figure, fact, definition or rule, with its place and link target."""

    key: tuple
    kind: str  # figure | fact | let | rule
    label: str
    tip: str
    x: float
    y: float
    w: float
    h: float
    classes: str
    fig: Optional[str] = None  # figure id (L262C37) for figure nodes
    finding: Optional[int] = None  # index of the first failing finding, for rule nodes


class Edge(NamedTuple):
    """A curve from a node's right side to another node's left side."""

    path: str
    classes: str


class Drawing(NamedTuple):
    """Everything the template needs to draw the graph."""

    width: float
    height: float
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    omitted_figures: int
    omitted_rules: int


def failure_graph(result, suspects=frozenset(), max_rules: int = 24, max_figures: int = 36) -> Optional[Drawing]:
    """Failing rules, the definitions and facts they read, and the printed figures they used.

    `suspects` is a set of (line, col) of likely wrong figures, drawn emphasised.
    """
    problems = [(i, f) for i, f in enumerate(result.findings) if is_problem(f)]
    if not problems:
        return None
    first: dict[str, int] = {}
    for index, finding in problems:
        first.setdefault(finding.rule.id, index)
    rule_ids = list(first)[:max_rules]
    graph = result.ruleset.graph
    info: dict[tuple, dict] = {}
    edges: set[tuple[tuple, tuple]] = set()
    for rid in rule_ids:
        key = ("rule", rid)
        finding = result.findings[first[rid]]
        info[key] = {"kind": "rule", "label": f"{rid} {finding.rule.title}",
                     "tip": f"{rid} ({finding.severity}): {finding.rule.title}", "finding": first[rid],
                     "classes": f"sev-{finding.severity}"}
        if key in graph:
            for up in _upstream(graph, key):
                data = graph.nodes[up]
                kind = data.get("kind")
                label = up[1] if kind == "let" else f"fact {up[1]}"
                where = f" ({data['file']}:{data['line']})" if data.get("file") else ""
                info.setdefault(up, {"kind": kind, "label": label, "tip": f"{label}{where}", "classes": ""})
    for a, b in graph.subgraph(list(info)).edges():
        edges.add((a, b))
    uses: dict[tuple[int, int], set[str]] = {}
    figs: dict[tuple[int, int], object] = {}
    for _, finding in problems:
        if finding.rule.id not in rule_ids:
            continue
        for fig in finding.figures:
            uses.setdefault(fig.key, set()).add(finding.rule.id)
            figs.setdefault(fig.key, fig)
    ranked = sorted(uses, key=lambda k: (k not in suspects, -len(uses[k]), k))
    kept = ranked[:max_figures]
    for k in kept:
        fig = figs[k]
        where = f"{fig.row} [{fig.column.label}]" if fig.table and fig.column else (fig.phrase or "prose")
        classes = " ".join(c for c in ("suspect" if k in suspects else "", "shared" if len(uses[k]) > 1 else "") if c)
        info[("figure", k)] = {"kind": "figure", "label": f"{fig.text}  L{k[0]}:{k[1]}",
                               "tip": f"line {k[0]}, col {k[1]}: {fig.text} - {where}", "fig": fig.id,
                               "classes": classes}
        for rid in uses[k]:
            edges.add((("figure", k), ("rule", rid)))
    return _layout(info, edges, len(ranked) - len(kept), len(first) - len(rule_ids))


def _upstream(graph, key) -> set:
    """Definitions and facts a node reads, through definitions only."""
    seen: set = set()
    stack = [key]
    while stack:
        for up in graph.predecessors(stack.pop()):
            if up[0] in ("let", "fact") and up not in seen:
                seen.add(up)
                stack.append(up)
    return seen


def _layers(info: dict, edges: set) -> list[list[tuple]]:
    """Figures and facts first, definitions by depth, rules last."""
    preds: dict[tuple, list] = {k: [] for k in info}
    for a, b in edges:
        preds[b].append(a)
    depth: dict[tuple, int] = {}

    def level(key, trail=()) -> int:
        if key not in depth:
            if info[key]["kind"] in ("figure", "fact") or key in trail:
                depth[key] = 0
            else:
                depth[key] = 1 + max((level(p, trail + (key,)) for p in preds[key]
                                      if info[p]["kind"] != "rule"), default=0)
        return depth[key]

    for key in info:
        level(key)
    last = max([depth[k] for k in info if info[k]["kind"] != "rule"], default=0) + 1
    for key in info:
        if info[key]["kind"] == "rule":
            depth[key] = last
    layers: list[list[tuple]] = [[] for _ in range(last + 1)]
    for key in sorted(info, key=_order_key):
        layers[depth[key]].append(key)
    return [layer for layer in layers if layer]


def _order_key(key):
    return (key[0], str(key[1]))


def _sweep(layers: list[list[tuple]], edges: set, rounds: int = 4) -> None:
    """Order each layer by the mean position of its neighbours (barycentre heuristic)."""
    succ: dict[tuple, list] = {}
    pred: dict[tuple, list] = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
        pred.setdefault(b, []).append(a)
    for _ in range(rounds):
        for neighbours, seq in ((pred, range(1, len(layers))), (succ, range(len(layers) - 2, -1, -1))):
            for i in seq:
                ref = layers[i - 1] if neighbours is pred else layers[i + 1]
                where = {k: p for p, k in enumerate(ref)}
                current = {k: p for p, k in enumerate(layers[i])}

                def bary(key, where=where, current=current, neighbours=neighbours):
                    near = [where[n] for n in neighbours.get(key, ()) if n in where]
                    return sum(near) / len(near) if near else current[key]

                layers[i].sort(key=bary)


def _short(label: str, kind: str) -> str:
    limit = MAX_LABEL.get(kind, 34)
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def _layout(info: dict, edges: set, omitted_figures: int, omitted_rules: int) -> Drawing:
    layers = _layers(info, edges)
    _sweep(layers, edges)
    widths = [max(len(_short(info[k]["label"], info[k]["kind"])) * CHAR_W + 2 * PAD for k in layer) for layer in layers]
    heights = [len(layer) * NODE_H + (len(layer) - 1) * V_GAP for layer in layers]
    total_h = max(heights) + 2 * PAD
    nodes: dict[tuple, Node] = {}
    x = PAD
    for layer, width, height in zip(layers, widths, heights):
        y = PAD + (total_h - 2 * PAD - height) / 2
        for key in layer:
            d = info[key]
            nodes[key] = Node(key, d["kind"], _short(d["label"], d["kind"]), d["tip"], x, y, width, NODE_H,
                              f"n-{d['kind']} {d['classes']}".strip(), d.get("fig"), d.get("finding"))
            y += NODE_H + V_GAP
        x += width + H_GAP
    drawn = []
    for a, b in sorted(edges, key=lambda e: (_order_key(e[0]), _order_key(e[1]))):
        s, t = nodes[a], nodes[b]
        x1, y1, x2, y2 = s.x + s.w, s.y + s.h / 2, t.x, t.y + t.h / 2
        mid = (x1 + x2) / 2
        path = f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2 - 2:.1f},{y2:.1f}"
        drawn.append(Edge(path, "e-suspect" if "suspect" in s.classes else ""))
    return Drawing(x - H_GAP + PAD, total_h, tuple(nodes.values()), tuple(drawn), omitted_figures, omitted_rules)
