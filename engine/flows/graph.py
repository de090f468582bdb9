"""Draw a flow as a Mermaid state diagram that organizers paste into any Markdown viewer."""

from __future__ import annotations

from engine.flows.library import FlowLibrary
from engine.flows.spec import FlowSpec, Target

END = "[*]"


def mermaid(library: FlowLibrary, flow: str) -> str:
    """The flow named `flow` as `stateDiagram-v2` text."""
    spec = library.flows[flow]
    lines = ["stateDiagram-v2"]
    if spec.command:
        lines.append(f"    %% /{spec.command} enters this flow")
    for name, state in spec.states.items():
        if state.ask:
            lines.append(f"    {name}: {name} ({_quote(state.ask.input)} -> {state.ask.answer})")
    for arm in spec.initial:
        lines.append(f"    {END} --> {_node(spec, arm.target)}{_label(arm.when)}")
    for name, state in spec.states.items():
        for arm in state.next:
            lines.append(f"    {name} --> {_node(spec, arm.target)}{_label(arm.when)}")
        for button in spec.buttons_of(state):
            label = f"edit {button.number}" if button.number else button.label or ""
            target = button.goto or button.call
            if button.ask:
                lines.append(f"    {name} --> {button.ask}: {_quote(label)}")
                lines.append(f"    {button.ask} --> {button.then or name}: answered")
            elif target is not None:
                lines.append(f"    {name} --> {_node(spec, target)}: {_quote(label)}")
            if button.call:
                lines.append(f"    {_node(spec, target)} --> {button.then or name}: returns")
        if not state.waits and not state.next:
            lines.append(f"    {name} --> {END}")
    return "\n".join(lines) + "\n"


def _node(spec: FlowSpec, target: Target | None) -> str:
    if target is None or target.is_return:
        return END
    if target.flow and target.flow != spec.name:
        return f"{target.flow}_{target.state or 'start'}".replace(".", "_")
    return target.state or END


def _label(when: str | None) -> str:
    return f": {_quote(when)}" if when else ""


def _quote(text: str) -> str:
    """Mermaid labels end at a colon or newline and choke on some punctuation; keep them plain."""
    return " ".join(text.replace(":", " ").replace(";", ",").replace("#", "").split())
