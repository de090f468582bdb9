"""Delivery guarantees: handled updates, who holds a claim, members who left, missed jobs."""

from peewee import BigIntegerField, CharField, Model, TextField


def up(migrator, db):
    class HandledUpdate(Model):
        update_id = BigIntegerField(primary_key=True)
        handled_at = TextField(index=True)

        class Meta:
            database = db
            table_name = "handled_update"

    db.create_tables([HandledUpdate])
    migrator.migrate(
        migrator.add_column("outbox", "claimed_by", CharField(max_length=128, null=True)),
        migrator.add_column("job_run", "claimed_by", CharField(max_length=128, null=True)),
        migrator.add_column("meeting_member", "left_at", TextField(null=True)),
        migrator.add_column("meeting_member", "left_reason", CharField(max_length=16, null=True)),
        migrator.add_column("round", "missed", CharField(max_length=64, default="")),
    )
