"""Who may register: the registration mode and the allow and block lists.

A person is admitted at first contact (and at each message until they register) when they
are an organizer, or the mode is `open`, or the mode is `allow-list` and they are on the allow
list. `closed` lets nobody new in, not even people on the allow list: it is the pause, and the
allow list waits for the mode `allow-list`. A registered participant is not affected by a later
change of mode, only by the block list. Blocking someone known bans them
(see `people.ban`); taking them off the block list lets them back.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from peewee import Expression, Select, fn

from coffee.models import AccessEntry, Organizer
from coffee.organizers.actor import Actor, Refused, is_organizer
from coffee.organizers.audit import record
from coffee.organizers.live_settings import ALLOW_LIST, OPEN, Defaults
from engine.store import PreparedSelect, Setting, User, database

ALLOW, BLOCK = "allow", "block"
LISTS = (ALLOW, BLOCK)


@dataclass(frozen=True)
class Who:
    """A list entry's person: a numeric id or a lower-case username (without @)."""

    user_id: int | None = None
    username: str | None = None

    @classmethod
    def parse(cls, text: str) -> Who:
        """`@olena` or `123456`; Refused('bad_person') otherwise."""
        value = text.strip()
        if value.isdigit() and int(value) > 0:
            return cls(user_id=int(value))
        handle = value[1:] if value.startswith("@") else ""
        if 5 <= len(handle) <= 32 and all(ch.isalnum() or ch == "_" for ch in handle) \
                and handle.isascii():
            return cls(username=handle.lower())
        raise Refused("bad_person", text=value, example="@olena_k / 123456789")

    def __str__(self) -> str:
        return f"@{self.username}" if self.username else str(self.user_id)

    def entries(self, list_name: str | None = None) -> Expression:
        match = (AccessEntry.user_id == self.user_id) if self.user_id is not None else (
            AccessEntry.username == self.username)
        return match if list_name is None else match & (AccessEntry.list_name == list_name)

    def users(self) -> list[User]:
        if self.user_id is not None:
            return list(User.select().where(User.id == self.user_id))
        return [user for user in User.select().where(User.username.is_null(False))
                .where(User.username ** self.username) if
                (user.username or "").lower() == self.username]


@dataclass(frozen=True)
class Entry:
    list_name: str
    who: str


def add_entry(actor: Actor, list_name: str, text: str) -> Entry:
    """Put a person on the allow or block list (moving them off the other one). Blocking
    someone known bans them at once; an organizer cannot be blocked."""
    if list_name not in LISTS:
        raise Refused("unknown_list", list_name=list_name)
    who = Who.parse(text)
    users = who.users()
    if list_name == BLOCK:
        for user in users:
            if user.id == actor.user_id or is_organizer(user.id, actor.organizer_ids):
                raise Refused("ban_organizer", person=str(who))
    with database.atomic():
        if AccessEntry.select().where(who.entries(list_name)).exists():
            raise Refused("already_listed", who=str(who), list_name=list_name)
        AccessEntry.delete().where(who.entries()).execute()
        AccessEntry.create(list_name=list_name, user_id=who.user_id, username=who.username,
                           added_by=actor.user_id, created_at=actor.now)
        record(actor, list_name, who, None, list_name)
        for user in users:
            _set_enabled(actor, user, list_name != BLOCK)
    return Entry(list_name, str(who))


def remove_entry(actor: Actor, text: str) -> Entry:
    """Take a person off whichever list holds them; someone blocked is let back."""
    who = Who.parse(text)
    with database.atomic():
        found = AccessEntry.get_or_none(who.entries())
        if found is None:
            raise Refused("not_listed", who=str(who))
        AccessEntry.delete().where(who.entries()).execute()
        record(actor, "unlist", who, found.list_name, None)
        if found.list_name == BLOCK:
            for user in who.users():
                _set_enabled(actor, user, True)
    return Entry(found.list_name, str(who))


def _set_enabled(actor: Actor, user: User, enabled: bool) -> None:
    if user.enabled != enabled:
        User.update(enabled=enabled).where(User.id == user.id).execute()
        record(actor, "unban" if enabled else "ban", user.id, None, None)


def entries(actor: Actor) -> list[Entry]:
    """Both lists, allow first, oldest first."""
    rows = AccessEntry.select().order_by(AccessEntry.list_name, AccessEntry.id)
    return [Entry(row.list_name, f"@{row.username}" if row.username and row.user_id is None
                  else f"@{row.username} ({row.user_id})" if row.username
                  else str(row.user_id)) for row in rows]


class Admission(enum.Enum):
    ADMITTED = "admitted"
    BLOCKED = "blocked"  # on the block list: one polite line
    NOT_ALLOWED = "not_allowed"  # registration by the allow list, and not on it: one line
    CLOSED = "closed"  # registration is closed to everyone new: one polite line


def _entries_of(list_name: str | None) -> Expression:
    """Entries of the person (their id, or their lower-case username if they have one; a NULL
    username matches nothing) on `list_name`, or by username with no id yet when None."""
    if list_name is None:
        return (AccessEntry.username == "") & AccessEntry.user_id.is_null()
    return ((AccessEntry.user_id == 0) | (AccessEntry.username == "")) & (
        AccessEntry.list_name == list_name)


# What admission needs, in one round trip (it runs for every message until someone registers):
# the stored registration mode (NULL when not changed), whether the person is an appointed
# organizer, on the block list, on the allow list, and listed by username without their id yet.
STANDING = PreparedSelect(Setting, Select(columns=[
    Setting.select(Setting.value).where(Setting.key == "registration_mode").alias("mode"),
    fn.EXISTS(Organizer.select(Organizer.user_id).where(Organizer.user_id == 0)),
    fn.EXISTS(AccessEntry.select(AccessEntry.id).where(_entries_of(BLOCK))),
    fn.EXISTS(AccessEntry.select(AccessEntry.id).where(_entries_of(ALLOW))),
    fn.EXISTS(AccessEntry.select(AccessEntry.id).where(_entries_of(None))),
]))


def admission(user_id: int, username: str | None, registered: bool,
              organizer_ids: frozenset[int], defaults: Defaults) -> Admission:
    """May this person go on? Called for each message of someone not registered yet (and
    cheaply answers ADMITTED for everyone else). An entry by username takes the person's id the
    first time they write."""
    if registered:
        return Admission.ADMITTED
    handle = (username or "").lower() or None
    stored_mode, appointed, blocked, allowed, unclaimed = STANDING.values(
        "registration_mode", user_id, user_id, handle, BLOCK, user_id, handle, ALLOW, handle)
    if unclaimed:
        (AccessEntry.update(user_id=user_id)
         .where((AccessEntry.username == handle) & AccessEntry.user_id.is_null()).execute())
    if user_id in organizer_ids or appointed:
        return Admission.ADMITTED
    if blocked:
        return Admission.BLOCKED
    stored_mode = Setting.value.python_value(stored_mode)
    mode = str(stored_mode) if stored_mode is not None else defaults.values["registration_mode"]
    if mode == OPEN or (mode == ALLOW_LIST and allowed):
        return Admission.ADMITTED
    return Admission.NOT_ALLOWED if mode == ALLOW_LIST else Admission.CLOSED
