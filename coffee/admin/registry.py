"""The actions and variables of flows/admin.yaml, one module per screen, each a thin adapter
from the dialogue's narrow interface (`engine.dialog.api`) to the organizer operations
(`coffee.organizers`): an operation's refusal becomes the organizer's one translated line
(`organizer_error`) and `context.failed`, which the flow uses to ask again."""

from __future__ import annotations

from typing import Any

from coffee.admin.access import access_registry
from coffee.admin.broadcasts import broadcasts_registry
from coffee.admin.desk import FAILED, Desk
from coffee.admin.exports import exports_registry
from coffee.admin.glance import glance_registry
from coffee.admin.notes import notes_registry
from coffee.admin.people import people_registry
from coffee.admin.rounds import rounds_registry
from coffee.admin.settings import settings_registry
from engine.dialog.api import Registry

SCREENS = (glance_registry, people_registry, access_registry, settings_registry,
           broadcasts_registry, rounds_registry, notes_registry, exports_registry)

# Every name an organizer operation's refusal may pass to `organizer_error`.
REFUSAL_NAMES: dict[str, Any] = dict(
    error=str, query=str, person=str, user_id=int, length=int, limit=int, key=str, example=str,
    text=str, who=str, list_name=str, job=str, detail=str, audience=str, note_id=int,
    broadcast_id=int, problem=str, tag=str, expected=str, attribute=str, href=str, entity=str,
    inside=str, state=str, week=object, at=object, helper=str)


def admin_registry(desk: Desk) -> Registry:
    registry = Registry()
    registry.needs.template("organizer_error", **REFUSAL_NAMES)
    registry.needs.flow("admin", "the organizers' actions keep their results in its context",
                        passes=(FAILED, "matches", "more", "person", "broadcast"))
    registry.needs.template("admin_broadcast_report", turn=False, progress=object)
    registry.needs.template("organizers_reply", turn=False, note=str, answer=str)
    registry.needs.template("reply_refused", turn=False, reason=str, preview=bool)
    for refusal in ("blocked", "not_allowed", "registration_closed"):
        registry.needs.template(refusal)
    for screen in SCREENS:
        registry.include(screen(desk))
    return registry
