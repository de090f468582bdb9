"""The web panel's single-use login links."""

from coffee.models import PanelLoginLink


def up(migrator, db):
    db.create_tables([PanelLoginLink])
