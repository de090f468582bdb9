"""A flow as a graph: its states and the ways between them, drawn as a Mermaid state diagram
that organizers paste into any Markdown viewer (and as SVG by the preview)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from engine.flows.library import FlowLibrary
from engine.flows.spec import FlowSpec, Target

END = "[*]"


@dataclass(frozen=True)
class Edge:
    """A way from one state to another (`END`: the flow's start or end, or another flow's
    state named `flow_State`), labelled with its condition or button."""

    source: str
    target: str
    label: str = ""


def edges(library: FlowLibrary, flow: str) -> Iterator[Edge]:
    """Every way through the flow named `flow`: its start, `next:` arms, buttons, the
    questions they ask and the flows they call, and where it ends."""
    spec = library.flows[flow]
    for arm in spec.initial:
        yield Edge(END, node(spec, arm.target), arm.when or "")
    for name, state in spec.states.items():
        for arm in state.next:
            yield Edge(name, node(spec, arm.target), arm.when or "")
        for button in spec.buttons_of(state):
            label = f"edit {button.number}" if button.number else button.label or ""
            target = button.goto or button.call
            if button.ask:
                yield Edge(name, button.ask, label)
                yield Edge(button.ask, button.then or name, "answered")
            elif target is not None:
                yield Edge(name, node(spec, target), label)
            if button.call:
                yield Edge(node(spec, target), button.then or name, "returns")
        if not state.waits and not state.next:
            yield Edge(name, END)


def node(spec: FlowSpec, target: Target | None) -> str:
    """The graph's name for where `target` leads from `spec`."""
    if target is None or target.is_return:
        return END
    if target.flow and target.flow != spec.name:
        return f"{target.flow}_{target.state or 'start'}".replace(".", "_")
    return target.state or END


def mermaid(library: FlowLibrary, flow: str) -> str:
    """The flow named `flow` as `stateDiagram-v2` text."""
    spec = library.flows[flow]
    lines = ["stateDiagram-v2"]
    if spec.command:
        lines.append(f"    %% /{spec.command} enters this flow")
    for name, state in spec.states.items():
        if state.ask:
            lines.append(f"    {name}: {name} ({_quote(state.ask.input)} -> {state.ask.answer})")
    lines.extend(f"    {edge.source} --> {edge.target}"
                 + (f": {_quote(edge.label)}" if edge.label else "")
                 for edge in edges(library, flow))
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """Mermaid labels end at a colon or newline and choke on some punctuation; keep them plain."""
    return " ".join(text.replace(":", " ").replace(";", ",").replace("#", "").split())
