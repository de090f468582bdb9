"""Updates received and not handled yet, so that any worker handles a participant's in order."""

from engine.store import ReceivedUpdate


def up(migrator, db):
    db.create_tables([ReceivedUpdate], safe=True)
