"""Names as links to the participant's page: a participant as organizers read them
(`coffee.cycle.members.describe`: `Olena Petrenko (@olena, 101)`) ends with their Telegram id,
which names their page."""

from __future__ import annotations

import re

from flask import url_for
from markupsafe import Markup, escape

# The Telegram id at the end of a described participant: `(101)` or `(@olena, 101)`.
_TRAILING_ID = re.compile(r"\((?:@\w+, )?(\d+)\)$")


def person_link(label: str) -> Markup:
    """`label` linking to its participant's page (as text when it names nobody)."""
    found = _TRAILING_ID.search(label)
    if found is None:
        return escape(label)
    return participant_link(int(found.group(1)), label)


def participant_link(user_id: int, text: str) -> Markup:
    """`text` linking to the page of participant `user_id`."""
    return Markup('<a href="{}">{}</a>').format(
        url_for("participants.details_view", id=user_id), text)
