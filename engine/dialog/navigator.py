"""Move a participant between states and flows: the one path every step takes.

Within one flow, `transitions` does what it is for: a flow's arms (`initial:`, `next:`, buttons)
are its triggers, `when:` its conditions, a button's action its `before` callback, and entering
a state runs `_on_enter` (actions, then the state drawn). A step that leaves the flow (to another
flow, into a call, back to a caller) is a transition without a destination whose `after`
callback hands the navigator a `Leave`; the navigator follows it as soon as the trigger returns,
with the call stack of `Frame`s in the participant's `DialogContext`.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping
from typing import Any, cast

from transitions import EventData

from engine.dialog.present import present, settle_keyboard
from engine.dialog.profile import is_answered, unanswered
from engine.dialog.session import Frame
from engine.dialog.turn import Turn
from engine.flows.conditions import Condition, compile_condition
from engine.flows.library import FlowLibrary
from engine.flows.machine import NEXT, OUTSIDE, START, CompiledFlow, Leave, MachineHooks
from engine.flows.spec import FlowSpec, StateSpec

log = logging.getLogger("engine.dialog.engine")

MAX_STEPS = 100  # steps taken in one event before we call it a loop
INITIAL = ""  # a Frame's state that comes back through the flow's `initial:`


class Navigator:
    """The compiled flows and the moves between their states."""

    def __init__(self, library: FlowLibrary, entry_command: str) -> None:
        self.library = library
        self.entry_command = entry_command
        hooks = MachineHooks(on_enter=self._on_enter, condition=self._condition_hook,
                             action=self._action_hook, leave=self._leave_hook)
        self.flows = {name: CompiledFlow(spec, hooks) for name, spec in library.flows.items()}

    def current_state(self, turn: Turn) -> StateSpec | None:
        """Where the participant stands; None outside any flow (or in a state gone since)."""
        if turn.flow is None or turn.state == OUTSIDE:
            return None
        state = self.library.state(turn.flow, turn.state)
        if state is None:
            log.warning("user %s stood in %s.%s, which no flow has any more; starting over",
                        turn.user.id, turn.flow, turn.state)
        return state

    def flow_of(self, turn: Turn) -> CompiledFlow:
        return self.flows[turn.flow or ""]

    def enter_command(self, turn: Turn, spec: FlowSpec) -> None:
        """Enter a command's flow, afresh (its values empty). A `returns: true` flow comes
        back to the question or menu the participant was at, as it was (not to an ended flow,
        and not to the same flow entered again); any other command replaces the dialogue."""
        current = self.current_state(turn)
        if spec.returns and current is not None and current.waits and turn.flow != spec.name:
            turn.context.stack.append(self._caller(turn, current.name, resume=True))
        elif not spec.returns:
            turn.context.stack = []
        missing = unanswered(spec, turn.answers) if turn.user.registered else []
        if missing:
            # Questions added since the participant registered: each is asked once, then the
            # flow goes on as usual (its `initial:`).
            turn.say("input_error", error="new_questions", count=len(missing))
            turn.context.stack.append(Frame(spec.name, INITIAL, single=True))
            turn.context.stack.extend(Frame(spec.name, name, single=True)
                                      for name in reversed(missing[1:]))
            self.go(turn, spec.name, missing[0], values={})
        else:
            self.go(turn, spec.name, None, values={})
        self.settle(turn)

    def press(self, turn: Turn, trigger: str) -> tuple[bool, bool]:
        """Fire a button's trigger: (whether it applied, whether it left the state)."""
        state = turn.state
        flow = self.flow_of(turn)
        if not flow.fire(turn, trigger):
            return False, False
        left = self._follow(turn)
        return True, left or turn.state != state

    def advance(self, turn: Turn, state: StateSpec) -> None:
        """Move on after an answer: back to a caller waiting for one answer, along `next:`, or
        back to the caller at the end of a flow."""
        stack = turn.context.stack
        if stack and stack[-1].single:
            self._return(turn)
        elif state.next:
            self._fire_next(turn)
        elif stack:
            self._return(turn)

    def settle(self, turn: Turn) -> None:
        """Follow states that do not wait for the participant until one does (or the end)."""
        for _ in range(MAX_STEPS):
            state = self.current_state(turn)
            if state is None or (state.waits and not self._passes_by(turn, state)):
                break
            if state.next:
                if not self._fire_next(turn):
                    break
            elif turn.context.stack:
                self._return(turn)
            else:
                break
        else:
            raise RuntimeError(f"{turn.flow}.{turn.state}: more than {MAX_STEPS} steps in a row")
        settle_keyboard(turn)

    def _passes_by(self, turn: Turn, state: StateSpec) -> bool:
        """A newcomer is not asked a listed question they have answered already (the language,
        asked first when Telegram's language has no catalog): the questionnaire goes on."""
        spec = self.library.flows.get(turn.flow or "")
        if spec is None or state.ask is None or state.name not in spec.questions \
                or turn.user.registered or (turn.context.stack and turn.context.stack[-1].single):
            return False
        stored = turn.flow_values if spec.answers_in == "context" else turn.answers
        return is_answered(stored.get(state.ask.answer))

    def go(self, turn: Turn, flow_name: str, state: str | None,
           values: Mapping[str, Any] | None = None) -> None:
        """Enter `state` of a flow (its `initial:` when None), with `values` as its context;
        another flow entered without `values` starts with none (a flow's values are its own)."""
        turn.steps += 1
        if turn.steps > MAX_STEPS:
            raise RuntimeError(f"{flow_name}: more than {MAX_STEPS} steps in a row")
        flow = self.flows.get(flow_name)
        if flow is None:
            log.warning("flow '%s' is gone; user %s starts over", flow_name, turn.user.id)
            entry = self.library.by_command(self.entry_command)
            if entry is None:
                raise LookupError(f"no flow is entered by /{self.entry_command}")
            flow, state = self.flows[entry.name], None
        if flow.spec.name != turn.flow:
            turn.flow = flow.spec.name
            turn.forget()
            if values is None:
                turn.set_flow_values({})
        if values is not None:
            turn.set_flow_values(values)
        turn.state = OUTSIDE
        if state is None:
            if not self._fire(turn, flow, START):
                raise RuntimeError(f"no arm of 'initial:' holds in flow '{flow.spec.name}'")
        else:
            flow.jump(turn, state)

    # Steps ------------------------------------------------------------------------------

    def _fire(self, turn: Turn, flow: CompiledFlow, trigger: str) -> bool:
        fired = flow.fire(turn, trigger)
        self._follow(turn)
        return fired

    def _fire_next(self, turn: Turn) -> bool:
        if self._fire(turn, self.flow_of(turn), NEXT):
            return True
        log.error("no arm of 'next:' holds in %s.%s for user %s", turn.flow, turn.state,
                  turn.user.id)
        return False

    def _follow(self, turn: Turn) -> bool:
        """Take the step out of the flow that the last trigger asked for, if any."""
        leave, turn.leaving = turn.leaving, None
        if leave is None:
            return False
        if leave.call:
            turn.context.stack.append(Frame(turn.flow or "", leave.then or "", single=True)
                                      if leave.single else self._caller(turn, leave.then or ""))
        if leave.target.is_return:
            self._return(turn)
        else:
            self.go(turn, leave.target.flow or turn.flow or "", leave.target.state)
        return True

    @staticmethod
    def _caller(turn: Turn, state: str, resume: bool = False) -> Frame:
        """The frame of a call that leaves the flow: where to come back to, and a copy of
        what the caller holds (the callee cannot change it)."""
        return Frame(turn.flow or "", state, values=copy.deepcopy(turn.flow_values),
                     picks=tuple(turn.context.picks), resume=resume)

    def _return(self, turn: Turn) -> None:
        frame = turn.context.stack.pop()
        if frame.resume and self._resume(turn, frame):
            return
        self.go(turn, frame.flow, frame.state or None, values=frame.values)

    def _resume(self, turn: Turn, frame: Frame) -> bool:
        """Put an interrupted caller back as it was and show its state again; its entry
        actions do not run twice. False when the flows were edited and the state is gone."""
        flow = self.flows.get(frame.flow)
        state = flow.spec.states.get(frame.state) if flow is not None else None
        if flow is None or state is None:
            return False
        turn.steps += 1
        turn.flow, turn.state = frame.flow, frame.state
        turn.set_flow_values(frame.values or {})
        turn.context.picks = list(frame.picks)
        present(turn, flow, state)
        return True

    # Machine hooks ----------------------------------------------------------------------

    def _on_enter(self, event_data: EventData) -> None:
        turn = cast(Turn, event_data.model)
        spec = self.library.flows[turn.flow or ""]
        state = spec.states[event_data.state.name]
        turn.context.picks = []
        if self._passes_by(turn, state):
            return  # `settle` moves on
        if state.ask and state.ask.input == "multi":
            stored = (turn.flow_values if spec.answers_in == "context"
                      else turn.answers).get(state.ask.answer)
            turn.context.picks = list(stored) if isinstance(stored, list) else []
        for name in state.actions:
            turn.run_action(name)
        present(turn, self.flows[turn.flow or ""], state)

    def _condition_hook(self, expression: str) -> Callable[[EventData], bool]:
        condition: Condition = compile_condition(expression)
        return lambda event_data: condition(cast(Turn, event_data.model).variables())

    def _action_hook(self, name: str) -> Callable[[EventData], None]:
        return lambda event_data: cast(Turn, event_data.model).run_action(name)

    def _leave_hook(self, leave: Leave) -> Callable[[EventData], None]:
        def remember(event_data: EventData) -> None:
            cast(Turn, event_data.model).leaving = leave

        return remember
