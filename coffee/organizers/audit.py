"""The audit log: one row per change an organizer makes, written in the change's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coffee.models import AuditEntry
from coffee.organizers.actor import Actor


def record(actor: Actor, action: str, target: object = "", old: Any = None,
           new: Any = None) -> AuditEntry:
    """Note `actor` changing `target` from `old` to `new` (call inside the change's
    transaction)."""
    return AuditEntry.create(actor=actor.user_id, action=action, target=str(target)[:128],
                             old=old, new=new, created_at=actor.now)


# The web panel's logins and logouts: who used it, and when.
PANEL_ACCESS = ("panel_login", "panel_logout", "panel_logout_everywhere")


def note_panel_access(actor: Actor, action: str, sessions: int = 1) -> None:
    """`actor` logged in to the web panel, out of it, or out of all their `sessions` at once."""
    if action not in PANEL_ACCESS:
        raise ValueError(f"not a panel access action: {action}")
    record(actor, action, actor.user_id, None, sessions)


@dataclass(frozen=True)
class AuditLine:
    actor: int
    action: str
    target: str
    old: Any
    new: Any
    at: str

    def line(self) -> str:
        return f"{self.at} {self.actor} {self.action} {self.target}: {self.old!r} -> {self.new!r}"


def audit_log(actor: Actor, limit: int = 50, target: str | None = None) -> list[AuditLine]:
    """The latest changes, newest first; with `target`, only the changes to it (a
    participant's Telegram id, a setting's key)."""
    rows = AuditEntry.select().order_by(AuditEntry.id.desc()).limit(limit)
    if target is not None:
        rows = rows.where(AuditEntry.target == target)
    return [AuditLine(row.actor, row.action, row.target, row.old, row.new,
                      row.created_at.isoformat(timespec="minutes")) for row in rows]
