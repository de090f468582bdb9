"""Cross-checks over all flows: targets, templates, actions, conditions, reachability and
loops. Every problem names the file and line an organizer has to fix."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from engine.flows.conditions import ConditionError, names_used
from engine.flows.library import FlowLibrary
from engine.flows.parse import Problem
from engine.flows.spec import FlowSpec, StateSpec, Target, Where

# Names every `when:` expression and template can read (see engine.dialog.variables).
BASE_NAMES = frozenset({"answers", "user", "context", "questions", "now"})


@dataclass(frozen=True)
class LintInputs:
    """What the flows are checked against, supplied by the layers that own it."""

    template_exists: Callable[[str], bool]
    actions: Collection[str]
    variables: Collection[str] = ()


def lint(library: FlowLibrary, inputs: LintInputs) -> list[Problem]:
    """All problems of the library, structural ones first, sorted by file and line."""
    problems = list(library.problems)
    for spec in library.flows.values():
        problems.extend(_check_flow(library, spec, inputs))
    problems.extend(_check_reachability(library))
    unique = {(p.where.path, p.where.line, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.where.path, p.where.line, p.message))


def _check_flow(library: FlowLibrary, spec: FlowSpec, inputs: LintInputs) -> Iterator[Problem]:
    known_names = BASE_NAMES | set(inputs.variables)
    for arm in spec.initial:
        yield from _check_target(library, spec, arm.target)
        yield from _check_condition(arm.when, arm.where, known_names)
    yield from _check_questions(spec)
    for state in spec.states.values():
        yield from _check_state(library, spec, state, inputs, known_names)
    yield from _check_loops(spec)
    if spec.access == "admins" and spec.command is None:
        yield Problem(spec.where, "an 'access: admins' flow needs a 'command:' to be entered by")


def _check_state(library: FlowLibrary, spec: FlowSpec, state: StateSpec, inputs: LintInputs,
                 known_names: set[str]) -> Iterator[Problem]:
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
        for name in (button.then, button.ask):
            if name and name not in spec.states:
                yield Problem(button.where, _unknown_state(name, spec))
        if button.ask and button.ask in spec.states and spec.states[button.ask].ask is None:
            yield Problem(button.where, f"'ask: {button.ask}' names a state that asks nothing")
        if button.action and button.action not in inputs.actions:
            yield Problem(button.where, _unknown_action(button.action, inputs.actions))
        if button.edit and not spec.questions:
            yield Problem(button.where, f"'edit: questions' needs a 'questions:' list in flow "
                                        f"'{spec.name}'")
        yield from _check_condition(button.when, button.where, known_names)


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


def _check_condition(expression: str | None, where: Where, known: set[str]) -> Iterator[Problem]:
    if expression is None:
        return
    try:
        used = names_used(expression)
    except ConditionError as error:
        yield Problem(where, str(error))
        return
    for name in sorted(used - known):
        yield Problem(where, f"'when: {expression}' reads '{name}', which is not known "
                             f"(known: {', '.join(sorted(known))})")


StatePair = tuple[str, str]


def _successors(library: FlowLibrary, spec: FlowSpec, state: StateSpec) -> Iterator[StatePair]:
    """(flow, state) pairs a participant can go to from `state`."""
    targets: list[Target] = [arm.target for arm in state.next]
    for button in state.buttons:
        targets.extend(t for t in (button.goto, button.call) if t)
        for name in (button.then, button.ask):
            if name:
                yield spec.name, name
        if button.edit:
            for question in spec.questions:
                yield spec.name, question
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
