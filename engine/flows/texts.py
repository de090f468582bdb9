"""Every translatable text a flow shows, with where it is written (for lint and extraction)."""

from __future__ import annotations

from collections.abc import Iterator

from engine.flows.spec import FlowSpec, Where


def flow_texts(spec: FlowSpec) -> Iterator[tuple[str, Where]]:
    """Yield (msgid, where) for the description (the command menu shows it), inline texts,
    labels, option labels, titles, Done, Share and Skip."""
    if spec.description and spec.command:
        yield spec.description, spec.where
    for state in spec.states.values():
        if state.message and state.message.inline:
            yield state.message.inline, state.message.where
        for button in state.buttons:
            if button.label:
                yield button.label, button.where
        ask = state.ask
        if ask is None:
            continue
        if ask.prompt.inline:
            yield ask.prompt.inline, ask.prompt.where
        if ask.title:
            yield ask.title, ask.where
        for option in ask.options:
            yield option.label, option.where
        if ask.input == "multi":
            yield ask.done, ask.where
        if ask.input == "contact":
            yield ask.share, ask.where
        if ask.skip:
            yield ask.skip, ask.where
