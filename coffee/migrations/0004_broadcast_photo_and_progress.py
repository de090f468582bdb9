"""Broadcasts: a photo (its Telegram file id), the author's progress message and the final
report's time."""

from peewee import BigIntegerField, CharField, TextField

COLUMNS = {
    "photo": CharField(max_length=256, default=""),
    "progress_message_id": BigIntegerField(null=True),
    "reported_at": TextField(null=True),  # an AwareDateTimeField: ISO 8601 text
}


def up(migrator, db):
    # 0003 creates the table from today's model, which has these columns already.
    present = {column.name for column in db.get_columns("broadcast")}
    migrator.migrate(*(migrator.add_column("broadcast", name, field)
                       for name, field in COLUMNS.items() if name not in present))
