"""/feedback, /status and what organizers can do to a participant."""

from __future__ import annotations

import dataclasses

from coffee.app import Bot
from coffee.models import OrganizerNote
from engine.store import DialogState, User
from tests.kit.participant import Participant
from tests.kit.settings import ADMIN_ID


def test_feedback_note_is_stored_and_forwarded_to_organizers(participant: Participant) -> None:
    participant.complete_profile()
    assert participant.texts(participant.command("feedback")) == [
        "Що ви хочете сказати організаторам? Ідея, проблема, подяка — напишіть одним "
        "повідомленням."]
    replies = participant.send("Додайте <теми> & зустрічі онлайн")

    assert OrganizerNote.get().text == "Додайте <теми> & зустрічі онлайн"
    forwarded = [reply for reply in participant.elsewhere if reply.chat_id == ADMIN_ID]
    assert len(forwarded) == 1
    assert "Олена Коваль" not in forwarded[0].text  # Telegram names, not profile answers
    assert "Додайте &lt;теми&gt; &amp; зустрічі онлайн" in forwarded[0].text
    texts = participant.texts(replies)
    assert texts[0] == "Дякую! Організатори прочитають."
    assert texts[-1].startswith("Ваш профіль")  # back where the participant was


def test_feedback_can_be_cancelled(participant: Participant) -> None:
    participant.command("feedback")
    replies = participant.press("Скасувати")
    assert participant.texts(replies) == ["Гаразд, нічого не надіслано."]
    assert OrganizerNote.select().count() == 0 and participant.elsewhere == []


def test_status_is_for_organizers_only(bot: Bot, participant: Participant) -> None:
    participant.command("start")
    assert participant.texts(participant.command("status"))[0].startswith(
        "Я не знаю команди /status.")

    admin = Participant(bot.engine, ADMIN_ID, first_name="Admin")
    admin.command("start")
    admin.send("Адмін")
    text = admin.texts(admin.command("status"))[0]
    assert "flow: start" in text and "state: AskLastNameState" in text
    assert '"first_name": "Адмін"' in text
    assert admin.texts()[-1] == "2. А прізвище?"  # and the question again


def test_status_is_for_everyone_in_development(bot: Bot, participant: Participant) -> None:
    bot.engine.settings = dataclasses.replace(bot.engine.settings, development=True)
    participant.command("start")
    assert "state: AskFirstNameState" in participant.texts(participant.command("status"))[0]


def test_disabled_participant_is_told_and_nothing_changes(participant: Participant) -> None:
    participant.complete_profile()
    User.update(enabled=False).where(User.id == 101).execute()
    for replies in (participant.command("start"), participant.send("привіт")):
        assert participant.texts(replies) == [
            "Організатори призупинили вашу участь у Random Coffee. Якщо це помилка, напишіть "
            "їм, будь ласка."]


def test_help_twice_in_a_row_shows_it_once_each_time(participant: Participant) -> None:
    participant.command("info")
    replies = participant.command("info")
    assert len(replies) == 1 and participant.texts(replies)[0].startswith("Random Coffee")


def test_feedback_twice_comes_back_to_the_profile_once(participant: Participant) -> None:
    participant.complete_profile()
    participant.command("feedback")
    participant.command("feedback")
    replies = participant.send("Дякую!")
    assert participant.texts(replies)[0] == "Дякую! Організатори прочитають."
    assert participant.texts(replies)[-1].startswith("Ваш профіль")
    assert DialogState.get_by_id(101).context["stack"] == []
