"""A participant's answers as numbered rows, numbered exactly as the questions are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.flows.library import FlowLibrary
from engine.flows.spec import Ask, FlowSpec
from engine.render.templates import Renderer
from engine.render.words import Joined, Localized, Phrase

MISSING = "—"


@dataclass(frozen=True)
class Row:
    """One answer as the profile shows it; the title and the option labels are put into words
    in the language the message is written in."""

    number: int
    key: str
    title: Localized
    value: Localized | str
    answered: bool


def questionnaire(library: FlowLibrary, current: str | None = None) -> FlowSpec | None:
    """The flow whose numbered questions make the profile: the current one if it has
    `questions:`, else the first flow that has."""
    spec = library.flows.get(current or "")
    if spec is not None and spec.questions:
        return spec
    return next((flow for flow in library.flows.values() if flow.questions), None)


def profile_rows(spec: FlowSpec | None, answers: Mapping[str, Any],
                 renderer: Renderer) -> list[Row]:
    if spec is None:
        return []
    rows = []
    for number, name in enumerate(spec.questions, start=1):
        ask = spec.states[name].ask
        if ask is None:
            continue
        value = answers.get(ask.answer)
        rows.append(Row(
            number=number,
            key=ask.answer,
            title=Phrase(ask.title or name),
            value=display_answer(ask, value, renderer),
            answered=is_answered(value),
        ))
    return rows


def is_answered(value: Any) -> bool:
    return value not in (None, "", [])


def unanswered(spec: FlowSpec, answers: Mapping[str, Any]) -> list[str]:
    """The questions that need an answer (no `skip:`) and have none, in the questionnaire's
    order: those added to the questionnaire after the participant registered."""
    return [name for name in spec.questions
            if (ask := spec.states[name].ask) is not None and not ask.skip
            and not is_answered(answers.get(ask.answer))]


def display_answer(ask: Ask, value: Any, renderer: Renderer) -> Localized | str:
    """An answer as a participant reads it: option labels translated (in the language of the
    message it is shown in), lists joined."""
    if not is_answered(value):
        return MISSING
    if ask.input == "language":
        return renderer.language_name(str(value))
    labels = {option.id: Phrase(option.label) for option in ask.options}
    if isinstance(value, list):
        return Joined(tuple(labels.get(str(item), str(item)) for item in value))
    return labels.get(str(value), str(value))


@dataclass(frozen=True)
class ProfileFields:
    """What the questionnaire declares for partners and the weekly jobs: the shared questions
    in the questionnaire's order, the answer keys of the roles (frequency, topics), and the
    answer key of its contact question (partners get the number as a contact card), if it
    still has one: answers of a removed question are kept but used nowhere."""

    shared: tuple[Ask, ...]
    roles: Mapping[str, str]
    contact: str | None = None

    def key(self, role: str) -> str | None:
        return self.roles.get(role)


def profile_fields(library: FlowLibrary) -> ProfileFields:
    spec = questionnaire(library)
    if spec is None:
        return ProfileFields((), {})
    asks = [spec.states[name].ask for name in spec.questions if name in spec.states]
    listed = [ask for ask in asks if ask is not None]
    return ProfileFields(tuple(ask for ask in listed if ask.shared),
                         {ask.role: ask.answer for ask in listed if ask.role},
                         next((ask.answer for ask in listed if ask.input == "contact"), None))
