"""A flow called in the middle of another (a `returns: true` command, a `call:` button, the edit
of one answer) and its return leave the caller whole: the values its flow was given and
collected, its question and its keyboard; the caller's screen comes back as it was."""

from __future__ import annotations

import pytest

from coffee.app import Bot, build_bot
from coffee.models import MeetingFeedback, OrganizerNote
from engine.store import Answer, DialogState, User
from tests.kit.clock import Clock
from tests.kit.community import Community
from tests.kit.participant import Participant
from tests.kit.settings import ADMIN_ID
from tests.kit.workspace import Workspace


@pytest.fixture
def town(bot: Bot, clock: Clock) -> Community:
    return Community(bot, clock)


@pytest.fixture
def organizer(town: Community) -> Participant:
    return town.organizer()


def pair(town: Community) -> tuple[Participant, Participant]:
    """Two registered participants, invited to the round of 30 November."""
    olena = town.register(201, "Олена", "Шевченко", username="user_201")
    petro = town.register(202, "Петро", "Шевченко", username="user_202")
    town.run_and_deliver("invite")
    return olena, petro


def stored_frame(user_id: int) -> tuple[str, str, dict, list]:
    row = DialogState.get_by_id(user_id)
    return row.flow, row.state, row.context["values"], row.context["stack"]


def open_card(town: Community, organizer: Participant) -> list[str]:
    """The organizer finds Petro in /admin and opens his card: its texts."""
    town.register(202, "Петро", "Шевченко", username="user_202")
    organizer.command("admin")
    organizer.press("🔎 Знайти учасника")
    return organizer.texts(organizer.send("202"))  # the one match: his card at once


def test_the_organizers_card_survives_status_and_a_cancelled_note(
        town: Community, organizer: Participant) -> None:
    card = open_card(town, organizer)
    buttons = organizer.buttons()
    frame = stored_frame(ADMIN_ID)

    status = organizer.texts(organizer.command("status"))
    assert "state: CardState" in status[0] and '"person": 202' in status[0]
    assert status[1:] == card and organizer.buttons() == buttons
    assert stored_frame(ADMIN_ID) == frame

    organizer.command("feedback")
    assert organizer.texts(organizer.press("Скасувати")) == ["Гаразд, нічого не надіслано.",
                                                             *card]
    assert organizer.buttons() == buttons and stored_frame(ADMIN_ID) == frame
    organizer.press("✏️ Написати коментар")  # the card's buttons work as before
    organizer.send("Просив зустрічі зранку")
    assert User.get_by_id(202).comment == "Просив зустрічі зранку"


def test_a_note_typed_after_a_command_in_the_card_is_saved(
        town: Community, organizer: Participant) -> None:
    card = open_card(town, organizer)
    organizer.command("status")
    organizer.command("feedback")
    texts = organizer.texts(organizer.send("Додайте зустрічі онлайн"))
    # the organizer, one of ADMIN_IDS, gets the note too
    assert texts == ["Повідомлення для організаторів від Orhanizatorka (@org_admin):\n\n"
                     "Додайте зустрічі онлайн", "Дякую! Організатори прочитають.", *card]
    assert OrganizerNote.get().text == "Додайте зустрічі онлайн"


def test_the_survey_after_a_note_still_names_the_partner(town: Community) -> None:
    olena, petro = pair(town)
    olena.press("Так, беру участь")
    petro.press("Так, беру участь")
    town.run_and_deliver("match")
    town.run_and_deliver("feedback")
    question = olena.texts(olena.last_batch)
    assert "Петро Шевченко" in question[0]

    olena.command("feedback")
    assert olena.texts(olena.press("Скасувати")) == ["Гаразд, нічого не надіслано.", *question]
    olena.command("feedback")
    assert olena.texts(olena.send("Дякую за бота"))[1:] == question
    olena.command("info")
    olena.press("Так, ми зустрілися")
    olena.press("5")
    feedback = MeetingFeedback.get(MeetingFeedback.user == 201)
    assert (feedback.happened, feedback.rating) == (True, 5)


def test_the_invitation_after_a_command_names_its_own_week(town: Community) -> None:
    olena, _petro = pair(town)
    invitation = olena.texts(olena.last_batch)
    assert "30 листопада" in invitation[0]
    for command in ("info", "feedback"):
        texts = olena.texts(olena.command(command))
        if command == "feedback":
            texts = olena.texts(olena.press("Скасувати"))
        assert texts[-1] == invitation[-1]
    # The pairs are made while Olena has not answered: the invitation she comes back to is
    # still the one of 30 November, and a "yes" now is politely too late.
    town.run_and_deliver("match")
    assert olena.texts(olena.command("info"))[-1] == invitation[-1]
    olena.press("Так, беру участь")
    olena.sees("Пари на цей тиждень уже складено")


def test_ticked_options_survive_a_command(participant: Participant) -> None:
    participant.command("start")
    for answer in ("Олена", "Коваль", "Кав'ярня"):
        participant.send(answer)
        if answer == "Коваль":
            participant.tap_reply_keyboard("Пропустити")
    participant.press("Щотижня")
    participant.press("Нетворкінг")
    participant.press("Готово")
    participant.press("Стартапи")
    participant.press("Книжки")
    ticked = participant.buttons()
    participant.command("info")
    assert participant.buttons() == ticked and "✅ Стартапи" in ticked
    participant.command("feedback")
    participant.press("Скасувати")
    assert participant.buttons() == ticked
    participant.press("Готово")
    assert DialogState.get_by_id(101).state == "AskAboutState"
    assert Answer.get(Answer.user == 101, Answer.key == "topics").value == ["startups", "books"]


def test_the_edit_of_one_answer_survives_a_cancelled_note(participant: Participant) -> None:
    participant.complete_profile()
    participant.press("Змінити відповідь")
    participant.press("4. Робота")
    question = participant.texts(participant.last_batch)
    participant.command("feedback")
    assert participant.texts(participant.press("Скасувати"))[1:] == question
    texts = participant.texts(participant.send("Бібліотека"))
    assert texts[0].startswith("Ваш профіль") and "4. Робота: Бібліотека" in texts[0]


CALL_FROM_THE_INVITATION = """      - label: "Not this time"
        goto: DeclineState
      - label: "Ask the organizers"
        call: note
"""


def test_a_call_button_comes_back_to_the_invitation_of_its_week(
        tmp_path, clock: Clock) -> None:
    workspace = Workspace(tmp_path / "bot")
    workspace.edit("flows/invitation.yaml", """      - label: "Not this time"
        goto: DeclineState
""", CALL_FROM_THE_INVITATION)
    built = build_bot(workspace.settings(), clock=clock)
    try:
        town = Community(built, clock)
        olena, _petro = pair(town)
        invitation = olena.texts(olena.last_batch)
        town.run_and_deliver("match")  # the week can no longer be found without the context
        olena.press("Ask the organizers")
        texts = olena.texts(olena.send("Можна наступного тижня?"))
        assert texts == ["Дякую! Організатори прочитають.", *invitation]
        olena.press("Ask the organizers")
        assert olena.texts(olena.press("Скасувати"))[1:] == invitation
    finally:
        built.database.close()
