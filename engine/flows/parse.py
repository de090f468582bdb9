"""Turn one flow file's YAML into a FlowSpec, reporting every structural mistake with its line.

Cross-file checks (targets, templates, actions, translations) live in `lint`; this module only
checks what one file can tell about itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine.flows.spec import (
    INPUT_KINDS,
    Ask,
    Branch,
    Button,
    FlowSpec,
    Option,
    StateSpec,
    Target,
    Text,
    Where,
)
from engine.flows.yamlsource import Located, LocatedList, YamlError, load_located, read_source

STATE_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*State$")
ANY_STATE_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
FLOW_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
OPTION_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
TEMPLATE_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")

FLOW_KEYS = ("flow", "command", "description", "answers", "returns", "access", "initial",
             "questions", "after_questions", "states")
# `next: questions` (or `goto: questions`) leads to the first question of `questions:`.
FIRST_QUESTION = "questions"
STATE_KEYS = ("say", "text", "ask", "buttons", "next", "action", "on_answer")
ASK_KEYS = ("text", "say", "answer", "input", "title", "min_length", "max_length", "min", "max",
            "options", "done", "share", "skip", "columns", "options_from",
            "shared", "role")
BUTTON_KEYS = ("label", "goto", "call", "ask", "then", "action", "when", "edit")
BRANCH_KEYS = ("when", "goto")


@dataclass(frozen=True)
class Problem:
    """One mistake in a flow, printed as `path:line: message`. A warning (a text that falls
    back to another language, a long label) does not stop the bot. `locale`: the one language
    it concerns (a catalog's, an untranslated text's), if any."""

    where: Where
    message: str
    warning: bool = False
    locale: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {'warning: ' if self.warning else ''}{self.message}"


class _Reader:
    """Reads one file's mappings, collecting problems instead of stopping at the first."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def at(self, line: int) -> Where:
        return Where(self.path, line)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.at(line), message))

    def check_keys(self, mapping: Located, allowed: tuple[str, ...], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(mapping.line_of(key),
                             f"unknown key '{key}' in {what} (expected one of: "
                             f"{', '.join(allowed)})")

    def mapping(self, value: Any, line: int, what: str) -> Located | None:
        if isinstance(value, Located):
            return value
        self.problem(line, f"{what} must be a mapping of keys to values")
        return None

    def string(self, mapping: Located, key: str, what: str, *,
               required: bool = False) -> str | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.problem(mapping.line, f"{what} needs '{key}:'")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(mapping.line_of(key), f"'{key}:' in {what} must be text")
            return None
        text = str(value).strip()
        if not text:
            self.problem(mapping.line_of(key), f"'{key}:' in {what} is empty")
            return None
        return text

    def integer(self, mapping: Located, key: str, what: str, default: int | None,
                minimum: int = 0) -> int | None:
        value = mapping.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem(mapping.line_of(key),
                         f"'{key}:' in {what} must be a whole number of at least {minimum}")
            return default
        return value

    def names(self, mapping: Located, key: str, what: str) -> tuple[str, ...]:
        """A name or a list of names (actions)."""
        value = mapping.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        names = []
        for item in items:
            if not isinstance(item, str) or not KEY_NAME.match(item):
                self.problem(mapping.line_of(key),
                             f"'{key}:' in {what} must name actions in snake_case, got {item!r}")
            else:
                names.append(item)
        return tuple(names)

    def target(self, value: Any, line: int, what: str) -> Target | None:
        where = self.at(line)
        if not isinstance(value, str) or not value.strip():
            self.problem(line, f"{what} must name a state, a flow or 'return'")
            return None
        value = value.strip()
        if value == "return":
            return Target(where, is_return=True)
        flow, _, state = value.rpartition(".")
        if flow and not FLOW_NAME.match(flow):
            self.problem(line, f"{what}: '{flow}' is not a flow name (lower_case)")
            return None
        if ANY_STATE_NAME.match(state):
            # A CamelCase name is meant as a state; lint says whether it exists.
            return Target(where, flow=flow or None, state=state)
        if not flow and FLOW_NAME.match(state):
            return Target(where, flow=state)
        self.problem(line, f"{what}: '{value}' is neither a state (CamelCase ending in 'State'), "
                           "a flow (lower_case) nor 'return'")
        return None

    def branches(self, value: Any, line: int, what: str) -> tuple[Branch, ...]:
        """`next:`/`initial:` as one target or a list of {when, goto} arms."""
        if isinstance(value, str):
            target = self.target(value, line, what)
            return (Branch(target, self.at(line)),) if target else ()
        if not isinstance(value, LocatedList) or not value:
            self.problem(line, f"{what} must be a state name or a list of {{when, goto}} arms")
            return ()
        arms = []
        for arm in self.items(value, f"an arm of {what}", BRANCH_KEYS):
            when = self.string(arm, "when", f"an arm of {what}")
            if "goto" not in arm:
                self.problem(arm.line, f"an arm of {what} needs 'goto:'")
                continue
            target = self.target(arm["goto"], arm.line_of("goto"), f"'goto:' in {what}")
            if target:
                arms.append(Branch(target, self.at(arm.line), when))
        for branch in arms[:-1]:
            if branch.when is None:
                self.problem(branch.where.line,
                             f"an arm of {what} without 'when:' must be the last one: "
                             "the arms after it can never be taken")
        return tuple(arms)

    def items(self, value: LocatedList, what: str, keys: tuple[str, ...]) -> Iterator[Located]:
        """The mappings of a list, each checked for unknown keys; other items are reported."""
        for item, line in zip(value, value.item_lines, strict=True):
            mapping = self.mapping(item, line, what)
            if mapping is not None:
                self.check_keys(mapping, keys, what)
                yield mapping

    def text(self, mapping: Located, what: str) -> Text | None:
        """`say: template_name` or `text: inline text` (exactly one)."""
        if "say" in mapping and "text" in mapping:
            self.problem(mapping.line_of("text"),
                         f"{what} has both 'say:' (a template) and 'text:' (inline text); keep one")
        if "say" in mapping:
            name = self.string(mapping, "say", what)
            if name is None:
                return None
            if not TEMPLATE_NAME.match(name):
                self.problem(mapping.line_of("say"),
                             f"'say: {name}' is not a template name (templates/<name>.j2); "
                             "for inline text write 'text: ...'")
                return None
            return Text(self.at(mapping.line_of("say")), template=name)
        if "text" in mapping:
            inline = self.string(mapping, "text", what)
            return Text(self.at(mapping.line_of("text")), inline=inline) if inline else None
        return None


def parse_flow(path: Path, display_path: str) -> tuple[FlowSpec | None, list[Problem]]:
    """Parse one flow file. Returns the spec (None when it is unusable) and the problems found."""
    try:
        text = read_source(path, display_path)
    except YamlError as error:
        return None, [Problem(Where(display_path, error.line), error.message)]
    return parse_flow_text(text, display_path, path.stem)


def parse_flow_text(text: str, display_path: str,
                    stem: str) -> tuple[FlowSpec | None, list[Problem]]:
    """Parse a flow from its YAML text; `stem` is the file name the flow must be named after."""
    reader = _Reader(display_path)
    try:
        document = load_located(text, display_path)
    except YamlError as error:
        return None, [Problem(Where(display_path, error.line), error.message)]
    root = reader.mapping(document, 1, "a flow file")
    if root is None:
        return None, reader.problems
    reader.check_keys(root, FLOW_KEYS, "the flow")
    spec = _parse_root(reader, root, stem)
    return spec, reader.problems


def _parse_root(reader: _Reader, root: Located, stem: str) -> FlowSpec | None:
    name = reader.string(root, "flow", "the flow", required=True)
    if name is not None and name != stem:
        reader.problem(root.line_of("flow"),
                       f"flow '{name}' must be named after its file: 'flow: {stem}'")
    name = stem
    command = reader.string(root, "command", "the flow")
    if command is not None:
        command = command.lstrip("/")
        if not KEY_NAME.match(command):
            reader.problem(root.line_of("command"),
                           f"command '{command}' must be lower_case letters, digits and _")
    answers_in = root.get("answers", "profile")
    if answers_in not in ("profile", "context"):
        reader.problem(root.line_of("answers"), "'answers:' must be 'profile' or 'context'")
        answers_in = "profile"
    access = root.get("access", "everyone")
    if access == "admins":  # the former spelling, still read
        access = "organizers"
    if access not in ("everyone", "organizers"):
        reader.problem(root.line_of("access"), "'access:' must be 'everyone' or 'organizers'")
        access = "everyone"
    returns = root.get("returns", False)
    if not isinstance(returns, bool):
        reader.problem(root.line_of("returns"), "'returns:' must be true or false")
        returns = False

    states_value = root.get("states")
    states: dict[str, StateSpec] = {}
    if states_value is None:
        reader.problem(root.line, "the flow needs 'states:'")
    elif (block := reader.mapping(states_value, root.line_of("states"), "'states:'")) is not None:
        for state_name, body in block.items():
            state = _parse_state(reader, state_name, body, block.line_of(state_name))
            if state is not None:
                states[state_name] = state

    if "initial" not in root:
        reader.problem(root.line, "the flow needs 'initial:' (the state it starts in)")
        initial: tuple[Branch, ...] = ()
    else:
        initial = reader.branches(root["initial"], root.line_of("initial"), "'initial:'")

    questions = _parse_questions(reader, root)
    states, initial = _chain_questions(reader, root, questions, states, initial)
    return FlowSpec(
        name=name,
        path=reader.path,
        where=reader.at(root.line),
        initial=initial,
        states=states,
        command=command,
        description=reader.string(root, "description", "the flow"),
        answers_in=answers_in,
        returns=returns,
        access=access,
        questions=questions,
        questions_where=reader.at(root.line_of("questions")) if "questions" in root else None,
    )


def _parse_questions(reader: _Reader, root: Located) -> tuple[str, ...]:
    value = root.get("questions")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        reader.problem(root.line_of("questions"), "'questions:' must be a list of state names")
        return ()
    if len(set(value)) != len(value):
        reader.problem(root.line_of("questions"), "'questions:' lists a state twice")
    return tuple(value)


def _chain_questions(reader: _Reader, root: Located, questions: tuple[str, ...],
                     states: dict[str, StateSpec], initial: tuple[Branch, ...],
                     ) -> tuple[dict[str, StateSpec], tuple[Branch, ...]]:
    """The questionnaire's order is `questions:` alone: each question goes on to the one listed
    after it, the last to `after_questions:`, and `questions` as a target means the first one.
    A question's own `next:` could disagree, so it is refused."""
    if not questions:
        if "after_questions" in root:
            reader.problem(root.line_of("after_questions"),
                           "'after_questions:' needs a 'questions:' list")
        return states, initial
    lines = getattr(root["questions"], "item_lines", [root.line_of("questions")] * len(questions))
    after = None
    if "after_questions" in root:
        after = reader.target(root["after_questions"], root.line_of("after_questions"),
                              "'after_questions:'")
    chained = dict(states)
    for index, name in enumerate(questions):
        state = states.get(name)
        if state is None:
            continue  # lint names the unknown state
        if state.next:
            reader.problem(state.next[0].where.line,
                           f"question {name} has 'next:', but the order of the questions is "
                           "'questions:' alone (the last goes to 'after_questions:'): "
                           "remove it")
            continue
        if index + 1 < len(questions):
            following: Target | None = Target(reader.at(lines[index + 1]),
                                              state=questions[index + 1])
        else:
            following = after
        if following is not None:
            chained[name] = replace(state, next=(Branch(following, following.where),))
    first = Target(reader.at(lines[0]), state=questions[0])

    def resolve(branches: tuple[Branch, ...]) -> tuple[Branch, ...]:
        return tuple(replace(arm, target=replace(first, where=arm.target.where))
                     if arm.target.flow == FIRST_QUESTION and arm.target.state is None else arm
                     for arm in branches)

    chained = {name: replace(state, next=resolve(state.next),
                             buttons=tuple(_resolve_button(button, first)
                                           for button in state.buttons))
               for name, state in chained.items()}
    return chained, resolve(initial)


def _resolve_button(button: Button, first: Target) -> Button:
    goto = button.goto
    if goto is not None and goto.flow == FIRST_QUESTION and goto.state is None:
        return replace(button, goto=replace(first, where=goto.where))
    return button


def _parse_state(reader: _Reader, name: str, body: Any, line: int) -> StateSpec | None:
    what = f"state {name}"
    if not STATE_NAME.match(name):
        reader.problem(line, f"state name '{name}' must be CamelCase and end in 'State', "
                             f"e.g. '{_suggest_state_name(name)}'")
    state = reader.mapping(body, line, what)
    if state is None:
        return None
    reader.check_keys(state, STATE_KEYS, what)
    ask = None
    if "ask" in state:
        ask_body = reader.mapping(state["ask"], state.line_of("ask"), f"'ask:' in {what}")
        ask = _parse_ask(reader, ask_body, what) if ask_body is not None else None
    buttons = _parse_buttons(reader, state, what)
    next_arms = (reader.branches(state["next"], state.line_of("next"), f"'next:' of {what}")
                 if "next" in state else ())
    if ask is not None and buttons and ask.input != "text":
        reader.problem(state.line_of("buttons"),
                       f"{what} asks a '{ask.input}' question, which has buttons of its own; "
                       "'buttons:' go with text questions or with no question")
    return StateSpec(
        name=name,
        where=reader.at(line),
        message=reader.text(state, what),
        ask=ask,
        buttons=buttons,
        next=next_arms,
        actions=reader.names(state, "action", what),
        on_answer=reader.names(state, "on_answer", what),
    )


def _suggest_state_name(name: str) -> str:
    words = re.split(r"[^A-Za-z0-9]+", name)
    camel = "".join(word[:1].upper() + word[1:] for word in words if word)
    return camel if camel.endswith("State") else f"{camel or 'Some'}State"


def _parse_ask(reader: _Reader, ask: Located, state_what: str) -> Ask | None:
    what = f"the question of {state_what}"
    reader.check_keys(ask, ASK_KEYS, what)
    prompt = reader.text(ask, what)
    if prompt is None and "say" not in ask and "text" not in ask:
        reader.problem(ask.line, f"{what} needs 'text:' (inline) or 'say:' (a template)")
    answer = reader.string(ask, "answer", what, required=True)
    if answer is not None and not KEY_NAME.match(answer):
        reader.problem(ask.line_of("answer"), f"answer key '{answer}' must be snake_case")
    kind = ask.get("input", "text")
    if kind not in INPUT_KINDS:
        reader.problem(ask.line_of("input"),
                       f"input '{kind}' is not known (expected one of: {', '.join(INPUT_KINDS)})")
        return None
    options = _parse_options(reader, ask, what) if kind in ("choice", "multi") else ()
    if kind in ("choice", "multi") and "options" not in ask:
        reader.problem(ask.line, f"{what} is a '{kind}' question and needs 'options:'")
    if kind not in ("choice", "multi") and "options" in ask:
        reader.problem(ask.line_of("options"),
                       f"'options:' only go with 'input: choice' or 'input: multi', not '{kind}'")
    options_from = reader.string(ask, "options_from", what)
    if kind == "pick" and options_from is None:
        reader.problem(ask.line, f"{what} is a 'pick' question and needs 'options_from:' "
                                 "(a variable listing the options)")
    if kind != "pick" and options_from is not None:
        reader.problem(ask.line_of("options_from"),
                       f"'options_from:' only goes with 'input: pick', not '{kind}'")
    minimum = reader.integer(ask, "min", what, None)
    maximum = reader.integer(ask, "max", what, None)
    if minimum is not None and maximum is not None and minimum > maximum:
        reader.problem(ask.line_of("min"), f"'min: {minimum}' is above 'max: {maximum}'")
    if kind == "multi" and options and minimum is not None and minimum > len(options):
        reader.problem(ask.line_of("min"),
                       f"'min: {minimum}' asks for more picks than the {len(options)} options")
    min_length = reader.integer(ask, "min_length", what, 1)
    max_length = reader.integer(ask, "max_length", what, 1000, minimum=1)
    if max_length and max_length > 3000:
        reader.problem(ask.line_of("max_length"),
                       "'max_length:' above 3000 would not fit in one Telegram message")
    shared = ask.get("shared", False)
    if not isinstance(shared, bool):
        reader.problem(ask.line_of("shared"), "'shared:' must be true or false")
        shared = False
    role = reader.string(ask, "role", what)  # which roles exist, the bot's code says (lint)
    if role is not None and not KEY_NAME.match(role):
        reader.problem(ask.line_of("role"), f"role '{role}' must be lower case letters, "
                                            "digits and _")
        role = None
    if prompt is None or answer is None:
        return None
    return Ask(
        prompt=prompt,
        answer=answer,
        input=kind,
        where=reader.at(ask.line),
        title=reader.string(ask, "title", what),
        min_length=min_length or 0,
        max_length=max_length or 1000,
        min=minimum,
        max=maximum,
        options=options,
        done=reader.string(ask, "done", what) or "Done",
        share=reader.string(ask, "share", what) or "Share my phone number",
        skip=reader.string(ask, "skip", what),
        columns=reader.integer(ask, "columns", what, 1, minimum=1) or 1,
        options_from=options_from,
        shared=shared,
        role=role,
        role_where=reader.at(ask.line_of("role")) if role is not None else None,
    )


def _parse_options(reader: _Reader, ask: Located, what: str) -> tuple[Option, ...]:
    block = reader.mapping(ask.get("options"), ask.line_of("options"), f"'options:' of {what}")
    if block is None:
        return ()
    options = []
    for option_id, label in block.items():
        line = block.line_of(option_id)
        if not OPTION_ID.match(option_id):
            reader.problem(line, f"option id '{option_id}' must be 1-32 letters, digits, _ or -")
            continue
        if not isinstance(label, str) or not label.strip():
            reader.problem(line, f"option '{option_id}' needs a label text")
            continue
        options.append(Option(option_id, label.strip(), reader.at(line)))
    if not options:
        reader.problem(block.line, f"'options:' of {what} lists no options")
    return tuple(options)


def _parse_buttons(reader: _Reader, state: Located, what: str) -> tuple[Button, ...]:
    value = state.get("buttons")
    if value is None:
        return ()
    if not isinstance(value, LocatedList) or not value:
        reader.problem(state.line_of("buttons"), f"'buttons:' of {what} must be a list")
        return ()
    buttons = []
    for button in reader.items(value, f"a button of {what}", BUTTON_KEYS):
        parsed = _parse_button(reader, button, what)
        if parsed is not None:
            buttons.append(parsed)
    return tuple(buttons)


def _parse_button(reader: _Reader, button: Located, what: str) -> Button | None:
    where = reader.at(button.line)
    edit = button.get("edit", False)
    if edit not in (False, "questions"):
        reader.problem(button.line_of("edit"), "'edit:' takes one value: 'questions'")
        return None
    label = reader.string(button, "label", f"a button of {what}")
    goto = (reader.target(button["goto"], button.line_of("goto"), "'goto:' of a button")
            if "goto" in button else None)
    call = (reader.target(button["call"], button.line_of("call"), "'call:' of a button")
            if "call" in button else None)
    ask = reader.string(button, "ask", f"a button of {what}")
    if ask is not None and not STATE_NAME.match(ask):
        reader.problem(button.line_of("ask"), f"'ask: {ask}' must name a state of this flow")
    then = reader.string(button, "then", f"a button of {what}")
    action = reader.string(button, "action", f"a button of {what}")
    if action is not None and not KEY_NAME.match(action):
        reader.problem(button.line_of("action"), f"action '{action}' must be snake_case")
    if sum(1 for way in (goto, call, ask) if way) > 1:
        reader.problem(button.line, "a button either goes ('goto:'), calls ('call:') or asks "
                                    "('ask:'), one of them")
    if then and not (call or ask or edit):
        reader.problem(button.line_of("then"),
                       "'then:' says where a 'call:', 'ask:' or 'edit:' button comes back to")
    if edit and (label or goto or call or ask):
        reader.problem(button.line, "an 'edit: questions' button makes its own labels and targets")
    if not edit and label is None:
        reader.problem(button.line, f"a button of {what} needs 'label:'")
        return None
    if not edit and not (goto or call or ask or action):
        reader.problem(button.line, f"button '{label}' does nothing: give it 'goto:', 'call:', "
                                    "'ask:' or 'action:'")
    return Button(where, label=label, goto=goto, call=call, ask=ask, then=then, action=action,
                  when=reader.string(button, "when", f"a button of {what}"), edit=bool(edit))


__all__ = ["Problem", "parse_flow", "parse_flow_text"]
