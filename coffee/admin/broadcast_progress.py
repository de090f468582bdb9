"""A broadcast's progress message, edited in place while the outbox sends it, and the final
report to its author: the outbox's progress hook (`deliver_outbox(on_progress=...)`).

The progress message is the screen the author pressed Send on (whichever state of the flows
has the button running `start_broadcast`); while they stand at it,
it is drawn again with fresh numbers (and its Cancel button) at most every few seconds, so a
large broadcast costs its author a handful of edits, well under Telegram's limits; the edits
go through the same paced sender as the broadcast itself. When the broadcast is done or
cancelled, the author gets one report (once, whichever process sends the last message).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from coffee import organizers as ops
from coffee.admin.desk import Desk
from engine.delivery.outbox import ProgressHook
from engine.dialog.delivery import SendReply
from engine.dialog.events import Reply
from engine.flows.library import FlowLibrary
from engine.store import User, off_loop

SEND_ACTION = "start_broadcast"  # the action of the button whose screen shows the progress
EVERY_SECONDS = 3.0  # an edit at least this often while messages go out...
EVERY_MESSAGES = 100  # ...or after this many messages,
SOONEST_SECONDS = 1.0  # but never two within this (Telegram: about one a second per chat)


def progress_edits(desk: Desk, send: SendReply,
                   clock: Callable[[], float] = time.monotonic) -> ProgressHook:
    """The hook for one delivery run through `send`."""
    return _ProgressEdits(desk, send, clock).tick


class _ProgressEdits:
    def __init__(self, desk: Desk, send: SendReply, clock: Callable[[], float]) -> None:
        self.desk = desk
        self.send = send
        self.clock = clock
        self.last = clock()
        self.messages = 0

    async def tick(self, final: bool) -> None:
        self.messages += not final
        now = self.clock()
        since = now - self.last
        if not (final or since >= EVERY_SECONDS
                or (self.messages >= EVERY_MESSAGES and since >= SOONEST_SECONDS)):
            return
        self.last, self.messages = now, 0
        actor = ops.operator(self.desk.organizer_ids)
        for progress in await off_loop(partial(ops.broadcasts_in_flight, actor)):
            await self._show(actor, progress)

    async def _show(self, actor: ops.Actor, progress: ops.Progress) -> None:
        engine = self.desk.engine
        screen = progress_screen(engine.library) if engine is not None else None
        if progress.message_id is not None and engine is not None and screen is not None:
            redrawn = partial(engine.redraw, progress.author, progress.message_id, *screen,
                              {"broadcast": progress.broadcast_id})
            for reply in await off_loop(redrawn):
                await self.send(progress.author, reply)
        if progress.finished:
            report = await off_loop(partial(self._report, actor, progress))
            if report is not None:
                await self.send(progress.author, report)

    def _report(self, actor: ops.Actor, progress: ops.Progress) -> Reply | None:
        """The final report, once per broadcast (whichever process claims it)."""
        if not ops.claim_report(actor, progress.broadcast_id):
            return None
        author = User.get_or_none(User.id == progress.author)
        locale = author.locale if author else self.desk.renderer.default_locale
        return Reply(text=self.desk.renderer.render("admin_broadcast_report", locale,
                                                    {"progress": progress}))


def progress_screen(library: FlowLibrary) -> tuple[str, str] | None:
    """(flow, state) of the screen with the button that starts a broadcast."""
    for name, spec in library.flows.items():
        for state in spec.states.values():
            if any(button.action == SEND_ACTION for button in state.buttons):
                return name, state.name
    return None
