"""The Random Coffee application's Peewee models: rounds, participations, meetings and their
feedback, the weekly jobs' runs, and the organizers' tables (appointed organizers, audit log,
access lists, notes, broadcasts, panel login links), with the migrations of their history.

The tables keep the names they had when every model lived in the engine, so databases made
before the application had a schema of its own open unchanged.
"""

from __future__ import annotations

from pathlib import Path

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    JSONField,
    TextField,
)

from engine.store import ENGINE_SCHEMA, AwareDateTimeField, BaseModel, Schema, User, utc_now


class OrganizerNote(BaseModel):
    """A free-text note a participant sent to the organizers with /feedback."""

    user = ForeignKeyField(User, on_delete="CASCADE", backref="notes")
    text = TextField()
    created_at = AwareDateTimeField(default=utc_now)


class Round(BaseModel):
    """One week's meeting cycle, named by the Monday of the week the meetings happen.

    planned (someone skipped it early) -> open (invitations sent) -> matched (pairs made,
    answers frozen) -> closed (feedback asked).
    """

    week = DateField(unique=True)
    status = CharField(max_length=16, default="planned")
    # Jobs whose window passed before they could run ("invite", "match"…), for organizers.
    missed = CharField(max_length=64, default="")
    created_at = AwareDateTimeField(default=utc_now)


class Participation(BaseModel):
    """A participant's place in one round: invited (no answer yet), yes, no (with an optional
    reason) or skip ("Skip the meeting this week")."""

    round = ForeignKeyField(Round, on_delete="CASCADE", backref="participations")
    user = ForeignKeyField(User, on_delete="CASCADE", backref="participations")
    status = CharField(max_length=8)
    reason = CharField(max_length=32, null=True)
    updated_at = AwareDateTimeField(default=utc_now)

    class Meta:
        # the second: a round's answers are counted from the index alone (the rounds list)
        indexes = ((("round", "user"), True), (("round", "status", "reason"), False))


class Meeting(BaseModel):
    """A pair (or the one trio) put together in a round."""

    round = ForeignKeyField(Round, on_delete="CASCADE", backref="meetings")
    created_at = AwareDateTimeField(default=utc_now)


class MeetingMember(BaseModel):
    """One member of a meeting, and which of the round's messages they have been queued."""

    meeting = ForeignKeyField(Meeting, on_delete="CASCADE", backref="members")
    user = ForeignKeyField(User, on_delete="CASCADE", backref="memberships")
    introduced_at = AwareDateTimeField(null=True)
    feedback_asked_at = AwareDateTimeField(null=True)
    # Set when the member cannot meet after all (blocked the bot, or said so in the profile):
    # their partners are told and the survey skips them. `left_reason`: blocked, cancelled.
    left_at = AwareDateTimeField(null=True)
    left_reason = CharField(max_length=16, null=True)

    class Meta:
        indexes = ((("meeting", "user"), True),)


class MeetingFeedback(BaseModel):
    """What one member said about one meeting, saved answer by answer."""

    meeting = ForeignKeyField(Meeting, on_delete="CASCADE", backref="feedback")
    user = ForeignKeyField(User, on_delete="CASCADE", backref="feedback")
    happened = BooleanField(null=True)
    rating = IntegerField(null=True)
    reason = CharField(max_length=32, null=True)
    comment = TextField(default="")
    updated_at = AwareDateTimeField(default=utc_now)

    class Meta:
        # the second: a round's answers and ratings are counted from the index alone
        indexes = ((("meeting", "user"), True),
                   (("meeting", "happened", "rating", "reason"), False))


class JobRun(BaseModel):
    """One job (invite, match, feedback) for one round: claimed once, finished once.

    `alive_at` is the claim's last sign of life: a run that stopped beating (a crash) may be
    taken over after a lease.
    """

    round = ForeignKeyField(Round, on_delete="CASCADE", backref="jobs")
    job = CharField(max_length=16)
    started_at = AwareDateTimeField(default=utc_now)
    alive_at = AwareDateTimeField(default=utc_now)
    claimed_by = CharField(max_length=128, null=True)  # the process running it
    finished_at = AwareDateTimeField(null=True)
    summary = TextField(default="")

    class Meta:
        indexes = ((("round", "job"), True),)


class Organizer(BaseModel):
    """An organizer appointed by another organizer (those in ORGANIZER_IDS are not stored).

    `user_id` is not a foreign key, like the audit log's ids: the appointment outlives nothing
    it points to.
    """

    user_id = BigIntegerField(primary_key=True)
    appointed_by = BigIntegerField()
    created_at = AwareDateTimeField(default=utc_now)


class AuditEntry(BaseModel):
    """One change an organizer made: who, what, to whom or what, the value before and after."""

    actor = BigIntegerField()
    action = CharField(max_length=32)
    target = CharField(max_length=128, default="")
    old = JSONField(null=True)
    new = JSONField(null=True)
    created_at = AwareDateTimeField(default=utc_now, index=True)


class AccessEntry(BaseModel):
    """An allow-list or block-list entry, by numeric id or by @username (lower case, without
    the @); an entry by username gets the id of the person the first time they write."""

    list_name = CharField(max_length=8)  # allow | block
    user_id = BigIntegerField(null=True, index=True)
    username = CharField(max_length=64, null=True, index=True)
    added_by = BigIntegerField()
    created_at = AwareDateTimeField(default=utc_now)


class NoteRead(BaseModel):
    """When an organizer note was first read in the inbox."""

    note = ForeignKeyField(OrganizerNote, primary_key=True, on_delete="CASCADE")
    read_by = BigIntegerField()
    read_at = AwareDateTimeField(default=utc_now)


class Broadcast(BaseModel):
    """A news message to an audience: draft -> sending -> done | cancelled.

    Each recipient's copy is an outbox row keyed `broadcast:<id>:<user>`, so a rerun after a
    crash queues nobody twice. With `photo` (a Telegram file id) the text is its caption.
    `progress_message_id` is the author's message that shows the progress while it goes out;
    `reported_at` says the author got the final report.
    """

    author = BigIntegerField()
    text = TextField()
    audience = CharField(max_length=32)  # all | round | locale:<code> | organizers
    status = CharField(max_length=16, default="draft")
    total = IntegerField(default=0)
    created_at = AwareDateTimeField(default=utc_now)
    started_at = AwareDateTimeField(null=True)
    finished_at = AwareDateTimeField(null=True)
    photo = CharField(max_length=256, default="")
    progress_message_id = BigIntegerField(null=True)
    reported_at = AwareDateTimeField(null=True)


class PanelLoginLink(BaseModel):
    """A web panel login link issued to an organizer: usable once, within minutes of `created_at`.

    `user_id` is not a foreign key: an organizer named in ORGANIZER_IDS may never have written to
    the bot.
    """

    nonce = CharField(max_length=64, unique=True)
    user_id = BigIntegerField()
    created_at = AwareDateTimeField(default=utc_now, index=True)
    used_at = AwareDateTimeField(null=True)


class PanelSession(BaseModel):
    """A web panel login, checked on every request until it ends (logout, revocation, "log out
    everywhere", idle or absolute lifetime: `end_reason`). The cookie holds a random token; this
    row only its SHA-256, so a copy of the database opens no session."""

    token_hash = CharField(max_length=64, unique=True)
    user_id = BigIntegerField(index=True)
    created_at = AwareDateTimeField(default=utc_now)
    last_seen_at = AwareDateTimeField(default=utc_now)
    ended_at = AwareDateTimeField(null=True)
    end_reason = CharField(max_length=16, null=True)


COFFEE_MODELS: tuple[type[BaseModel], ...] = (
    OrganizerNote, Round, Participation, Meeting, MeetingMember, MeetingFeedback, JobRun,
    Organizer, AuditEntry, AccessEntry, NoteRead, Broadcast, PanelLoginLink, PanelSession,
)
# The migrations before the split changed the engine's tables too (the outbox, the record of
# updates): they are this application's databases' history, so they stay in its folder, under
# the history table they were recorded in.
SCHEMA = Schema("coffee", COFFEE_MODELS, Path(__file__).parent / "migrations",
                history_table="schema_migration")
SCHEMAS = (ENGINE_SCHEMA, SCHEMA)  # what a Random Coffee database holds, in creation order
