"""Participants in /admin: search (a single match opens its card), the card, the organizers'
comment, suspending (after a confirmation, with an optional reason) and lifting it, appointing
and revoking organizers (the person is told, and their command menu follows at once)."""

from __future__ import annotations

from collections.abc import Callable

from coffee import organizers as ops
from coffee.admin.desk import FAILED, Desk
from engine.dialog.api import Conversation, Registry, Reply

PERSON = "person"


def people_registry(desk: Desk) -> Registry:
    registry = Registry()
    registry.needs.template("admin_nothing_found", query=str)
    registry.needs.template("appointed")

    def person(talk: Conversation) -> int:
        return int(talk.flow_values.get(PERSON) or 0)

    @registry.action("find_participants")
    def find_participants(talk: Conversation) -> None:
        """The matches to pick from; exactly one opens its card at once (`context.person`)."""
        values = talk.flow_values
        values[PERSON] = None
        query = str(values.get("query") or "")
        if not query:
            return  # Back
        found = desk.attempt(talk, lambda who: ops.find(who, query))
        matches = found.matches if found is not None else []
        if found is not None and not matches:
            values[FAILED] = True
            talk.say("admin_nothing_found", query=query)
        values["matches"] = {str(match.user_id): match.label for match in matches}
        values["more"] = found.more if found is not None else 0
        if len(matches) == 1 and not values["more"]:
            values[PERSON] = matches[0].user_id

    @registry.variable("matches")
    def matches(talk: Conversation) -> dict[str, str]:
        return dict(talk.flow_values.get("matches") or {})

    @registry.variable("card")
    def card(talk: Conversation) -> ops.Card:
        return ops.card(desk.actor(talk), person(talk))

    @registry.action("save_comment")
    def save_comment(talk: Conversation) -> None:
        text = desk.typed(talk, "comment")
        if text:
            desk.attempt(talk, lambda who: ops.set_comment(who, person(talk), text))

    @registry.action("ban_person")
    def ban_person(talk: Conversation) -> None:
        """Suspend, with the reason typed before the confirmation (if any)."""
        reason = desk.typed(talk, "ban_reason")
        desk.attempt(talk, lambda who: ops.ban(who, person(talk), reason))

    for name, operation in (("clear_comment", ops.clear_comment), ("unban_person", ops.unban)):
        registry.action(name)(_on_person(desk, operation))

    @registry.action("appoint_person")
    def appoint_person(talk: Conversation) -> None:
        """An organizer at once: they are told, and their chat gets the organizer commands."""
        appointed = desk.attempt(talk, lambda who: ops.appoint(who, person(talk)))
        if appointed is not None:
            talk.send_to(appointed.user_id, "appointed", locale=appointed.locale or None)
            talk.send_reply(Reply(chat_id=appointed.user_id, menu=desk.organizer_menu))

    @registry.action("revoke_person")
    def revoke_person(talk: Conversation) -> None:
        """No longer an organizer: their chat's own menu goes, everyone's shows again."""
        desk.attempt(talk, lambda who: ops.revoke(who, person(talk)))
        if not talk.flow_values[FAILED]:
            talk.send_reply(Reply(chat_id=person(talk),
                                  menu=desk.organizer_menu.without_commands()))

    @registry.variable("organizers")
    def organizers(talk: Conversation) -> list[ops.OrganizerRow]:
        return ops.organizers(desk.actor(talk))

    return registry


def _on_person(desk: Desk, operation: Callable[[ops.Actor, int], object],
               ) -> Callable[[Conversation], None]:
    """An action doing `operation` to the participant whose card is shown."""
    def act(talk: Conversation) -> None:
        desk.attempt(talk, lambda who: operation(who, int(talk.flow_values.get(PERSON) or 0)))

    return act
