"""Panel sessions kept on the server: a row per login, checked on every request.

The cookie carries a random token (signed, like every Flask cookie); the database keeps only
its SHA-256, so a copy of the database holds no usable session. A session ends at once at
"Log out", at "Log out everywhere" (every session of that organizer), when the person is no
longer an organizer (or was re-appointed after it began), after IDLE_TIMEOUT without a request
and after LIFETIME in any case; an ended session never comes back. `last_seen_at` is written at
most once a minute, so browsing adds no write per click.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass

from coffee.models import Organizer, PanelSession
from engine.store import database

IDLE_TIMEOUT = dt.timedelta(hours=12)
LIFETIME = dt.timedelta(days=7)
SEEN_PRECISION = dt.timedelta(minutes=1)


class Ending(enum.Enum):
    """Why a session ended."""

    LOGOUT = "logout"
    EVERYWHERE = "everywhere"  # "Log out everywhere", from this or another session
    REVOKED = "revoked"  # no longer an organizer
    IDLE = "idle"
    EXPIRED = "expired"  # LIFETIME passed


@dataclass(frozen=True)
class Checked:
    """A session's state at a request: its organizer while it lasts, or why it ended."""

    user_id: int | None
    ending: Ending | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user_id: int, now: dt.datetime) -> str:
    """A new session for organizer `user_id`; the token for their cookie."""
    token = secrets.token_urlsafe(32)
    PanelSession.create(token_hash=_digest(token), user_id=user_id, created_at=now,
                        last_seen_at=now)
    return token


def check(token: str, organizer_ids: frozenset[int], now: dt.datetime) -> Checked:
    """The organizer of the session `token` now, ending it if it should end."""
    row = PanelSession.get_or_none(PanelSession.token_hash == _digest(token))
    if row is None:
        return Checked(None)
    if row.ended_at is not None:
        return Checked(None, Ending(row.end_reason))
    ending = _due_ending(row, organizer_ids, now)
    if ending is not None:
        _end(PanelSession.id == row.id, ending, now)
        return Checked(None, ending)
    if now - row.last_seen_at >= SEEN_PRECISION:
        PanelSession.update(last_seen_at=now).where(PanelSession.id == row.id).execute()
    return Checked(row.user_id)


def _due_ending(row: PanelSession, organizer_ids: frozenset[int], now: dt.datetime
                ) -> Ending | None:
    if row.user_id not in organizer_ids:
        appointed = Organizer.get_or_none(Organizer.user_id == row.user_id)
        # A session from before a revocation stays ended after a re-appointment.
        if appointed is None or appointed.created_at > row.created_at:
            return Ending.REVOKED
    if now - row.created_at >= LIFETIME:
        return Ending.EXPIRED
    if now - row.last_seen_at >= IDLE_TIMEOUT:
        return Ending.IDLE
    return None


def end_session(token: str, ending: Ending, now: dt.datetime) -> int | None:
    """End the session `token` (if it still lasts); its organizer, or None."""
    row = PanelSession.get_or_none(PanelSession.token_hash == _digest(token))
    if row is None:
        return None
    _end(PanelSession.id == row.id, ending, now)
    return int(row.user_id)


def end_sessions_of(user_id: int, now: dt.datetime) -> int:
    """End every lasting session of organizer `user_id`; how many there were."""
    return _end(PanelSession.user_id == user_id, Ending.EVERYWHERE, now)


def _end(which: object, ending: Ending, now: dt.datetime) -> int:
    with database.atomic():
        return int(PanelSession.update(ended_at=now, end_reason=ending.value)
                   .where(which, PanelSession.ended_at.is_null()).execute())
