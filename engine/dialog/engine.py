"""The dialogue core: an Event in, a list of Replies out, state loaded and saved around it.

The work is split by job: `session` loads and saves the participant, `answers` interprets what
they sent, `navigator` moves them between states and flows; the engine routes an event to them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from peewee import Database

from engine.dialog.answers import Answers
from engine.dialog.api import Registry
from engine.dialog.events import Event, Reply
from engine.dialog.gate import Gate, OrganizerIdsGate
from engine.dialog.navigator import Navigator
from engine.dialog.present import present
from engine.dialog.session import Sessions
from engine.dialog.turn import Tools, Turn
from engine.flows.conditions import compile_condition
from engine.flows.library import FlowLibrary
from engine.flows.machine import OUTSIDE
from engine.flows.spec import FlowSpec
from engine.render.templates import Renderer
from engine.store import User, first_handling, outage, utc_now

log = logging.getLogger(__name__)

ENTRY_COMMAND = "start"
# Told a turn's replies inside the turn's transaction (`ConversationEngine.handle`).
KeepReplies = Callable[[list[Reply]], None]


@dataclass(frozen=True)
class DialogSettings:
    """The few settings the dialogue itself needs."""

    default_locale: str  # for participants whose language has no catalog
    organizer_ids: frozenset[int] = frozenset()
    development: bool = False
    clock: Callable[[], dt.datetime] = field(default=utc_now)
    gate: Gate | None = None  # by default OrganizerIdsGate(organizer_ids)


@dataclass(frozen=True)
class _Parts:
    """What an engine builds from one version of the flows, texts and actions."""

    library: FlowLibrary
    renderer: Renderer
    registry: Registry
    sessions: Sessions
    navigator: Navigator
    answers: Answers


class ConversationEngine:
    """Runs every flow of a bot for any number of participants; holds no participant in memory."""

    def __init__(self, library: FlowLibrary, renderer: Renderer, registry: Registry,
                 database: Database, settings: DialogSettings) -> None:
        self.database = database
        self.settings = settings
        self.gate: Gate = settings.gate or OrganizerIdsGate(settings.organizer_ids)
        self._parts = self._parts_for(library, renderer, registry)

    def reload(self, library: FlowLibrary, renderer: Renderer, registry: Registry) -> None:
        """Serve these flows, texts and actions from the next event on (`runner.py reload`):
        everything built from them is replaced in one assignment, so whoever holds this engine
        (the transport, the weekly jobs) serves the new version without being told."""
        self._parts = self._parts_for(library, renderer, registry)

    def _parts_for(self, library: FlowLibrary, renderer: Renderer,
                   registry: Registry) -> _Parts:
        tools = Tools(library, renderer, registry, lru_cache(maxsize=None)(compile_condition),
                      self.settings.default_locale, self.settings.organizer_ids, self.start_flow,
                      self.gate.is_organizer)
        navigator = Navigator(library, ENTRY_COMMAND)
        return _Parts(library, renderer, registry, Sessions(tools, self.database,
                                                            self.settings.clock),
                      navigator, Answers(navigator))

    @property
    def library(self) -> FlowLibrary:
        return self._parts.library

    @property
    def renderer(self) -> Renderer:
        return self._parts.renderer

    @property
    def registry(self) -> Registry:
        return self._parts.registry

    @property
    def sessions(self) -> Sessions:
        return self._parts.sessions

    @property
    def navigator(self) -> Navigator:
        return self._parts.navigator

    @property
    def answers(self) -> Answers:
        return self._parts.answers

    def handle(self, event: Event, keep: KeepReplies | None = None) -> list[Reply]:
        """Everything the participant (and maybe the organizers) should see after `event`;
        nothing for an update that has taken effect before (Telegram resends updates).
        `keep`, if given, is told the replies inside the transaction of the change, when the
        event takes effect (the transport records them there, so that none is lost to a crash
        after the commit); an apology is never kept: the change it follows was rolled back.

        A lost database connection propagates (nothing was saved): the caller replaces it and
        tries again (`engine.store.outage.with_reconnect`); any other failure is an apology
        (a write refused for want of disk space too, noted once per outage)."""
        try:
            with self.database.atomic():
                if event.update_id is not None and not first_handling(
                        event.update_id, self.settings.clock()):
                    log.info("update %s was handled before: ignored", event.update_id)
                    return []
                turn = self.sessions.load(event)
                self._dispatch(turn)
                self.sessions.save(turn)
                if keep is not None:
                    keep(turn.replies)
            return turn.replies
        except Exception as error:
            if outage.connection_lost(error):
                raise
            if not outage.noted(error):  # (a full disk is said once in the log, not per turn)
                log.exception("update %s from user %s failed", event.update_id, event.user_id)
            return [self._apology(event.user_id)]

    def start_flow(self, user_id: int, flow: str, values: Mapping[str, Any] | None = None,
                   state: str | None = None) -> list[Reply]:
        """Put a participant into `flow` (a job's invitation, say) and return what to send.

        Runs inside the caller's transaction; errors propagate to the job that called it.
        """
        with self.database.atomic():
            turn = self.sessions.load_user(user_id)
            turn.context.stack = []
            self.navigator.go(turn, flow, state, values=values)
            self.navigator.settle(turn)
            self.sessions.save(turn)
        return turn.replies

    def redraw(self, user_id: int, message_id: int, flow: str, state: str,
               values: Mapping[str, Any]) -> list[Reply]:
        """The screen a participant stands at drawn again in place of their message
        `message_id`, with fresh variables (a progress screen), if they still stand at
        `flow`.`state` with these flow `values`; nothing otherwise, nor when it would show
        what it shows already. Only what the message shows is stored."""
        with self.database.atomic():
            turn = self.sessions.load_user(user_id)
            spec = self.navigator.current_state(turn)
            if spec is None or (turn.flow, turn.state) != (flow, state) or any(
                    turn.flow_values.get(key) != value for key, value in values.items()):
                return []
            present(turn, self.navigator.flow_of(turn), spec, edit_message_id=message_id)
            self.sessions.save(turn)  # what the message shows now (nothing else changed)
        return turn.replies

    def draw(self, user_id: int, flow: str | None = None, state: str | None = None,
             values: Mapping[str, Any] | None = None) -> list[Reply]:
        """A screen as the participant would see it, running no action and storing nothing: by
        default the one they stand at, with the buttons they have (a console coming back to
        the chat); or `flow`.`state` with the flow's `values` (a preview). Nothing for an
        unknown participant or one outside any flow."""
        with self.database.atomic():
            if not User.select().where(User.id == user_id).exists():
                return []
            turn = self.sessions.load_user(user_id)
            if flow is not None:
                turn.flow, turn.state = flow, state or OUTSIDE
                turn.set_flow_values(values or {})
            spec = self.navigator.current_state(turn)
            if spec is None:
                return []
            turn.context.keyboard -= 1  # drawn again, not anew: the buttons keep their serial
            present(turn, self.navigator.flow_of(turn), spec)
        return turn.replies

    def show_again(self, user_id: int) -> list[Reply]:
        """For replies that were not sent in time (the bot was offline): one line saying so
        (`back_online`), then the screen the participant stands at, with the buttons they have
        (nothing more when they stand outside any flow). Nothing for an unknown participant."""
        with self.database.atomic():
            user = User.get_or_none(User.id == user_id)
            if user is None:
                return []
            line = Reply(text=self.renderer.render("back_online", user.locale, {}))
            return [line, *self.draw(user_id)]

    def _dispatch(self, turn: Turn) -> None:
        event = turn.event
        assert event is not None
        if not turn.user.enabled:
            turn.say("disabled")
            return
        refusal = self.gate.refusal(turn.user.id, turn.user.username, turn.user.registered)
        if refusal is not None:
            turn.say(refusal)
            return
        if not self._may_stay(turn) and event.kind == "button":
            self.answers.reject(turn, "not_for_you", {})
            return
        if event.kind == "command":
            self._command(turn, event.command)
            return
        state = self.navigator.current_state(turn)
        if state is None:
            if turn.flow is not None and turn.state != OUTSIDE:
                # The flows were edited and reloaded under the participant's feet.
                turn.say("input_error", error="gone")
            self._enter_command_flow(turn, ENTRY_COMMAND)
            return
        self.answers.take(turn, state)
        self.navigator.settle(turn)

    def _command(self, turn: Turn, command: str) -> None:
        spec = self.library.by_command(command)
        if spec is None or not self._may_enter(turn, spec):
            commands = sorted(s.command for s in self.library.flows.values()
                              if s.command and self._may_enter(turn, s))
            known = ", ".join(f"/{name}" for name in commands)
            self.answers.reject(turn, "unknown_command", {"command": command, "known": known},
                                reshow=self.navigator.current_state(turn))
            return
        current = self.navigator.current_state(turn)
        if spec.name == turn.flow and current is not None and not turn.user.registered \
                and current.name in spec.questions:
            # /start in the middle of the questionnaire: carry on, do not start over.
            self.answers.reject(turn, "resume", {}, reshow=current)
            return
        self._enter_command_flow(turn, command)

    def _may_stay(self, turn: Turn) -> bool:
        """Someone who is not an organizer (any more) and stands in an organizer flow is put
        outside it; their buttons there are refused."""
        spec = self.library.flows.get(turn.flow or "")
        if spec is None or self._may_enter(turn, spec):
            return True
        turn.flow, turn.state, turn.context.stack = None, OUTSIDE, []
        return False

    def _may_enter(self, turn: Turn, spec: FlowSpec) -> bool:
        return spec.access == "everyone" or turn.is_organizer or self.settings.development

    def _enter_command_flow(self, turn: Turn, command: str) -> None:
        spec = self.library.by_command(command)
        if spec is None:
            raise LookupError(f"no flow is entered by /{command}")
        self.navigator.enter_command(turn, spec)

    def _apology(self, user_id: int) -> Reply:
        locale = self.settings.default_locale
        try:
            user = User.get_or_none(User.id == user_id)
            locale = user.locale if user else locale
            return Reply(text=self.renderer.render("apology", locale, {}))
        except Exception:
            log.exception("the apology for user %s could not be rendered either", user_id)
            return Reply(text="Sorry, something went wrong. Please try again later.")
