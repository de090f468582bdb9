"""Exports in /admin: the participants and the meetings as CSV files in the organizer's
words, the same files the web panel offers (`coffee.organizers.exports`)."""

from __future__ import annotations

from collections.abc import Callable

from coffee import organizers as ops
from coffee.admin.desk import Desk
from engine.dialog.api import Attachment, Conversation, Registry
from engine.store import apart

Exporter = Callable[[ops.Actor, ops.Words, str], ops.Export]


def exports_registry(desk: Desk) -> Registry:
    registry = Registry()
    exports: dict[str, Exporter] = {
        "participants": lambda who, words, community: ops.participants_export(
            who, words, community, desk.schedule().zone),
        "meetings": ops.meetings_export,
    }
    for name, export in exports.items():
        registry.action(f"export_{name}")(_exporter(desk, export))
    return registry


def _exporter(desk: Desk, export: Exporter) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        words = desk.words(talk)
        community = ops.effective("community_name", desk.defaults)
        # (every participant read and written out: seconds, which no chat waits for)
        made = desk.attempt(talk, lambda who: apart(lambda: export(who, words, community)))
        if made is not None:
            talk.send_file(Attachment(made.file_name, made.data()))

    return act
