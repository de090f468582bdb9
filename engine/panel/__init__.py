"""The organizers' web panel: Flask-Admin pages over the models, a face beside the transports.

Writes go through the organizer operations of the domain; the panel itself only browses.
"""

from engine.panel.app import create_app
from engine.panel.links import LoginLinks, Refusal, secret_key
from engine.panel.serve import login_link, serve

__all__ = ["LoginLinks", "Refusal", "create_app", "login_link", "secret_key", "serve"]
