"""Cross-checks over all flows: targets, templates, actions, conditions, reachability and
loops. Every problem names the file and line an organizer has to fix."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from engine.flows.conditions import ConditionError, parse_expression
from engine.flows.library import FlowLibrary
from engine.flows.lint_labels import label_problem, label_texts
from engine.flows.lint_names import Names, Shape, unknown_names
from engine.flows.parse import Problem
from engine.flows.spec import FlowSpec, Role, StateSpec, Target, Where


@dataclass(frozen=True)
class LintInputs:
    """What the flows are checked against, supplied by the layers that own it."""

    template_exists: Callable[[str], bool]
    actions: Collection[str]
    # what conditions and inline texts read (`context` is worked out per flow)
    names: Names = field(default_factory=dict)
    # flows the code starts: name -> (context keys it passes in, who starts it)
    flows_needed: Mapping[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    # commands the code enters: command -> why
    commands_needed: Mapping[str, str] = field(default_factory=dict)
    templates_needed: Collection[str] = ()
    # roles of questions the code reads: name -> the inputs and options it relies on
    roles: Mapping[str, Role] = field(default_factory=dict)
    # checks the inline texts of a flow (syntax, names, HTML) with the names it may read
    inline_texts: Callable[[FlowSpec, Names], Iterable[Problem]] | None = None


def lint(library: FlowLibrary, inputs: LintInputs) -> list[Problem]:
    """All problems of the library, structural ones first, sorted by file and line.

    While a file cannot be read at all, only what each file says about itself is reported:
    the checks across files (targets, names, what the code needs) would blame the other files
    for what the unreadable one holds."""
    problems = list(library.problems)
    if library.unreadable:
        return sorted(problems, key=lambda p: (p.where.path, p.where.line, p.message))
    for spec in library.flows.values():
        problems.extend(_check_flow(library, spec, inputs))
    problems.extend(_check_reachability(library))
    problems.extend(_check_roles(library, inputs.roles))
    if not library.problems:  # a flow that does not parse is not missing
        problems.extend(_check_needs(library, inputs))
    unique = {(p.where.path, p.where.line, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.where.path, p.where.line, p.message))


def _check_flow(library: FlowLibrary, spec: FlowSpec, inputs: LintInputs) -> Iterator[Problem]:
    known_names = {**inputs.names, "context": _context_shape(spec, inputs)}
    if inputs.inline_texts is not None:
        yield from inputs.inline_texts(spec, known_names)
    for arm in spec.initial:
        yield from _check_target(library, spec, arm.target)
        yield from _check_condition(arm.when, arm.where, known_names)
    yield from _check_questions(spec)
    for state in spec.states.values():
        yield from _check_state(library, spec, state, inputs, known_names)
    yield from _check_loops(spec)
    for label, where, prefix in label_texts(spec):
        found = label_problem(label, prefix)
        if found is not None:
            yield Problem(where, found[0], warning=not found[1])
    if spec.access == "organizers" and spec.command is None:
        yield Problem(spec.where, "an 'access: organizers' flow needs a 'command:' to be "
                                  "entered by")


def _context_shape(spec: FlowSpec, inputs: LintInputs) -> Shape:
    """What `context` holds in this flow: what the code passes in, and the flow's own answers
    when they are kept there."""
    keys = set(inputs.flows_needed.get(spec.name, ((), ""))[0])
    if spec.answers_in == "context":
        keys |= {state.ask.answer for state in spec.states.values() if state.ask}
    return Shape.of_keys(keys)


def _check_needs(library: FlowLibrary, inputs: LintInputs) -> Iterator[Problem]:
    """The flows and commands the code relies on exist (a renamed flow breaks a weekly job)."""
    directory = _flows_directory(library)
    for name, (_passes, why) in sorted(inputs.flows_needed.items()):
        if name not in library.flows:
            close = _closest(name, library.flows)
            hint = f"; did you mean '{close}'? (rename it back)" if close else ""
            yield Problem(Where(f"{directory}{name}.yaml", 1),
                          f"flow '{name}' is missing: {why}{hint}")
    for command, why in sorted(inputs.commands_needed.items()):
        if library.by_command(command) is None:
            same = library.flows.get(command)
            where = same.where if same else Where(f"{directory}{command}.yaml", 1)
            yield Problem(where, f"no flow has 'command: {command}': {why}")
    for template in sorted(inputs.templates_needed):
        if not inputs.template_exists(template):
            yield Problem(Where(f"templates/{template}.j2", 1),
                          f"template '{template}' is missing: the bot renders it")


def _flows_directory(library: FlowLibrary) -> str:
    for spec in library.flows.values():
        return spec.path[:len(spec.path) - len(spec.path.split("/")[-1])]
    return "flows/"


def _check_state(library: FlowLibrary, spec: FlowSpec, state: StateSpec, inputs: LintInputs,
                 known_names: Names) -> Iterator[Problem]:
    if not (state.message or state.ask or state.buttons or state.next or state.actions):
        yield Problem(state.where, f"state {state.name} does nothing: give it 'say:', 'text:', "
                                   "'ask:', 'buttons:' or 'next:'")
    texts = [state.message, state.ask.prompt if state.ask else None]
    for text in texts:
        if text and text.template and not inputs.template_exists(text.template):
            yield Problem(text.where, f"template '{text.template}' not found "
                                      f"(templates/{text.template}.j2)")
    for name in (*state.actions, *state.on_answer):
        if name not in inputs.actions:
            yield Problem(state.where, _unknown_action(name, inputs.actions))
    if state.on_answer and state.ask is None:
        yield Problem(state.where, f"'on_answer:' in state {state.name} needs an 'ask:'")
    if state.ask and state.ask.options_from and state.ask.options_from not in inputs.names:
        yield Problem(state.ask.where, f"'options_from: {state.ask.options_from}' names no "
                                       "registered variable")
    for arm in state.next:
        yield from _check_target(library, spec, arm.target)
        yield from _check_condition(arm.when, arm.where, known_names)
    if state.next and state.next[-1].when is not None:
        yield Problem(state.next[-1].where,
                      f"every arm of 'next:' in state {state.name} has a 'when:'; add a last arm "
                      "'- goto: ...' for when none holds")
    for button in state.buttons:
        for target in (button.goto, button.call):
            if target:
                yield from _check_target(library, spec, target)
        for state_name in (button.then, button.ask):
            if state_name and state_name not in spec.states:
                yield Problem(button.where, _unknown_state(state_name, spec))
        if button.ask and button.ask in spec.states and spec.states[button.ask].ask is None:
            yield Problem(button.where, f"'ask: {button.ask}' names a state that asks nothing")
        if button.action and button.action not in inputs.actions:
            yield Problem(button.where, _unknown_action(button.action, inputs.actions))
        if button.edit and not spec.questions:
            yield Problem(button.where, f"'edit: questions' needs a 'questions:' list in flow "
                                        f"'{spec.name}'")
        yield from _check_condition(button.when, button.where, known_names)


def _check_roles(library: FlowLibrary, roles: Mapping[str, Role]) -> Iterator[Problem]:
    """Roles and sharing belong to the questionnaire's listed questions, each role once, each
    one the code declares, with the input and options it reads."""
    seen: dict[str, str] = {}
    for spec in library.flows.values():
        for state in spec.states.values():
            ask = state.ask
            if ask is None or not (ask.role or ask.shared):
                continue
            if state.name not in spec.questions:
                yield Problem(ask.where, f"'role:' and 'shared:' go with a question listed in "
                                         f"'questions:'; {state.name} is not")
                continue
            if not ask.role:
                continue
            role = roles.get(ask.role)
            problem = _role_misread(ask.role, role, ask.input, roles)
            if problem is not None:
                yield Problem(ask.role_where or ask.where, problem)
            elif ask.role in seen:
                yield Problem(ask.where, f"'role: {ask.role}' is already {seen[ask.role]}'s")
            else:
                seen[ask.role] = state.name
                ids = {option.id for option in ask.options}
                why = f" ({role.why})" if role is not None and role.why else ""
                yield from (Problem(ask.where, f"'role: {ask.role}' needs an option "
                                               f"'{option}'{why}")
                            for option in (role.options if role is not None else ())
                            if option not in ids)


def _role_misread(name: str, role: Role | None, kind: str,
                  roles: Mapping[str, Role]) -> str | None:
    """Why the code could not read a question of this input by role `name`, if it cannot."""
    if role is None:
        known = ", ".join(roles) or "none: this bot's code reads no question by its role"
        return f"role '{name}' is not known (expected one of: {known})"
    if kind not in role.inputs:
        return f"'role: {name}' needs 'input: {' or '.join(role.inputs)}', not '{kind}'"
    return None


def _check_questions(spec: FlowSpec) -> Iterator[Problem]:
    where = spec.questions_where or spec.where
    for name in spec.questions:
        state = spec.states.get(name)
        if state is None:
            yield Problem(where, f"'questions:' lists {_unknown_state(name, spec)}")
        elif state.ask is None:
            yield Problem(where, f"'questions:' lists state {name}, which asks nothing")
        elif state.ask.title is None:
            yield Problem(state.ask.where, f"question {name} needs 'title:' (its row in the "
                                           "profile and the edit menu)")


def _check_target(library: FlowLibrary, spec: FlowSpec, target: Target) -> Iterator[Problem]:
    if target.is_return:
        return
    flow = library.flows.get(target.flow) if target.flow else spec
    if flow is None:
        known = ", ".join(sorted(library.flows))
        yield Problem(target.where, f"unknown flow '{target.flow}' (flows: {known})")
        return
    if target.state and target.state not in flow.states:
        yield Problem(target.where, _unknown_state(target.state, flow))


def _unknown_state(name: str, spec: FlowSpec) -> str:
    close = _closest(name, spec.states)
    hint = f"; did you mean '{close}'?" if close else ""
    return f"unknown state '{name}' in flow '{spec.name}'{hint}"


def _unknown_action(name: str, actions: Collection[str]) -> str:
    close = _closest(name, actions)
    hint = f"; did you mean '{close}'?" if close else ""
    return f"unknown action '{name}'{hint}"


def _closest(name: str, candidates: Collection[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _check_condition(expression: str | None, where: Where, known: Names) -> Iterator[Problem]:
    if expression is None:
        return
    try:
        tree = parse_expression(expression)
    except ConditionError as error:
        yield Problem(where, str(error))
        return
    for unknown in unknown_names(tree, known, what=f"'when: {expression}' "):
        yield Problem(where, unknown.message)


StatePair = tuple[str, str]


def _successors(library: FlowLibrary, spec: FlowSpec, state: StateSpec) -> Iterator[StatePair]:
    """(flow, state) pairs a participant can go to from `state`."""
    targets: list[Target] = [arm.target for arm in state.next]
    for button in spec.buttons_of(state):
        targets.extend(t for t in (button.goto, button.call) if t)
        for name in (button.then, button.ask):
            if name:
                yield spec.name, name
    for target in targets:
        yield from _target_states(library, spec, target)


def _target_states(library: FlowLibrary, spec: FlowSpec, target: Target) -> Iterator[StatePair]:
    if target.is_return:
        return
    flow = library.flows.get(target.flow) if target.flow else spec
    if flow is None:
        return
    if target.state:
        yield flow.name, target.state
    else:
        for arm in flow.initial:
            yield from _target_states(library, flow, arm.target)


def _check_reachability(library: FlowLibrary) -> Iterator[Problem]:
    reached: set[tuple[str, str]] = set()
    pending = [pair for spec in library.flows.values() for arm in spec.initial
               for pair in _target_states(library, spec, arm.target)]
    while pending:
        pair = pending.pop()
        if pair in reached:
            continue
        reached.add(pair)
        state = library.state(*pair)
        if state is not None:
            pending.extend(_successors(library, library.flows[pair[0]], state))
    for spec in library.flows.values():
        for state in spec.states.values():
            if (spec.name, state.name) not in reached:
                yield Problem(state.where, f"state {state.name} can never be reached: no "
                                           "'initial:', 'next:', 'goto:' or 'call:' leads to it")


def _check_loops(spec: FlowSpec) -> Iterator[Problem]:
    """States that never wait for the participant must not lead back to themselves."""
    passing = {name: [arm.target.state for arm in state.next
                      if arm.target.state and not arm.target.flow]
               for name, state in spec.states.items() if not state.waits}
    finished: set[str] = set()

    def visit(name: str, path: list[str]) -> Iterator[list[str]]:
        if name in path:
            yield [*path[path.index(name):], name]
            return
        if name in finished or name not in passing:
            return
        for following in passing[name]:
            yield from visit(following, [*path, name])
        finished.add(name)

    for start in passing:
        for cycle in visit(start, []):
            yield Problem(spec.states[cycle[0]].where,
                          "states loop without waiting for the participant: "
                          + " -> ".join(cycle))
