"""Replies in flight get a table of their own (they were outbox rows of the kind `turn`)."""

from engine.store import TurnReply


def up(migrator, db):
    db.create_tables([TurnReply], safe=True)
