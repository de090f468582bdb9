"""An event kept until it is handled (a worker records it before acknowledging its update)
comes back as it was."""

from __future__ import annotations

import json
from dataclasses import asdict, fields

import pytest

from engine.dialog.events import Contact, Event, Sender

SENDER = Sender("Ann", "Lee", "ann", "uk")


@pytest.mark.parametrize("event", [
    Event.message(7, "/start ref42", sender=SENDER, update_id=1001),
    Event.press(7, "kb3:pick:books", message_id=55, sender=SENDER, update_id=1002),
    Event(7, "contact", contact=Contact("+380501234567", "Ann", "", 7), update_id=1003),
    Event(7, "photo", text="me", photo="AgAC-file", sender=Sender(), update_id=1004),
    Event(7, "unsupported", what="sticker"),
], ids=["command", "press", "contact", "photo", "sticker"])
def test_an_event_round_trips_through_json(event: Event) -> None:
    assert Event.from_json(json.loads(json.dumps(event.to_json()))) == event


def test_an_event_is_kept_with_every_field() -> None:
    """`to_json` is written field by field (for speed): a field added to an event or to what it
    holds must be kept too."""
    full = Event(7, "contact", text="t", data="d", command="c",
                 contact=Contact("+380501234567", "Ann", "Lee", 7), message_id=5,
                 sender=SENDER, update_id=1005, what="w", photo="p")
    assert all(getattr(full, field.name) not in ("", None) for field in fields(Event))
    assert full.to_json() == asdict(full)
