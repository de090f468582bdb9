"""The organizers' web panel: Flask-Admin pages over the models, a face beside the transports.

Writes go through the organizer operations of the domain; the panel itself only browses.
Login links (`issue_login_link`) need no Flask: the bot issues them too. `create_app`,
`prepare_next_matching` and `serve` load Flask when first used.
"""

from typing import Any

from coffee.panel.links import LoginLinks, Refusal, issue_login_link
from coffee.panel.secret import can_sign, secret_key

__all__ = ["LoginLinks", "Refusal", "can_sign", "create_app", "issue_login_link", "login_link",
           "prepare_next_matching", "secret_key", "serve"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "prepare_next_matching"):
        from coffee.panel import app

        return getattr(app, name)
    if name in ("serve", "login_link"):
        from coffee.panel import server

        return getattr(server, name)
    raise AttributeError(name)
