"""Check a participant's answer against the question: accept a value, or say what is wrong.

Rejections carry a code and parameters; `templates/input_error.j2` turns them into words in
the participant's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from engine.dialog.events import Event
from engine.flows.spec import Ask

WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Accepted:
    value: Any


@dataclass(frozen=True)
class Rejected:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


Outcome = Accepted | Rejected


def check_typed(ask: Ask, event: Event, option_labels: dict[str, str]) -> Outcome:
    """Judge a typed message, shared contact or unsupported message against a question.

    `option_labels` maps option ids to their labels as shown, so typing a label answers a
    choice just like pressing its button.
    """
    if ask.input == "photo":
        return Accepted(event.photo) if event.kind == "photo" else Rejected("expected_photo")
    if event.kind in ("unsupported", "photo"):
        return Rejected("unsupported", {"what": event.what or event.kind, "input": ask.input})
    if ask.input == "contact":
        return _check_contact(event)
    if event.kind == "contact":
        return Rejected("unexpected_contact", {"input": ask.input})
    text = event.text.strip()
    if ask.input == "text":
        return _check_text(ask, text)
    if ask.input == "number":
        return _check_number(ask, text)
    chosen = _option_by_label(text, option_labels)
    if chosen is None:
        return Rejected("use_buttons", {"input": ask.input})
    return Accepted(chosen)


def _check_text(ask: Ask, text: str) -> Outcome:
    if not text:
        return Rejected("empty")
    if len(text) > ask.max_length:
        return Rejected("too_long", {"max": ask.max_length, "length": len(text)})
    if len(text) < ask.min_length:
        return Rejected("too_short", {"min": ask.min_length})
    return Accepted(text)


def _check_number(ask: Ask, text: str) -> Outcome:
    try:
        number = int(text.replace(" ", ""))
    except ValueError:
        return Rejected("not_a_number", {"min": ask.min, "max": ask.max})
    if (ask.min is not None and number < ask.min) or (ask.max is not None and number > ask.max):
        return Rejected("number_range", {"min": ask.min, "max": ask.max})
    return Accepted(number)


def _check_contact(event: Event) -> Outcome:
    if event.kind != "contact" or event.contact is None:
        return Rejected("expected_contact")
    contact = event.contact
    if contact.user_id is not None and contact.user_id != event.user_id:
        return Rejected("not_own_contact")
    phone = contact.phone.strip()
    if not phone:
        return Rejected("expected_contact")
    return Accepted(phone if phone.startswith("+") else f"+{phone}")


def _option_by_label(text: str, option_labels: dict[str, str]) -> str | None:
    wanted = WHITESPACE.sub(" ", text).casefold()
    for option_id, label in option_labels.items():
        if WHITESPACE.sub(" ", label).casefold() == wanted:
            return option_id
    return None


def toggle(picks: list[str], option_id: str, ask: Ask) -> Outcome:
    """The picks of a multiple choice after tapping `option_id`, or why the tap is refused."""
    if option_id in picks:
        return Accepted([pick for pick in picks if pick != option_id])
    if ask.max is not None and len(picks) >= ask.max:
        return Rejected("too_many", {"max": ask.max})
    order = [option.id for option in ask.options]
    return Accepted(sorted([*picks, option_id], key=order.index))


def finish_picks(picks: list[str], ask: Ask) -> Outcome:
    """Accept the picks when Done is pressed, if there are enough of them."""
    needed = ask.min if ask.min is not None else 1
    if len(picks) < needed:
        return Rejected("too_few", {"min": needed})
    return Accepted(list(picks))
