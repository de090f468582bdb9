"""Sample participants for a preview: registered with an answer to every question of the
questionnaire, chosen by the kind of question, as if they had answered it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Event, Sender
from engine.dialog.profile import questionnaire
from engine.flows.spec import Ask
from engine.store import Answer, DialogState, User, database


@dataclass(frozen=True)
class SamplePerson:
    user_id: int
    first_name: str
    last_name: str
    username: str
    locale: str
    phone: str

    @property
    def sender(self) -> Sender:
        return Sender(self.first_name, self.last_name, self.username, self.locale)


def register(engine: ConversationEngine, person: SamplePerson,
             texts: Mapping[str, str]) -> None:
    """`person` as a registered participant who stands outside any flow, with an answer to
    every question (`texts`: what they typed, by answer key; their name for theirs)."""
    engine.handle(Event.message(person.user_id, "/start", sender=person.sender))
    spec = questionnaire(engine.library)
    asks = [spec.states[name].ask for name in spec.questions] if spec else []
    answers = {ask.answer: value for ask in asks if ask is not None
               if (value := _answer(ask, person, texts)) is not None}
    with database.atomic():
        Answer.delete().where(Answer.user == person.user_id).execute()
        Answer.insert_many([{"user": person.user_id, "key": key, "value": value}
                            for key, value in answers.items()]).execute()
        User.update(registered=True, phone=person.phone, locale=person.locale).where(
            User.id == person.user_id).execute()
        DialogState.update(flow=None, state=None, context={}).where(
            DialogState.user == person.user_id).execute()


def _answer(ask: Ask, person: SamplePerson, texts: Mapping[str, str]) -> Any:
    """What `person` answers to `ask`: the first options, their own name and phone."""
    options = [option.id for option in ask.options]
    if ask.input == "choice":
        return options[0] if options else None
    if ask.input == "multi":
        return options[:max(2, ask.min or 1)][:ask.max or len(options)]
    if ask.input == "number":
        return ask.min if ask.min is not None else 1
    if ask.input == "contact":
        return person.phone
    if ask.input == "language":
        return person.locale
    if ask.input == "text":
        own = {"first_name": person.first_name, "last_name": person.last_name}
        return texts.get(ask.answer) or own.get(ask.answer) or ask.title or ask.answer
    return None  # pick, photo: nothing to invent
