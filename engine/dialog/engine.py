"""The dialogue core: an Event in, a list of Replies out, state loaded and saved around it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from peewee import Database, IntegrityError
from transitions import EventData

from engine.dialog import inputs
from engine.dialog.callbacks import Press, decode
from engine.dialog.events import Event, Reply
from engine.dialog.present import option_labels, present, settle_keyboard
from engine.dialog.registry import Registry
from engine.dialog.turn import Turn
from engine.flows.conditions import Condition, compile_condition
from engine.flows.library import FlowLibrary
from engine.flows.machine import NEXT, OUTSIDE, START, CompiledFlow, Leave, MachineHooks
from engine.flows.spec import FlowSpec, StateSpec
from engine.render.templates import Renderer
from engine.store import DialogState, PreparedSelect, User, first_handling, utc_now

log = logging.getLogger(__name__)

USER_BY_ID = PreparedSelect(User, User.select().where(User.id == 0))
DIALOG_BY_USER = PreparedSelect(DialogState, DialogState.select().where(DialogState.user == 0))

MAX_STEPS = 100  # states passed through in one event before we call it a loop
ENTRY_COMMAND = "start"


@dataclass(frozen=True)
class DialogSettings:
    """The few settings the dialogue itself needs."""

    default_locale: str = "uk"
    admin_ids: frozenset[int] = frozenset()
    development: bool = False
    clock: Callable[[], dt.datetime] = field(default=utc_now)


class ConversationEngine:
    """Runs every flow of a bot for any number of participants; holds no participant in memory."""

    def __init__(self, library: FlowLibrary, renderer: Renderer, registry: Registry,
                 database: Database, settings: DialogSettings) -> None:
        self.library = library
        self.renderer = renderer
        self.registry = registry
        self.database = database
        self.settings = settings
        hooks = MachineHooks(on_enter=self._on_enter, condition=self._condition_hook,
                             action=self._action_hook, leave=self._leave_hook)
        self.flows = {name: CompiledFlow(spec, hooks) for name, spec in library.flows.items()}
        self.condition = lru_cache(maxsize=None)(compile_condition)

    # Entry points -----------------------------------------------------------------------

    def handle(self, event: Event) -> list[Reply]:
        """Everything the participant (and maybe the organizers) should see after `event`;
        nothing for an update that has taken effect before (Telegram resends updates)."""
        try:
            with self.database.atomic():
                if event.update_id is not None and not first_handling(
                        event.update_id, self.settings.clock()):
                    log.info("update %s was handled before: ignored", event.update_id)
                    return []
                turn = self._begin(event)
                self._dispatch(turn)
                turn.save()
            return turn.replies
        except Exception:
            log.exception("update %s from user %s failed", event.update_id, event.user_id)
            return [self._apology(event.user_id)]

    def start_flow(self, user_id: int, flow: str, values: Mapping[str, Any] | None = None,
                   state: str | None = None) -> list[Reply]:
        """Put a participant into `flow` (a job's invitation, say) and return what to send.

        Runs inside the caller's transaction; errors propagate to the job that called it.
        """
        with self.database.atomic():
            user = User.get_by_id(user_id)
            dialog = DialogState.get_by_id(user_id)
            turn = Turn(self, user, dialog, None, self.settings.clock())
            turn.context["stack"] = []
            self._go(turn, flow, state, values=values)
            self._settle(turn)
            turn.save()
        return turn.replies

    def mark_unreachable(self, user_id: int) -> None:
        """The participant blocked the bot: skip them until they write again."""
        User.mark_unreachable(user_id)

    # Loading ----------------------------------------------------------------------------

    def _begin(self, event: Event) -> Turn:
        user = USER_BY_ID.first(event.user_id)
        if user is None:
            self._create_user(event)
            return self._begin(event)
        sender = event.sender
        changes = {"reachable": True}
        if sender is not None:
            changes.update(first_name=sender.first_name or user.first_name,
                           last_name=sender.last_name or "", username=sender.username,
                           language_code=sender.language_code)
        for name, value in changes.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
        return Turn(self, user, DIALOG_BY_USER.first(user.id), event, self.settings.clock())

    def _create_user(self, event: Event) -> None:
        sender = event.sender
        try:
            with self.database.atomic():
                user = User.create(
                    id=event.user_id,
                    first_name=sender.first_name if sender else "",
                    last_name=(sender.last_name or "") if sender else "",
                    username=sender.username if sender else None,
                    language_code=sender.language_code if sender else None,
                    locale=self.guess_locale(sender.language_code if sender else None),
                )
                DialogState.create(user=user, context={})
        except IntegrityError:
            log.info("user %s was created meanwhile by a parallel update", event.user_id)

    def guess_locale(self, language_code: str | None) -> str:
        """The locale closest to Telegram's language_code, else the default."""
        if language_code:
            base = language_code.replace("_", "-").split("-")[0].lower()
            if base in self.renderer.locales:
                return base
        return self.settings.default_locale

    # Dispatch ---------------------------------------------------------------------------

    def _dispatch(self, turn: Turn) -> None:
        event = turn.event
        assert event is not None
        if not turn.user.enabled:
            turn.say("disabled")
            return
        if event.kind == "command":
            self._command(turn, event.command)
            return
        state = self._current_state(turn)
        if state is None:
            self._enter_command_flow(turn, ENTRY_COMMAND)
            return
        if event.kind == "button":
            self._button(turn, state, decode(event.data))
        elif state.ask is not None:
            self._typed_answer(turn, state)
        elif state.buttons:
            self._reject(turn, "use_buttons", {"input": "buttons"}, reshow=state)
        else:
            self._reject(turn, "nothing_expected", {})
        self._settle(turn)

    def _current_state(self, turn: Turn) -> StateSpec | None:
        if turn.flow is None or turn.state == OUTSIDE:
            return None
        state = self.library.state(turn.flow, turn.state)
        if state is None:
            log.warning("user %s stood in %s.%s, which no flow has any more; starting over",
                        turn.user.id, turn.flow, turn.state)
        return state

    def _command(self, turn: Turn, command: str) -> None:
        spec = self.library.by_command(command)
        if spec is None or not self._may_enter(turn, spec):
            commands = sorted(s.command for s in self.library.flows.values()
                              if s.command and self._may_enter(turn, s))
            current = self._current_state(turn)
            known = ", ".join(f"/{name}" for name in commands)
            self._reject(turn, "unknown_command", {"command": command, "known": known},
                         reshow=current)
            return
        self._enter_command_flow(turn, command)

    def _may_enter(self, turn: Turn, spec: FlowSpec) -> bool:
        return spec.access == "everyone" or turn.is_admin or self.settings.development

    def _enter_command_flow(self, turn: Turn, command: str) -> None:
        spec = self.library.by_command(command)
        if spec is None:
            raise LookupError(f"no flow is entered by /{command}")
        current = self._current_state(turn)
        if spec.returns and current is not None and current.waits and turn.flow != spec.name:
            # Come back to the question or menu the participant was at, not to an ended flow
            # (and not to the same flow entered again).
            turn.stack.append({"flow": turn.flow, "state": current.name, "single": False})
        elif not spec.returns:
            turn.context["stack"] = []
        self._go(turn, spec.name, None)
        self._settle(turn)

    # Buttons ----------------------------------------------------------------------------

    def _button(self, turn: Turn, state: StateSpec, press: Press | None) -> None:
        if press is None or press.serial != turn.context.get("kb"):
            self._reject(turn, "stale", {}, reshow=state)
            return
        ask = state.ask
        if press.kind == "b":
            self._press_button(turn, state, press.value)
        elif ask is not None and press.kind == "o":
            self._pick_option(turn, state, press.value)
        elif ask is not None and press.kind == "d" and ask.input == "multi":
            self._outcome(turn, state, inputs.finish_picks(turn.context.get("picks") or [], ask))
        elif ask is not None and press.kind == "s" and ask.skip:
            self._accept(turn, state, None)
        else:
            self._reject(turn, "stale", {}, reshow=state)

    def _press_button(self, turn: Turn, state: StateSpec, value: str) -> None:
        flow = self.flows[turn.flow or ""]
        buttons = flow.buttons.get(state.name, ())
        index = int(value) if value.isdigit() else -1
        if not 0 <= index < len(buttons):
            self._reject(turn, "stale", {}, reshow=state)
            return
        if not flow.fire(turn, buttons[index].trigger):
            self._reject(turn, "stale", {}, reshow=state)
            return
        if turn.leaving is None and turn.state == state.name:
            # The button only ran an action: redraw this state where the button was.
            present(turn, flow, state, edit_message_id=self._pressed_message(turn))

    def _pick_option(self, turn: Turn, state: StateSpec, option_id: str) -> None:
        ask = state.ask
        assert ask is not None
        if option_id not in option_labels(turn, ask):
            self._reject(turn, "stale", {}, reshow=state)
            return
        if ask.input != "multi":
            self._accept(turn, state, option_id)
            return
        outcome = inputs.toggle(turn.context.get("picks") or [], option_id, ask)
        if isinstance(outcome, inputs.Rejected):
            self._reject(turn, outcome.code, outcome.params)
            return
        turn.context["picks"] = outcome.value
        present(turn, self.flows[turn.flow or ""], state,
                edit_message_id=self._pressed_message(turn))

    @staticmethod
    def _pressed_message(turn: Turn) -> int | None:
        return turn.event.message_id if turn.event else None

    # Answers ----------------------------------------------------------------------------

    def _typed_answer(self, turn: Turn, state: StateSpec) -> None:
        ask = state.ask
        assert ask is not None and turn.event is not None
        event = turn.event
        if ask.skip and event.kind == "text" and event.text.strip().casefold() == \
                self.renderer.gettext(turn.locale, ask.skip).casefold():
            self._accept(turn, state, None)
            return
        if ask.input == "multi" and event.kind == "text":
            self._reject(turn, "use_buttons", {"input": "multi"}, reshow=state)
            return
        self._outcome(turn, state, inputs.check_typed(ask, event, option_labels(turn, ask)))

    def _outcome(self, turn: Turn, state: StateSpec, outcome: inputs.Outcome) -> None:
        if isinstance(outcome, inputs.Rejected):
            self._reject(turn, outcome.code, outcome.params, reshow=state)
        else:
            self._accept(turn, state, outcome.value)

    def _accept(self, turn: Turn, state: StateSpec, value: Any) -> None:
        ask = state.ask
        assert ask is not None
        spec = self.library.flows[turn.flow or ""]
        if spec.answers_in == "context":
            turn.vars[ask.answer] = value
        else:
            turn.store(ask.answer, value)
        if ask.input == "language" and value:
            turn.user.locale = value
        if ask.input == "contact":
            turn.user.phone = value
            turn.remove_keyboard = True
        turn.context.pop("picks", None)
        for name in state.on_answer:
            self.registry.actions[name](turn)
        if turn.stack and turn.stack[-1].get("single"):
            self._return(turn)
        elif state.next:
            self._fire_next(turn)
        elif turn.stack:
            self._return(turn)

    def _reject(self, turn: Turn, code: str, params: dict[str, Any],
                reshow: StateSpec | None = None) -> None:
        turn.replies.append(Reply(text=turn.render("input_error", error=code, **params)))
        if reshow is not None and turn.flow in self.flows:
            present(turn, self.flows[turn.flow], reshow)

    # Moving between states --------------------------------------------------------------

    def _settle(self, turn: Turn) -> None:
        """Follow states that do not wait for the participant until one does (or the end)."""
        for _ in range(MAX_STEPS):
            if turn.leaving is not None:
                leave, turn.leaving = turn.leaving, None
                self._leave(turn, leave)
                continue
            state = self._current_state(turn)
            if state is None or state.waits:
                break
            if state.next:
                if not self._fire_next(turn):
                    break
            elif turn.stack:
                self._return(turn)
            else:
                break
        else:
            raise RuntimeError(f"{turn.flow}.{turn.state}: more than {MAX_STEPS} steps in a row")
        settle_keyboard(turn)

    def _fire_next(self, turn: Turn) -> bool:
        if self.flows[turn.flow or ""].fire(turn, NEXT):
            return True
        log.error("no arm of 'next:' holds in %s.%s for user %s", turn.flow, turn.state,
                  turn.user.id)
        return False

    def _leave(self, turn: Turn, leave: Leave) -> None:
        target = leave.target
        if leave.call:
            turn.stack.append({"flow": turn.flow, "state": leave.then, "single": leave.single})
        if target.is_return:
            self._return(turn)
        else:
            self._go(turn, target.flow or turn.flow or "", target.state)

    def _return(self, turn: Turn) -> None:
        frame = turn.stack.pop()
        self._go(turn, frame["flow"], frame["state"])

    def _go(self, turn: Turn, flow_name: str, state: str | None,
            values: Mapping[str, Any] | None = None) -> None:
        flow = self.flows.get(flow_name)
        if flow is None:
            log.warning("flow '%s' is gone; user %s starts over", flow_name, turn.user.id)
            flow = self.flows[self.library.by_command(ENTRY_COMMAND).name]  # type: ignore[union-attr]
            state = None
        if flow.spec.name != turn.flow:
            turn.flow = flow.spec.name
            if flow.spec.answers_in == "context" and values is None:
                turn.context["vars"] = {}
        if values is not None:
            turn.context["vars"] = dict(values)
        turn.state = OUTSIDE
        if state is None:
            if not flow.fire(turn, START):
                raise RuntimeError(f"no arm of 'initial:' holds in flow '{flow.spec.name}'")
        else:
            flow.jump(turn, state)

    # Machine hooks ----------------------------------------------------------------------

    def _on_enter(self, event_data: EventData) -> None:
        turn: Turn = event_data.model
        state = self.library.flows[turn.flow or ""].states[event_data.state.name]
        turn.context["kb"] = turn.context.get("kb", 0) + 1
        turn.context.pop("picks", None)
        if state.ask and state.ask.input == "multi":
            stored = (turn.vars if self.library.flows[turn.flow or ""].answers_in == "context"
                      else turn.answers).get(state.ask.answer)
            turn.context["picks"] = list(stored) if isinstance(stored, list) else []
        for name in state.actions:
            self.registry.actions[name](turn)
        present(turn, self.flows[turn.flow or ""], state)

    def _condition_hook(self, expression: str) -> Callable[[EventData], bool]:
        condition: Condition = compile_condition(expression)
        return lambda event_data: condition(event_data.model.variables())

    def _action_hook(self, name: str) -> Callable[[EventData], None]:
        return lambda event_data: self.registry.actions[name](event_data.model)

    def _leave_hook(self, leave: Leave) -> Callable[[EventData], None]:
        def remember(event_data: EventData) -> None:
            event_data.model.leaving = leave

        return remember

    # Failure ----------------------------------------------------------------------------

    def _apology(self, user_id: int) -> Reply:
        locale = self.settings.default_locale
        try:
            user = User.get_or_none(User.id == user_id)
            locale = user.locale if user else locale
            return Reply(text=self.renderer.render("apology", locale, {}))
        except Exception:
            log.exception("the apology for user %s could not be rendered either", user_id)
            return Reply(text="Sorry, something went wrong. Please try again later.")
