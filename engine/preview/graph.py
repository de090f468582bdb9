"""A flow's graph as SVG, each state with the first line of what it says, drawn by Graphviz
(its `dot` program: Debian's `graphviz` package, which the setup scripts install)."""

from __future__ import annotations

from collections.abc import Mapping

import graphviz

from engine.flows.graph import END, edges
from engine.flows.library import FlowLibrary

WIDEST = 40  # characters of a state's first line shown in its box


def flow_svg(library: FlowLibrary, flow: str, first_lines: Mapping[str, str]) -> str | None:
    """The SVG of the flow named `flow`; None when Graphviz's `dot` is not installed."""
    spec = library.flows[flow]
    graph = graphviz.Digraph(flow, graph_attr={"rankdir": "TB", "bgcolor": "transparent"},
                             node_attr={"shape": "box", "style": "rounded,filled",
                                        "fillcolor": "white", "fontname": "sans-serif",
                                        "fontsize": "10"},
                             edge_attr={"fontname": "sans-serif", "fontsize": "9",
                                        "color": "#7a8c99"})
    graph.node(END, label="", shape="circle", width="0.2", fillcolor="#517da2")
    for name in spec.states:
        line = _short(first_lines.get(name, ""))
        graph.node(name, label=f"{name}\\n{_plain(line)}" if line else name)
    for edge in edges(library, flow):
        for node in (edge.source, edge.target):
            if node != END and node not in spec.states:  # another flow's state
                graph.node(node, label=f"→ {node.replace('_', '.', 1)}", style="dashed")
        graph.edge(edge.source, edge.target, label=_plain(_short(edge.label, 30)))
    try:
        return graph.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        return None


def _plain(text: str) -> str:
    """Text for a label: Graphviz reads a backslash as the start of an escape."""
    return text.replace("\\", "\\\\")


def _short(text: str, width: int = WIDEST) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"
