"""The validated, immutable description of a flow: what the YAML says, with where it says it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

InputKind = Literal["text", "choice", "multi", "number", "contact", "language", "pick", "photo"]
INPUT_KINDS: tuple[InputKind, ...] = ("text", "choice", "multi", "number", "contact", "language",
                                      "pick", "photo")


@dataclass(frozen=True)
class Where:
    """A place in a flow file, for messages that send the organizer straight to the line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Text:
    """Something to show: a template name, or inline text that is itself a translatable msgid."""

    where: Where
    template: str | None = None
    inline: str | None = None


@dataclass(frozen=True)
class Target:
    """Where a transition leads: a state of this flow, another flow (its start or one of its
    states), or back to whoever called this flow."""

    where: Where
    flow: str | None = None
    state: str | None = None
    is_return: bool = False

    def describe(self) -> str:
        if self.is_return:
            return "return"
        if self.flow and self.state:
            return f"{self.flow}.{self.state}"
        return self.flow or self.state or ""


@dataclass(frozen=True)
class Branch:
    """One arm of `next:` or `initial:`: taken when `when` holds (or always, without it)."""

    target: Target
    where: Where
    when: str | None = None


@dataclass(frozen=True)
class Option:
    """One answer of a choice: `id` is stored, `label` (a msgid) is shown."""

    id: str
    label: str
    where: Where


@dataclass(frozen=True)
class Ask:
    """The question a state asks and how its answer is checked and stored."""

    prompt: Text
    answer: str
    input: InputKind
    where: Where
    title: str | None = None
    min_length: int = 1
    max_length: int = 1000
    min: int | None = None
    max: int | None = None
    options: tuple[Option, ...] = ()
    done: str = "Done"
    share: str = "Share my phone number"
    skip: str | None = None
    columns: int = 1
    options_from: str | None = None  # pick: the variable that lists the options (id -> label)
    shared: bool = False  # partners see the answer in their introduction
    # what the bot's code reads the answer as (a role it declares, e.g. how often one meets)
    role: str | None = None
    role_where: Where | None = None


@dataclass(frozen=True)
class Role:
    """A role a bot's code declares for a question of the questionnaire: the inputs it can read
    the answer of, the option ids it relies on, and why (for lint's messages)."""

    inputs: tuple[str, ...]
    options: tuple[str, ...] = ()
    why: str = ""


@dataclass(frozen=True)
class Button:
    """An inline button under a state's message.

    `goto` moves on; `call` runs another state or flow and comes back to `then` (default: this
    state) when it ends; `ask` asks one question of this flow and comes back right after its
    answer; `action` runs a named action first; `edit` expands to one `ask` button per
    numbered question.
    """

    where: Where
    label: str | None = None
    goto: Target | None = None
    call: Target | None = None
    ask: str | None = None
    then: str | None = None
    action: str | None = None
    when: str | None = None
    edit: bool = False
    number: int | None = None  # the question's number, on a button `edit:` expanded to


@dataclass(frozen=True)
class StateSpec:
    """One state: what it says, what it asks, its buttons and where it goes next."""

    name: str
    where: Where
    message: Text | None = None
    ask: Ask | None = None
    buttons: tuple[Button, ...] = ()
    next: tuple[Branch, ...] = ()
    actions: tuple[str, ...] = ()
    on_answer: tuple[str, ...] = ()

    @property
    def waits(self) -> bool:
        """Whether the participant has to do something here (answer or press a button)."""
        return self.ask is not None or bool(self.buttons)


@dataclass(frozen=True)
class FlowSpec:
    """One flow file."""

    name: str
    path: str
    where: Where
    initial: tuple[Branch, ...]
    states: dict[str, StateSpec] = field(default_factory=dict)
    command: str | None = None
    description: str | None = None
    answers_in: Literal["profile", "context"] = "profile"
    returns: bool = False
    access: Literal["everyone", "organizers"] = "everyone"
    questions: tuple[str, ...] = ()
    questions_where: Where | None = None

    def buttons_of(self, state: StateSpec) -> tuple[Button, ...]:
        """A state's buttons as shown: an `edit: questions` button expanded to one `ask`
        button per numbered question (labelled with its title), the others as written."""
        shown: list[Button] = []
        for button in state.buttons:
            if not button.edit:
                shown.append(button)
                continue
            for number, question in enumerate(self.questions, start=1):
                ask = self.states[question].ask if question in self.states else None
                shown.append(replace(button, label=ask.title if ask and ask.title else question,
                                     ask=question, then=button.then or state.name, edit=False,
                                     number=number))
        return tuple(shown)

    def question_number(self, state: str) -> int | None:
        """1-based number of a state in `questions:`, or None when it is not numbered."""
        try:
            return self.questions.index(state) + 1
        except ValueError:
            return None
