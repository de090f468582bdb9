"""The organizer operations' refusals (`Refused.code` and its params) in the organizer's words."""

from __future__ import annotations

from collections.abc import Callable

from coffee.organizers import Refused
from coffee.panel.context import panel_context
from coffee.panel.i18n import gettext

_MESSAGES: dict[str, Callable[[], str]] = {
    "already_banned": lambda: gettext("%(person)s is suspended already."),
    "already_listed": lambda: gettext("%(who)s is on that list already."),
    "already_organizer": lambda: gettext("%(person)s is an organizer already."),
    "bad_audience": lambda: gettext("Choose the audience from the list."),
    "bad_html": lambda: gettext(
        "Telegram would refuse this text: %(detail)s. Use only <b>, <i>, <u>, <s>, <a href>, "
        "<code>, <pre>, <blockquote> and <tg-spoiler>, each closed, and write < > & as "
        "&lt; &gt; &amp;."),
    "bad_person": lambda: gettext(
        "%(text)s is neither a @username nor a Telegram id, for example %(example)s."),
    "bad_setting": lambda: gettext(
        "That value does not fit “%(key)s”; for example: %(example)s."),
    "ban_organizer": lambda: gettext("%(person)s is an organizer and cannot be suspended."),
    "ban_self": lambda: gettext("You cannot suspend yourself."),
    "broadcast_finished": lambda: gettext("This broadcast has finished already."),
    "comment_too_long": lambda: gettext(
        "The comment is too long: %(length)s characters, at most %(limit)s."),
    "empty_query": lambda: gettext("Write a name, a @username or a Telegram id."),
    "empty_text": lambda: gettext("The text is empty."),
    "no_such_broadcast": lambda: gettext("There is no such broadcast."),
    "no_such_note": lambda: gettext("There is no such note."),
    "no_such_person": lambda: gettext("Nobody found for %(query)s."),
    "not_an_organizer": lambda: gettext("This person is not an appointed organizer."),
    "not_banned": lambda: gettext("%(person)s is not suspended."),
    "not_listed": lambda: gettext("%(who)s is on neither list."),
    "not_organizer": lambda: gettext("Only organizers may do this."),
    "permanent_organizer": lambda: gettext(
        "Organizers named in ORGANIZER_IDS can only be changed by the operator."),
    "swap_introduced": lambda: gettext(
        "Their introductions for the week of %(week)s are queued already: the groups stay as "
        "they are."),
    "swap_not_in_round": lambda: gettext(
        "%(person)s is in no group of the week of %(week)s."),
    "swap_not_matched": lambda: gettext(
        "The round of the week of %(week)s is not matched yet: there is nothing to swap."),
    "swap_same_group": lambda: gettext("%(first)s and %(second)s are in the same group."),
    "swap_same_person": lambda: gettext("Choose two different participants."),
    "text_too_long": lambda: gettext(
        "The text is too long: %(length)s characters, at most %(limit)s."),
    "unknown_job": lambda: gettext("Unknown job; one of: %(example)s."),
    "unknown_list": lambda: gettext("Choose the allow list or the block list."),
    "unknown_setting": lambda: gettext("There is no setting %(key)s."),
}


def explain(refusal: Refused) -> str:
    """What to show for a refused operation (a setting by its name); the code itself when it
    is new to the panel."""
    message = _MESSAGES.get(refusal.code)
    if message is None:
        return refusal.code
    values = {key: str(value) for key, value in refusal.params.items()}
    if "key" in values:
        values["key"] = panel_context().words().setting(values["key"])
    try:
        return message() % values
    except (KeyError, ValueError, TypeError):
        return message()
