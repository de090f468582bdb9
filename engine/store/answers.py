"""Stored profile answers by key: how many participants have one, and deleting those of a
question that was removed from the flows (they are kept until an operator deletes them)."""

from __future__ import annotations

from peewee import fn

from engine.store.models import Answer, User, database


def counts() -> dict[str, int]:
    """How many participants have an answer stored under each key."""
    rows = (Answer.select(Answer.key, fn.COUNT(Answer.id)).group_by(Answer.key)
            .order_by(Answer.key).tuples())
    return {key: count for key, count in rows}


def delete(key: str, *, phone: bool) -> int:
    """Delete every answer stored under `key`; with `phone`, the number a participant shared
    as that answer goes from their user row too. Returns how many answers were deleted."""
    with database.atomic():
        if phone:
            for user_id, value in Answer.select(Answer.user, Answer.value).where(
                    Answer.key == key).tuples():
                User.update(phone=None).where((User.id == user_id) & (User.phone == value)) \
                    .execute()
        return int(Answer.delete().where(Answer.key == key).execute())
