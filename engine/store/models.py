"""The engine's own Peewee models: participants, their dialogue state and answers, the outbox,
the record of updates and stored settings. An application adds its own models on `BaseModel`
and registers them with a `Schema` (engine.store.schema)."""

from __future__ import annotations

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    JSONField,
    Model,
    TextField,
)

from engine.store.fields import AwareDateTimeField, utc_now

database = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
        only_save_dirty = True  # a message that changes nothing about the user writes nothing


class User(BaseModel):
    """A participant, keyed by their Telegram id."""

    id = BigIntegerField(primary_key=True)
    first_name = CharField(max_length=256, default="")
    last_name = CharField(max_length=256, default="")
    username = CharField(max_length=64, null=True)
    language_code = CharField(max_length=16, null=True)
    locale = CharField(max_length=16)
    phone = CharField(max_length=32, null=True)
    registered = BooleanField(default=False)
    enabled = BooleanField(default=True)
    reachable = BooleanField(default=True)
    comment = TextField(default="")
    created_at = AwareDateTimeField(default=utc_now)

    @classmethod
    def mark_unreachable(cls, user_id: int) -> None:
        """The participant blocked the bot: skip them until they write again."""
        cls.update(reachable=False).where(cls.id == user_id).execute()


class DialogState(BaseModel):
    """Where a participant stands in the dialogue; created in the same transaction as the user."""

    user = ForeignKeyField(User, primary_key=True, on_delete="CASCADE", backref="dialog")
    flow = CharField(max_length=64, null=True)
    state = CharField(max_length=128, null=True)
    context = JSONField(default=dict)
    updated_at = AwareDateTimeField(default=utc_now)


class Answer(BaseModel):
    """One answer to a question declared in YAML: any key, a JSON value, no migration needed."""

    user = ForeignKeyField(User, on_delete="CASCADE", backref="answers")
    key = CharField(max_length=64)
    value = JSONField(null=True)
    updated_at = AwareDateTimeField(default=utc_now)

    class Meta:
        indexes = ((("user", "key"), True),)


class Outbox(BaseModel):
    """One message to deliver, written before it is sent; `key` makes every send happen once.

    pending -> sending (claimed at `claimed_at` by `claimed_by`) -> sent | unreachable |
    expired | refused (Telegram will never take it; `error` says why); a send that failed for
    now goes back to pending for a later try.
    """

    key = CharField(max_length=128, unique=True)
    user = ForeignKeyField(User, on_delete="CASCADE", backref="outbox")
    kind = CharField(max_length=32)
    payload = JSONField()
    status = CharField(max_length=16, default="pending", index=True)
    attempts = IntegerField(default=0)
    error = TextField(default="")
    created_at = AwareDateTimeField(default=utc_now)
    expires_at = AwareDateTimeField(null=True)
    claimed_at = AwareDateTimeField(null=True)
    claimed_by = CharField(max_length=128, null=True)
    sent_at = AwareDateTimeField(null=True)


class TurnReply(BaseModel):
    """A turn's reply between the turn's commit and Telegram's answer (engine.delivery.replies):
    written with the change, deleted once Telegram took it. One left behind (its process died,
    Telegram did not answer) moves to the outbox under `key` and is delivered from there.

    Only replies in flight live here, a handful of rows, so the table has no index but its
    primary key: a reply costs one small write and one delete, not the outbox's table and three
    indexes and an update."""

    key = CharField(max_length=128)  # its outbox key, should it move there
    user_id = BigIntegerField()
    payload = TextField()  # the Reply as JSON
    created_at = AwareDateTimeField()
    holder = CharField(max_length=128)  # the process sending it (engine.delivery.owner)


class HandledUpdate(BaseModel):
    """A Telegram update that has taken effect (see `engine.store.updates`)."""

    update_id = BigIntegerField(primary_key=True)
    handled_at = AwareDateTimeField(index=True)


class ReceivedUpdate(BaseModel):
    """A participant's update a webhook worker took from Telegram and has not handled yet
    (PostgreSQL: see `engine.store.participants`)."""

    update_id = BigIntegerField(primary_key=True)
    user_id = BigIntegerField(index=True)
    payload = JSONField()
    received_at = AwareDateTimeField(default=utc_now)


class Setting(BaseModel):
    """A setting an organizer changed from the bot or the panel; it wins over the environment."""

    key = CharField(max_length=64, primary_key=True)
    value = JSONField(null=True)


ENGINE_MODELS: tuple[type[BaseModel], ...] = (
    User, DialogState, Answer, Outbox, Setting, HandledUpdate, ReceivedUpdate, TurnReply,
)
