"""Interpret what a participant sent while standing in a state: a button, an option, an answer.

Accepted input is stored (profile or flow values) and the participant moves on through the
navigator; anything else gets a short explanation and the state drawn again.
"""

from __future__ import annotations

from typing import Any

from engine.dialog import inputs
from engine.dialog.callbacks import Press, decode
from engine.dialog.events import Reply
from engine.dialog.navigator import Navigator
from engine.dialog.present import option_labels, present
from engine.dialog.turn import Turn
from engine.flows.spec import StateSpec


class Answers:
    """Input in a waiting state, checked against what the state asks."""

    def __init__(self, navigator: Navigator) -> None:
        self.navigator = navigator

    def take(self, turn: Turn, state: StateSpec) -> None:
        """Act on the turn's event, which came while the participant stood in `state`."""
        event = turn.event
        assert event is not None
        if event.kind == "button":
            self._button(turn, state, decode(event.data))
        elif state.ask is not None:
            self._typed_answer(turn, state)
        elif state.buttons:
            self.reject(turn, "use_buttons", {"input": "buttons"}, reshow=state)
        else:
            self.reject(turn, "nothing_expected", {})

    def reject(self, turn: Turn, code: str, params: dict[str, Any],
               reshow: StateSpec | None = None) -> None:
        """Explain (`input_error` with `code`) and, with `reshow`, draw that state again."""
        turn.replies.append(Reply(text=turn.render("input_error", error=code, **params)))
        if reshow is not None and turn.flow in self.navigator.flows:
            present(turn, self.navigator.flow_of(turn), reshow)

    # Buttons ----------------------------------------------------------------------------

    def _button(self, turn: Turn, state: StateSpec, press: Press | None) -> None:
        if press is not None and press.kind == "d" and press.serial != turn.context.keyboard:
            return  # "Done" tapped again: the first tap was taken, answering the press is enough
        if press is None or press.serial != turn.context.keyboard:
            self.reject(turn, "stale", {}, reshow=state)
            return
        ask = state.ask
        if press.kind == "b":
            self._press_button(turn, state, press.value)
        elif ask is not None and press.kind == "o":
            self._pick_option(turn, state, press.value)
        elif ask is not None and press.kind == "d" and ask.input == "multi":
            self._outcome(turn, state, inputs.finish_picks(turn.context.picks, ask))
        elif ask is not None and press.kind == "s" and ask.skip:
            self._accept(turn, state, None)
        else:
            self.reject(turn, "stale", {}, reshow=state)

    def _press_button(self, turn: Turn, state: StateSpec, value: str) -> None:
        flow = self.navigator.flow_of(turn)
        buttons = flow.buttons.get(state.name, ())
        index = int(value) if value.isdigit() else -1
        if not 0 <= index < len(buttons):
            self.reject(turn, "stale", {}, reshow=state)
            return
        fired, moved = self.navigator.press(turn, buttons[index].trigger)
        if not fired:
            # The button is gone from this very message (its `when:` no longer holds: a
            # second tap on Send): the message is drawn again where it is, nothing else.
            present(turn, flow, state, edit_message_id=_pressed_message(turn))
        elif not moved:
            # The button only ran an action: redraw this state where the button was.
            present(turn, flow, state, edit_message_id=_pressed_message(turn))

    def _pick_option(self, turn: Turn, state: StateSpec, option_id: str) -> None:
        ask = state.ask
        assert ask is not None
        if option_id not in option_labels(turn, ask):
            self.reject(turn, "stale", {}, reshow=state)
            return
        if ask.input != "multi":
            self._accept(turn, state, option_id)
            return
        outcome = inputs.toggle(turn.context.picks, option_id, ask)
        if isinstance(outcome, inputs.Rejected):
            self.reject(turn, outcome.code, outcome.params)
            return
        turn.context.picks = outcome.value
        present(turn, self.navigator.flow_of(turn), state,
                edit_message_id=_pressed_message(turn))

    # Answers ----------------------------------------------------------------------------

    def _typed_answer(self, turn: Turn, state: StateSpec) -> None:
        ask = state.ask
        assert ask is not None and turn.event is not None
        event = turn.event
        if ask.skip and event.kind == "text" and event.text.strip().casefold() == \
                turn.tools.renderer.gettext(turn.locale, ask.skip).casefold():
            self._accept(turn, state, None)
            return
        if ask.input == "multi" and event.kind == "text":
            self.reject(turn, "use_buttons", {"input": "multi"}, reshow=state)
            return
        self._outcome(turn, state, inputs.check_typed(ask, event, option_labels(turn, ask)))

    def _outcome(self, turn: Turn, state: StateSpec, outcome: inputs.Outcome) -> None:
        if isinstance(outcome, inputs.Rejected):
            self.reject(turn, outcome.code, outcome.params, reshow=state)
        else:
            self._accept(turn, state, outcome.value)

    def _accept(self, turn: Turn, state: StateSpec, value: Any) -> None:
        ask = state.ask
        assert ask is not None
        if self.navigator.flow_of(turn).spec.answers_in == "context":
            turn.flow_values[ask.answer] = value
        else:
            turn.store_answer(ask.answer, value)
        if ask.input == "language" and value:
            turn.user.locale = value
        if ask.input == "contact":
            turn.user.phone = value
            turn.remove_keyboard = True
        turn.forget()
        turn.context.picks = []
        for name in state.on_answer:
            turn.run_action(name)
        self.navigator.advance(turn, state)


def _pressed_message(turn: Turn) -> int | None:
    return turn.event.message_id if turn.event else None
