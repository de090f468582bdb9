"""Single-use login links for the web panel: issued to an organizer, signed, valid 10 minutes.

A link carries a signed token naming a stored nonce; redeeming it marks the nonce used in the
same statement that checks it, so two tabs racing on one link get one session between them.
The signing key is ADMIN_SECRET_KEY, or one generated at the first need and kept in the
`setting` table, so links and sessions survive restarts and are shared by every process.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from peewee import IntegrityError

from engine.store import PanelLoginLink, Setting, database, utc_now

LINK_LIFETIME = dt.timedelta(minutes=10)
SECRET_SETTING = "panel.secret_key"
_SALT = "panel-login-link"


def secret_key(configured: str | None) -> str:
    """ADMIN_SECRET_KEY when set, otherwise the generated key stored in the database."""
    if configured:
        return configured
    stored = Setting.get_or_none(Setting.key == SECRET_SETTING)
    if stored is not None and stored.value:
        return str(stored.value)
    try:
        with database.atomic():
            Setting.create(key=SECRET_SETTING, value=secrets.token_urlsafe(48))
    except IntegrityError:
        pass  # another process generated it first: use theirs
    return str(Setting.get(Setting.key == SECRET_SETTING).value)


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

    def redeem(self, token: str, is_organizer: Callable[[int], bool]) -> Redeemed:
        """Use a link's token once: the organizer it was issued to, or why not."""
        try:
            claim = self._serializer.loads(token, max_age=int(LINK_LIFETIME.total_seconds()))
            nonce, user_id = str(claim["nonce"]), int(claim["user"])
        except SignatureExpired:
            return Redeemed(None, Refusal.EXPIRED)
        except (BadSignature, KeyError, TypeError, ValueError):
            return Redeemed(None, Refusal.FORGED)
        now = self._clock()
        claimed = (PanelLoginLink.update(used_at=now)
                   .where(PanelLoginLink.nonce == nonce, PanelLoginLink.user_id == user_id,
                          PanelLoginLink.used_at.is_null(),
                          PanelLoginLink.created_at > now - LINK_LIFETIME)
                   .execute())
        if claimed != 1:
            known = PanelLoginLink.get_or_none(PanelLoginLink.nonce == nonce)
            return Redeemed(None, Refusal.USED if known and known.used_at else Refusal.EXPIRED)
        if not is_organizer(user_id):
            return Redeemed(None, Refusal.NOT_ORGANIZER)
        return Redeemed(user_id, None)
