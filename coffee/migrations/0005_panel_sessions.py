"""The web panel's sessions move to the server (a row per login); the signing key leaves the
database (a copy of it must not be enough to log in): the key stored by earlier versions is
deleted, and a new one is kept outside (coffee/panel/secret.py)."""

from coffee.models import PanelSession
from engine.store import Setting


def up(migrator, db):
    db.create_tables([PanelSession], safe=True)
    Setting.delete().where(Setting.key == "panel.secret_key").execute()
