"""Button labels as a phone shows them: Telegram cuts a label it cannot fit in the width of the
chat (about 30 to 40 characters on a phone), so a long one warns and a very long one is refused,
in the flows' own language and in every translation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from engine.flows.spec import FlowSpec, Where

WARN_PAST = 40  # characters: a phone shows about this many on one button
REFUSE_PAST = 64  # characters: cut on every phone, and past what a label should ever be
# A `{{ ... }}` placeholder in a label is counted as this many characters: the longest date
# the shipped labels show ("28 September", "30 листопада").
PLACEHOLDER_LENGTH = 12
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def label_texts(spec: FlowSpec) -> Iterator[tuple[str, Where, str]]:
    """(msgid, where, prefix) of every label a flow puts on a button: buttons, options, Done,
    Skip, Share, and the titles the edit menu numbers (`prefix`: "9. ", shown before it)."""
    numbered = len(spec.questions)
    for state in spec.states.values():
        for button in state.buttons:
            if button.label:
                yield button.label, button.where, ""
            if button.edit:
                for name in spec.questions:
                    question = spec.states.get(name)
                    if question is not None and question.ask and question.ask.title:
                        yield question.ask.title, question.ask.where, f"{numbered}. "
        ask = state.ask
        if ask is None:
            continue
        for option in ask.options:
            yield option.label, option.where, ""
        if ask.input == "multi":
            yield ask.done, ask.where, ""
        if ask.input == "contact":
            yield ask.share, ask.where, ""
        if ask.skip:
            yield ask.skip, ask.where, ""


def shown_length(label: str) -> int:
    """How many characters a label takes on its button, a placeholder counted as a date."""
    return len(_PLACEHOLDER.sub("x" * PLACEHOLDER_LENGTH, label))


def label_problem(label: str, prefix: str = "") -> tuple[str, bool] | None:
    """(message, refused) when `label` is too long for a button, else None."""
    shown = prefix + label.strip()
    length = shown_length(shown)
    if length <= WARN_PAST:
        return None
    refused = length > REFUSE_PAST
    limit = f"at most {REFUSE_PAST}" if refused else f"a phone shows about {WARN_PAST}"
    return f"the button label {shown!r} is {length} characters long; {limit}: shorten it", \
        refused
