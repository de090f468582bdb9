"""The organizers' tables: appointed organizers, the audit log, access lists, read notes and
broadcasts."""

from coffee.models import AccessEntry, AuditEntry, Broadcast, NoteRead, Organizer


def up(migrator, db):
    db.create_tables([Organizer, AuditEntry, AccessEntry, NoteRead, Broadcast], safe=True)
