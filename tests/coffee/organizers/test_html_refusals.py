"""Every text of the Telegram HTML table (tests/engine/flows/test_telegram_html.py) written as a
broadcast in /admin: what Telegram would refuse is refused before the preview, in the
organizer's words, and the text is asked again; what it accepts goes on to the photo
question (and a caption Telegram would refuse is refused once the photo comes)."""

from __future__ import annotations

from coffee.models import Broadcast
from engine.dialog.events import Event
from engine.flows.telegram_html import MAX_CAPTION
from tests.engine.flows.test_telegram_html import TABLE
from tests.kit.community import Community
from tests.kit.participant import Participant
from tests.kit.settings import ADMIN_ID

TEXT_QUESTION = "Write the news."
PHOTO_QUESTION = "Add a photo?"
BROADCAST_LENGTH = 3000  # flows/admin.yaml: the broadcast text's max_length


def test_each_text_of_the_table_is_refused_or_taken_as_telegram_would(town: Community) -> None:
    organizer = Participant(town.bot.engine, ADMIN_ID, first_name="Org", language_code="en")
    for text, limit, (answer, _expected) in TABLE:
        organizer.command("admin")
        organizer.press("📣 News broadcast")
        organizer.press("✍️ Write a new broadcast")
        said = organizer.texts(organizer.send(text))
        if len(text) > BROADCAST_LENGTH:  # the question's own limit answers first
            assert said[0].endswith(f"please keep it within {BROADCAST_LENGTH} characters."), said
            assert said[-1].startswith(TEXT_QUESTION), said
        elif limit == MAX_CAPTION and answer == "refuses":
            assert said[-1].startswith(PHOTO_QUESTION), (text, said)  # fine as a message
            event = Event(ADMIN_ID, "photo", photo="photo-1", sender=organizer.sender)
            said = organizer.texts(organizer.deliver(organizer.engine.handle(event)))
            assert said[0].startswith("Under a photo the text can have at most 1024 "
                                      "characters as Telegram counts them"), said
            assert said[-1].startswith(TEXT_QUESTION), said
        elif answer == "refuses":
            assert len(said) == 2 and said[-1].startswith(TEXT_QUESTION), (text, said)
            assert not said[0].startswith((TEXT_QUESTION, "That cannot be done")), said
        else:
            assert said[-1].startswith(PHOTO_QUESTION), (text, said)
    assert Broadcast.select().count() == 0  # nothing drafted, nothing sent
