"""Single-use login links for the web panel: issued to an organizer, signed, valid 10 minutes.

A link carries a signed token naming a stored nonce; redeeming it marks the nonce used in the
same statement that checks it, so two tabs racing on one link get one session between them.
Opening the link only shows a button: link previews and prefetchers, which do not press it,
cannot use a link up. Nothing here needs Flask, so the bot can issue links. They are signed
with the panel's key (`coffee.panel.secret`), which is never kept in the database.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from coffee.bot_settings import BotSettings
from coffee.models import PanelLoginLink
from coffee.panel.secret import secret_key
from engine.store import database, utc_now

LINK_LIFETIME = dt.timedelta(minutes=10)
_SALT = "panel-login-link"


class Refusal(enum.Enum):
    """Why a login link opens no session."""

    FORGED = "forged"
    EXPIRED = "expired"
    USED = "used"
    NOT_ORGANIZER = "not_organizer"


@dataclass(frozen=True)
class Redeemed:
    user_id: int | None
    refusal: Refusal | None


class LoginLinks:
    """Issue and redeem login links signed with `key`."""

    def __init__(self, key: str, base_url: str,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt=_SALT)
        self._base_url = base_url.rstrip("/")
        self._clock = clock

    def issue(self, user_id: int) -> str:
        """A new link for `user_id` (the caller has checked they are an organizer)."""
        nonce = secrets.token_urlsafe(24)
        now = self._clock()
        with database.atomic():
            PanelLoginLink.delete().where(PanelLoginLink.created_at < now - dt.timedelta(days=1)
                                          ).execute()
            PanelLoginLink.create(nonce=nonce, user_id=user_id, created_at=now)
        token = self._serializer.dumps({"nonce": nonce, "user": user_id})
        return f"{self._base_url}/login/{token}"

    def check(self, token: str, is_organizer: Callable[[int], bool]) -> Redeemed:
        """Whether the link would open a session now, without using it up."""
        return self._use(token, is_organizer, consume=False)

    def redeem(self, token: str, is_organizer: Callable[[int], bool]) -> Redeemed:
        """Use a link's token once: the organizer it was issued to, or why not."""
        return self._use(token, is_organizer, consume=True)

    def _use(self, token: str, is_organizer: Callable[[int], bool], *, consume: bool
             ) -> Redeemed:
        try:
            claim = self._serializer.loads(token, max_age=int(LINK_LIFETIME.total_seconds()))
            nonce, user_id = str(claim["nonce"]), int(claim["user"])
        except SignatureExpired:
            return Redeemed(None, Refusal.EXPIRED)
        except (BadSignature, KeyError, TypeError, ValueError):
            return Redeemed(None, Refusal.FORGED)
        now = self._clock()
        usable = (PanelLoginLink.nonce == nonce) & (PanelLoginLink.user_id == user_id) & (
            PanelLoginLink.used_at.is_null()) & (PanelLoginLink.created_at > now - LINK_LIFETIME)
        if consume:
            ready = PanelLoginLink.update(used_at=now).where(usable).execute() == 1
        else:
            ready = PanelLoginLink.select().where(usable).exists()
        if not ready:
            known = PanelLoginLink.get_or_none(PanelLoginLink.nonce == nonce)
            return Redeemed(None, Refusal.USED if known and known.used_at else Refusal.EXPIRED)
        if not is_organizer(user_id):
            return Redeemed(None, Refusal.NOT_ORGANIZER)
        return Redeemed(user_id, None)


def issue_login_link(settings: BotSettings, user_id: int) -> str:
    """A fresh login link for `user_id` from the settings' key and public address (the caller
    has checked they are an organizer)."""
    return LoginLinks(secret_key(settings), settings.panel_url).issue(user_id)
