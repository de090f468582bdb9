"""Compile a FlowSpec into one `transitions` machine, shared by every participant.

The machine holds no participant: each event builds a throwaway model object carrying the
participant's stored state and hands it to the machine's events, so handling a message never
builds a machine and nothing stays in memory per participant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from transitions import EventData, Machine

from engine.flows.spec import Button, FlowSpec, Target

OUTSIDE = "_outside"  # where a participant stands before the flow starts
START, NEXT = "start", "next"

Callback = Callable[[EventData], Any]
# What `add_transition` takes as conditions and callbacks.
Callbacks = list[str | Callable[..., bool | None]]


@dataclass(frozen=True)
class Leave:
    """A step that leaves this machine: to another flow, back to a caller, or into a call."""

    target: Target
    call: bool = False
    then: str | None = None
    single: bool = False


@dataclass(frozen=True)
class MachineHooks:
    """What the dialog layer plugs into every machine."""

    on_enter: Callback
    condition: Callable[[str], Callback]
    action: Callable[[str], Callback]
    leave: Callable[[Leave], Callback]


@dataclass(frozen=True)
class CompiledButton:
    """A button as shown: its label (msgid, or a numbered question title) and its trigger."""

    trigger: str
    label: str
    when: str | None
    number: int | None = None


class CompiledFlow:
    """A flow's machine plus what the dialog needs to drive it."""

    def __init__(self, spec: FlowSpec, hooks: MachineHooks) -> None:
        self.spec = spec
        self.buttons: dict[str, tuple[CompiledButton, ...]] = {}
        self.machine = Machine(
            model=None,
            states=[OUTSIDE, *spec.states],
            initial=OUTSIDE,
            auto_transitions=True,
            send_event=True,
            ignore_invalid_triggers=True,
            name=f"{spec.name}: ",
        )
        for name in spec.states:
            self.machine.get_state(name).add_callback("enter", hooks.on_enter)
        self._add_arms(START, [OUTSIDE], spec.initial, hooks)
        for name, state in spec.states.items():
            self._add_arms(NEXT, [name], state.next, hooks)
            self.buttons[name] = tuple(self._add_buttons(name, spec.buttons_of(state), hooks))

    def _add_arms(self, trigger: str, sources: list[str], arms: Any, hooks: MachineHooks) -> None:
        for arm in arms:
            conditions: Callbacks = [hooks.condition(arm.when)] if arm.when else []
            self._add_step(trigger, sources[0], arm.target, conditions, [], hooks)

    def _add_step(self, trigger: str, source: str, target: Target, conditions: Callbacks,
                  before: Callbacks, hooks: MachineHooks, *, call: bool = False,
                  then: str | None = None, single: bool = False) -> None:
        local = target.state and not target.flow and not call
        if local:
            self.machine.add_transition(trigger, source, target.state, conditions=conditions,
                                        before=before)
        else:
            leave = hooks.leave(Leave(target, call=call, then=then, single=single))
            self.machine.add_transition(trigger, source, None, conditions=conditions,
                                        before=before, after=[leave])

    def _add_buttons(self, state: str, buttons: tuple[Button, ...],
                     hooks: MachineHooks) -> list[CompiledButton]:
        compiled: list[CompiledButton] = []
        for button in buttons:
            conditions: Callbacks = [hooks.condition(button.when)] if button.when else []
            before: Callbacks = [hooks.action(button.action)] if button.action else []
            trigger = f"press_{len(compiled)}"
            if button.ask:
                self._add_step(trigger, state, Target(button.where, state=button.ask),
                               conditions, before, hooks, call=True,
                               then=button.then or state, single=True)
            elif button.call:
                self._add_step(trigger, state, button.call, conditions, before, hooks,
                               call=True, then=button.then or state)
            elif button.goto:
                self._add_step(trigger, state, button.goto, conditions, before, hooks)
            else:
                self.machine.add_transition(trigger, state, None, conditions=conditions,
                                            before=before)
            compiled.append(CompiledButton(trigger, button.label or "", button.when,
                                           button.number))
        return compiled

    def fire(self, model: Any, trigger: str) -> bool:
        """Run `trigger` for one participant's model; False when no transition applied."""
        event = self.machine.events.get(trigger)
        return bool(event and event.trigger(model))

    def jump(self, model: Any, state: str) -> None:
        """Enter `state` directly (after a call returns, or to ask a question again)."""
        self.fire(model, f"to_{state}")
