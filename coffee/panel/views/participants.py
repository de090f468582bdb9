"""Participants: search, filters, sorting, pages and CSV from Flask-Admin, bans in bulk through
the organizer operations; each participant's page is `participant_page`'s."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, g
from flask_admin.actions import action
from flask_admin.contrib.peewee.filters import BasePeeweeFilter
from flask_admin.model.widgets import XEditableWidget
from peewee import ModelSelect
from wtforms import Form

from coffee.models import Participation, Round
from coffee.organizers import Export, Refused, Words, ban, participants_export, unban
from coffee.panel.context import PanelContext, actor, lazy_words, panel_context
from coffee.panel.i18n import gettext, lazy_gettext, ngettext
from coffee.panel.people_links import participant_link
from coffee.panel.refusals import explain
from coffee.panel.views.base import ConditionFilter, yes_no
from coffee.panel.views.participant_page import ParticipantPage
from engine.store import Answer, User

FREQUENCY = "frequency"  # the role of the question saying who rests every other week


class AnswerFilter(BasePeeweeFilter):
    """Participants whose answer to `key` is the chosen option."""

    def __init__(self, key: str, choices: list[str]) -> None:
        super().__init__(User.id, lazy_words(Words.question, key), options=[
            (choice, lazy_words(Words.answer, key, choice))
            for choice in choices])
        self.key = key

    def apply(self, query: ModelSelect, value: str) -> ModelSelect:
        chosen = Answer.select(Answer.user).where(Answer.key == self.key, Answer.value == value)
        return query.where(User.id.in_(chosen))

    def operation(self) -> Any:
        return lazy_gettext("is")


class LanguageFilter(BasePeeweeFilter):
    """Participants speaking one of the bot's languages."""

    def __init__(self, locales: list[str]) -> None:
        super().__init__(User.locale, lazy_gettext("Language"), options=[
            (locale, lazy_words(Words.language, locale))
            for locale in locales])

    def apply(self, query: ModelSelect, value: str) -> ModelSelect:
        return query.where(User.locale == value)

    def operation(self) -> Any:
        return lazy_gettext("is")


def _skipping_now() -> Any:
    """Skipping the current or a coming week."""
    this_monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    skipped = (Participation.select(Participation.user).join(Round)
               .where(Participation.status == "skip", Round.week >= this_monday))
    return User.id.in_(skipped)


class EditableInList(XEditableWidget):
    """The list's in-place editor, with its placeholder for an empty value in the panel's
    language (the editor's script would say "Empty")."""

    def __call__(self, field: Any, **kwargs: Any) -> str:
        kwargs.setdefault("data-emptytext", gettext("Empty"))
        return super().__call__(field, **kwargs)


class ParticipantsView(ParticipantPage):
    """Filters by how often they meet (the questionnaire's options) and by the bot's
    languages among the rest."""

    column_list = ("id", "first_name", "last_name", "username", "locale", "registered",
                   "enabled", "reachable", "created_at", "comment")
    column_labels = {
        "id": lazy_gettext("Telegram id"),
        "first_name": lazy_gettext("First name"),
        "last_name": lazy_gettext("Last name"),
        "username": lazy_gettext("Username"),
        "language_code": lazy_gettext("Telegram language"),
        "locale": lazy_gettext("Language"),
        "phone": lazy_gettext("Phone"),
        "registered": lazy_gettext("Registered"),
        "enabled": lazy_gettext("Suspended"),
        "reachable": lazy_gettext("Reachable"),
        "created_at": lazy_gettext("First seen"),
        "comment": lazy_gettext("Organizers' comment"),
    }
    column_display_pk = True
    column_formatters = {
        "first_name": lambda _v, _c, user, _n: participant_link(user.id,
                                                                user.first_name or str(user.id)),
        "locale": lambda _v, _c, user, _n: panel_context().words().language(user.locale),
        "enabled": lambda view, _c, user, name: yes_no(view, not user.enabled, name),
    }
    column_searchable_list = ("first_name", "last_name", "username")
    column_sortable_list = ("id", "first_name", "last_name", "username", "locale",
                            "registered", "enabled", "reachable", "created_at")
    column_default_sort = ("created_at", True)
    column_filters: tuple[Any, ...] = (
        "registered",
        ConditionFilter(User.id, lazy_gettext("Suspended"), lambda: ~User.enabled),
        ConditionFilter(User.id, lazy_gettext("Unreachable"), lambda: ~User.reachable),
        ConditionFilter(User.id, lazy_gettext("Skipping this week"), _skipping_now),
    )
    column_details_list = ("id", "first_name", "last_name", "username", "language_code",
                           "locale", "phone", "registered", "enabled", "reachable", "created_at",
                           "comment")
    named_filter_urls = True

    def __init__(self, context: PanelContext, **options: Any) -> None:
        key = context.fields.key(FREQUENCY)
        asked = context.vocabulary.questions.get(key) if key else None
        if key and asked is not None and asked.options:
            self.column_filters = (*self.column_filters, AnswerFilter(
                key, [option.id for option in asked.options]))
        self.column_filters = (*self.column_filters, LanguageFilter(context.locales))
        super().__init__(User, **options)

    def search_placeholder(self) -> str:
        return gettext("Name, @username or Telegram id")

    def get_list(self, page: int | None, sort_column: str | None, sort_desc: bool | None,
                 search: str | None, filters: Any, execute: bool = True,
                 page_size: int | None = None) -> tuple[int | None, Any]:
        """A search for a number finds that Telegram id; "@name" searches usernames."""
        term = (search or "").strip().removeprefix("@")
        g.participant_id = int(term) if term.isdigit() else None
        return super().get_list(page, sort_column, sort_desc,
                                None if g.participant_id else term, filters, execute, page_size)

    def get_query(self) -> ModelSelect:
        query = super().get_query()
        wanted = g.get("participant_id")
        return query if wanted is None else query.where(User.id == wanted)

    def csv_export(self) -> Export:
        """Every participant the list shows now (its search and filters), every column."""
        view = self._get_list_extra_args()
        _count, shown = self.get_list(0, None, False, view.search, view.filters, execute=False,
                                      page_size=0)
        context = panel_context()
        return participants_export(actor(), context.words(), context.community(),
                                   context.settings.timezone,
                                   only=shown.select(User.id).order_by())

    def get_list_form(self) -> type[Form]:
        return self.scaffold_list_form(widget=EditableInList())

    @action("ban", lazy_gettext("Suspend"),
            lazy_gettext("Suspend the chosen participants? They keep their data, are told they "
                         "cannot take part, and are never invited or matched."))
    def action_ban(self, ids: list[str]) -> None:
        self._each(ids, ban, lambda done: ngettext("%(num)d participant suspended.",
                                                   "%(num)d participants suspended.", done))

    @action("unban", lazy_gettext("Lift the suspension"))
    def action_unban(self, ids: list[str]) -> None:
        self._each(ids, unban, lambda done: ngettext(
            "%(num)d participant's suspension lifted.",
            "%(num)d participants' suspensions lifted.", done))

    def _each(self, ids: list[str], operation: Any, report: Any) -> None:
        done = 0
        for user_id in ids:
            try:
                operation(actor(), int(user_id))
                done += 1
            except Refused as refusal:
                flash(explain(refusal), "error")
        if done:
            flash(report(done), "success")
