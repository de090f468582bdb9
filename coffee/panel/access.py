"""Who may see the panel: sessions opened by login links, kept on the server and checked on
every request.

Every URL but the login link and the page explaining how to get one needs a lasting session of
a current organizer (`coffee.panel.sessions`); anything else is redirected to that page, which
says why a session ended. The cookie (HttpOnly, SameSite=Lax, Secure behind https) carries the
session's token and the panel's language only, and is not renewed by browsing: the server
keeps the time of the last request. Logins and logouts go into the audit log.
"""

from __future__ import annotations

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
from coffee.organizers import Refused, act_as, is_organizer, note_panel_access
from coffee.panel import sessions
from coffee.panel.i18n import LOCALES, gettext, ngettext, panel_locale
from coffee.panel.links import LoginLinks, Refusal
from coffee.panel.sessions import Ending
from engine.store import User, database, utc_now

PUBLIC_ENDPOINTS = frozenset({"access.login", "access.welcome"})
# What the cookie holds: the session's token, the panel's language; once a session has ended,
# why (or, after "log out everywhere" in this browser, how many sessions it ended).
TOKEN, LOCALE, ENDED, ENDED_HERE = "session", "locale", "ended", "ended_here"

blueprint = Blueprint("access", __name__)


def install(app: Flask, links: LoginLinks, organizer_ids: frozenset[int], default_locale: str,
            https: bool) -> None:
    """Guard every request of `app` and add the login, welcome and logout pages."""
    app.config.update(
        SESSION_COOKIE_NAME="panel_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        PERMANENT_SESSION_LIFETIME=sessions.LIFETIME,
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    app.extensions["panel.links"] = links
    app.extensions["panel.organizer_ids"] = organizer_ids
    app.extensions["panel.default_locale"] = default_locale
    app.register_blueprint(blueprint)
    app.before_request(_require_organizer)


def _require_organizer() -> BaseResponse | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        g.locale = session.get(LOCALE) or request.accept_languages.best_match(
            LOCALES, default=panel_locale(None, current_app.extensions["panel.default_locale"]))
        return None
    token = session.get(TOKEN)
    organizer_ids = current_app.extensions["panel.organizer_ids"]
    checked = (sessions.check(token, organizer_ids, utc_now()) if isinstance(token, str)
               else sessions.Checked(None))
    try:
        if checked.user_id is None:
            raise Refused("not_organizer")
        g.actor = act_as(checked.user_id, organizer_ids)
    except Refused:
        if TOKEN in session:  # an anonymous session (a login form's CSRF token) stays
            _forget(checked.ending)
        return redirect(url_for("access.welcome"))
    g.locale = session.get(LOCALE)
    g.session_token = token
    return None


def _forget(ending: Ending | None) -> None:
    """Drop the session from the cookie, keeping why it ended for the welcome page."""
    locale = session.get(LOCALE)
    session.clear()
    if locale:
        session[LOCALE] = locale
    if ending is not None:
        session[ENDED] = ending.value


@blueprint.route("/welcome")
def welcome() -> str:
    return render_template("panel/welcome.html", refusal=_why_ended())


def _why_ended() -> str | None:
    """Why the session of this browser ended, said once."""
    ended, count = session.pop(ENDED, None), session.pop(ENDED_HERE, None)
    if isinstance(count, int):
        return ngettext("You have logged out everywhere: %(num)d session ended.",
                        "You have logged out everywhere: %(num)d sessions ended.", count)
    try:
        return _ENDINGS[Ending(ended)]()
    except ValueError:
        return None


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
    who = act_as(outcome.user_id, organizer_ids)
    with database.atomic():
        opened = sessions.open_session(who.user_id, who.now)
        note_panel_access(who, "panel_login")
    session.clear()
    session.permanent = True
    session[TOKEN] = opened
    session[LOCALE] = panel_locale(organizer.locale if organizer else None,
                                   current_app.extensions["panel.default_locale"])
    return redirect(url_for("admin.index"))


@blueprint.route("/logout", methods=["POST"])
def logout() -> BaseResponse:
    """End this session (the guard has checked it lasts)."""
    who = g.actor
    with database.atomic():
        sessions.end_session(g.session_token, Ending.LOGOUT, who.now)
        note_panel_access(who, "panel_logout")
    _forget(Ending.LOGOUT)
    return redirect(url_for("access.welcome"))


@blueprint.route("/logout/everywhere", methods=["POST"])
def logout_everywhere() -> BaseResponse:
    """End every session of this organizer: other browsers and devices too."""
    who = g.actor
    with database.atomic():
        ended = sessions.end_sessions_of(who.user_id, who.now)
        note_panel_access(who, "panel_logout_everywhere", ended)
    _forget(None)
    session[ENDED_HERE] = ended
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

_ENDINGS: dict[Ending, Callable[[], str]] = {
    Ending.LOGOUT: lambda: gettext("You have logged out."),
    Ending.EVERYWHERE: lambda: gettext(
        "Your session has ended: \"Log out everywhere\" was pressed in another browser."),
    Ending.REVOKED: lambda: gettext(
        "Your session has ended: you are no longer an organizer. If that is a mistake, ask "
        "another organizer to appoint you again, then ask the bot for a new link."),
    Ending.IDLE: lambda: gettext(
        "Your session has ended after 12 hours without activity. Ask the bot for a new link."),
    Ending.EXPIRED: lambda: gettext(
        "Your session has ended: a session lasts at most 7 days. Ask the bot for a new link."),
}
