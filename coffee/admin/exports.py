"""Exports in /admin: the participants and the meetings as CSV files in the organizer's
words."""

from __future__ import annotations

from collections.abc import Callable

from coffee import organizers as ops
from coffee.admin.desk import Desk
from engine.dialog.api import Attachment, Conversation, Registry

CsvExport = Callable[[ops.Actor, ops.Words], bytes]


def exports_registry(desk: Desk) -> Registry:
    registry = Registry()
    for name, export in (("participants", ops.participants_csv),
                         ("meetings", ops.meetings_csv)):
        registry.action(f"export_{name}")(_exporter(desk, name, export))
    return registry


def _exporter(desk: Desk, name: str, export: CsvExport) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        words = desk.words(talk)
        data = desk.attempt(talk, lambda who: export(who, words))
        if data is not None:
            talk.send_file(Attachment(f"{name}-{talk.now:%Y-%m-%d}.csv", data))

    return act
