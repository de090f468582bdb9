"""Who may see the panel: sessions opened by login links, checked on every request.

Every URL but the login link and the page explaining how to get one needs the session of a
current organizer; anything else is redirected to that page. Sessions are Flask's signed
cookies (HttpOnly, SameSite=Lax, Secure behind https), lapsing after 12 hours without a request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from coffee.cycle.members import describe
from coffee.organizers import Refused, act_as, is_organizer
from coffee.panel.i18n import LOCALES, gettext, panel_locale
from coffee.panel.links import LoginLinks, Refusal
from engine.store import User

IDLE_EXPIRY = dt.timedelta(hours=12)
PUBLIC_ENDPOINTS = frozenset({"access.login", "access.welcome"})

blueprint = Blueprint("access", __name__)


def install(app: Flask, links: LoginLinks, organizer_ids: frozenset[int], default_locale: str,
            https: bool) -> None:
    """Guard every request of `app` and add the login, welcome and logout pages."""
    app.config.update(
        SESSION_COOKIE_NAME="panel_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        PERMANENT_SESSION_LIFETIME=IDLE_EXPIRY,
        SESSION_REFRESH_EACH_REQUEST=True,
    )
    app.extensions["panel.links"] = links
    app.extensions["panel.organizer_ids"] = organizer_ids
    app.extensions["panel.default_locale"] = default_locale
    app.register_blueprint(blueprint)
    app.before_request(_require_organizer)


def _require_organizer() -> BaseResponse | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        g.locale = session.get("locale") or request.accept_languages.best_match(
            LOCALES, default=panel_locale(None, current_app.extensions["panel.default_locale"]))
        return None
    user_id = session.get("organizer")
    try:
        if not isinstance(user_id, int):
            raise Refused("not_organizer")
        g.actor = act_as(user_id, current_app.extensions["panel.organizer_ids"])
    except Refused:
        if "organizer" in session:  # no longer an organizer; an anonymous session stays
            session.clear()
        return redirect(url_for("access.welcome"))
    g.locale = session.get("locale")
    return None


@blueprint.route("/welcome")
def welcome() -> str:
    return render_template("panel/welcome.html", refusal=None)


@blueprint.route("/login/<token>", methods=["GET", "POST"])
def login(token: str) -> BaseResponse | str | tuple[str, int]:
    """GET shows the button that logs in; POST (the button) uses the link up."""
    links: LoginLinks = current_app.extensions["panel.links"]
    use = links.redeem if request.method == "POST" else links.check
    organizer_ids = current_app.extensions["panel.organizer_ids"]
    outcome = use(token, lambda user_id: is_organizer(user_id, organizer_ids))
    if outcome.user_id is None:
        return render_template("panel/welcome.html", refusal=_REFUSALS[outcome.refusal]()), 403
    organizer = User.get_or_none(User.id == outcome.user_id)
    if request.method == "GET":
        return render_template("panel/login.html", name=describe(organizer) if organizer
                               else str(outcome.user_id))
    session.clear()
    session.permanent = True
    session["organizer"] = outcome.user_id
    session["locale"] = panel_locale(organizer.locale if organizer else None,
                                     current_app.extensions["panel.default_locale"])
    return redirect(url_for("admin.index"))


@blueprint.route("/logout", methods=["POST"])
def logout() -> BaseResponse:
    session.clear()
    return redirect(url_for("access.welcome"))


_REFUSALS: dict[Refusal | None, Callable[[], str]] = {
    Refusal.FORGED: lambda: gettext("This login link is not valid. Ask the bot for a new one."),
    Refusal.EXPIRED: lambda: gettext(
        "This login link has expired: links work for 10 minutes. Ask the bot for a new one."),
    Refusal.USED: lambda: gettext(
        "This login link has already been used: each link opens the panel once. "
        "Ask the bot for a new one."),
    Refusal.NOT_ORGANIZER: lambda: gettext(
        "This login link belongs to someone who is no longer an organizer."),
    None: lambda: "",
}
