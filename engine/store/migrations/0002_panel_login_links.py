"""The web panel's single-use login links."""

from engine.store.models import PanelLoginLink


def up(migrator, db):
    db.create_tables([PanelLoginLink])
