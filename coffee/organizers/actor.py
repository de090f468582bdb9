"""Who is acting: an organizer (ORGANIZER_IDS or appointed) or the operator at the command line,
and the refusal every operation raises on bad input."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from coffee.models import Organizer
from engine.store import utc_now

OPERATOR = 0  # the audit log's actor for changes made with `runner.py access`


class Refused(Exception):
    """An operation refused its input. `code` names the reason (each face translates it),
    `params` fill the message; nothing was changed."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code if not params else f"{code}: {params}")
        self.code = code
        self.params = params


def is_organizer(user_id: int, organizer_ids: frozenset[int]) -> bool:
    """ORGANIZER_IDS, or appointed by an organizer and not revoked."""
    if user_id in organizer_ids:
        return True
    return Organizer.select().where(Organizer.user_id == user_id).exists()


@dataclass(frozen=True)
class Actor:
    """An organizer acting now; every operation takes one (`act_as` checks the person)."""

    user_id: int
    organizer_ids: frozenset[int]
    now: dt.datetime = field(default_factory=utc_now)

    @property
    def is_operator(self) -> bool:
        return self.user_id == OPERATOR


def act_as(user_id: int, organizer_ids: frozenset[int], now: dt.datetime | None = None) -> Actor:
    """The organizer `user_id`, or Refused('not_organizer')."""
    if not is_organizer(user_id, organizer_ids):
        raise Refused("not_organizer")
    return Actor(user_id, organizer_ids, now or utc_now())


def operator(organizer_ids: frozenset[int], now: dt.datetime | None = None) -> Actor:
    """The operator at the command line (trusted: they hold the server)."""
    return Actor(OPERATOR, organizer_ids, now or utc_now())
