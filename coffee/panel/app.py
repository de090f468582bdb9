"""Build the panel's Flask application: sessions, CSRF, languages, and Flask-Admin's views; and
work out what its slowest page shows before anyone asks."""

from __future__ import annotations

from flask import Flask, g, render_template
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel
from flask_wtf.csrf import CSRFError, CSRFProtect
from peewee import Database

from coffee.bot_settings import BotSettings
from coffee.organizers import Vocabulary, next_round, prepare_next_groups
from coffee.panel import access, headers
from coffee.panel.context import EXTENSION, PanelContext
from coffee.panel.i18n import (
    lazy_gettext,
    template_gettext,
    template_ngettext,
    template_pgettext,
)
from coffee.panel.links import LoginLinks
from coffee.panel.people_links import person_link
from coffee.panel.secret import secret_key
from coffee.panel.sessions import IDLE_TIMEOUT
from coffee.panel.views import DashboardView, add_views
from coffee.panel.views.base import local_time
from engine.dialog.profile import ProfileFields
from engine.render.templates import Renderer
from engine.store import utc_now


def create_app(settings: BotSettings, database: Database, renderer: Renderer,
               fields: ProfileFields, vocabulary: Vocabulary) -> Flask:
    """The panel over an open `database`; `renderer` renders what participants receive,
    `fields` names the profile answers matching reads, `vocabulary` puts every id an
    organizer reads into words (the same as /admin's)."""
    app = Flask(__name__)
    key = secret_key(settings)
    app.config.update(
        SECRET_KEY=key,
        # A form left open for a working day still submits; the session lapses sooner.
        WTF_CSRF_TIME_LIMIT=int(IDLE_TIMEOUT.total_seconds()),
        PANEL_TIMEZONE=settings.timezone,
    )
    app.extensions[EXTENSION] = PanelContext(settings, renderer, fields, vocabulary)
    access.install(app, LoginLinks(key, settings.panel_url), settings.organizer_ids,
                   default_locale=settings.default_locale,
                   https=settings.panel_url.startswith("https://"))
    headers.install(app)
    CSRFProtect(app)
    Babel(app, locale_selector=lambda: g.get("locale"))
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # jinja2.ext.i18n adds it
        gettext=template_gettext, ngettext=template_ngettext, pgettext=template_pgettext,
        newstyle=True)
    app.jinja_env.filters["panel_time"] = lambda value: local_time(None, value)
    app.jinja_env.globals["reason_label"] = app.extensions[EXTENSION].reason
    # The organizers' vocabulary in the page's language: `{% set words = words() %}`.
    app.jinja_env.globals["words"] = app.extensions[EXTENSION].words
    app.jinja_env.filters["person_link"] = person_link

    @app.before_request
    def connect() -> None:
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def disconnect(_error: BaseException | None) -> None:
        if not database.is_closed():
            database.close()

    @app.errorhandler(CSRFError)
    def refuse_without_csrf(_error: CSRFError) -> tuple[str, int]:
        return render_template("panel/refused.html"), 400

    admin = Admin(app, name=lazy_gettext("Random Coffee"), url="/",
                  theme=Bootstrap4Theme(base_template="panel/base.html", fluid=True),
                  index_view=DashboardView())
    add_views(admin, app.extensions[EXTENSION])
    return app


def prepare_next_matching(app: Flask) -> None:
    """Work out the next matching's plan for `app`'s community (`serve` does it in the
    background as the panel starts): reading a year of meetings takes a second or more, which
    the first organizer to open the page would otherwise wait for."""
    context: PanelContext = app.extensions[EXTENSION]
    prepare_next_groups(next_round(context.schedule(), utc_now()), context.fields)
