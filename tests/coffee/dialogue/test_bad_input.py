"""Every kind of bad input gets a short translated answer and the question again; nothing stored
is lost."""

from __future__ import annotations

import pytest

from engine.store import Answer, DialogState
from tests.kit.participant import Participant

FIRST_QUESTION = "1. Як вас звати? Напишіть ім’я."
FREQUENCY_QUESTION = "5. Як часто ви хочете зустрічатися?"


def answers(user_id: int = 101) -> dict:
    return {row.key: row.value for row in Answer.select().where(Answer.user == user_id)}


@pytest.fixture
def at_frequency(participant: Participant) -> Participant:
    """A participant who answered the first four questions."""
    participant.command("start")
    participant.send("Олена")
    participant.send("Коваль")
    participant.share_contact()
    participant.send("Зерно")
    assert participant.texts()[-1] == FREQUENCY_QUESTION
    return participant


@pytest.mark.parametrize(("typed", "explanation"), [
    ("   ", "Відповідь порожня. Напишіть, будь ласка, щось."),
    ("О" * 65, "Відповідь задовга: вкладіться, будь ласка, у 64 символи."),
    ("О" * 5000, "Відповідь задовга: вкладіться, будь ласка, у 64 символи."),
])
def test_text_answers_out_of_bounds(participant: Participant, typed: str,
                                    explanation: str) -> None:
    participant.command("start")
    assert participant.texts(participant.send(typed)) == [explanation, FIRST_QUESTION]
    assert answers() == {}


@pytest.mark.parametrize("what", ["sticker", "photo", "voice"])
def test_unsupported_message_where_text_is_expected(participant: Participant, what: str) -> None:
    participant.command("start")
    assert participant.texts(participant.send_unsupported(what)) == [
        "Тут я розумію лише текст.", FIRST_QUESTION]


def test_text_where_a_choice_is_expected(at_frequency: Participant) -> None:
    before = answers()
    replies = at_frequency.send("щодня")
    assert at_frequency.texts(replies) == ["Скористайтеся, будь ласка, кнопками нижче.",
                                           FREQUENCY_QUESTION]
    assert replies[-1].buttons  # the buttons come again with the question
    assert answers() == before


def test_typing_a_choice_label_answers_it(at_frequency: Participant) -> None:
    at_frequency.send("щотижня")
    assert answers()["frequency"] == "weekly"


def test_contact_question_refuses_text_stickers_and_foreign_contacts(
        participant: Participant) -> None:
    participant.command("start")
    participant.send("Олена")
    participant.send("Коваль")
    question = participant.texts()[-1]
    assert participant.texts(participant.send("0501112233")) == [
        "Натисніть, будь ласка, кнопку нижче, щоб поділитися номером, або пропустіть.", question]
    assert participant.texts(participant.send_unsupported("sticker"))[0] == \
        "Натисніть, будь ласка, кнопку нижче, щоб поділитися номером, або пропустіть."
    assert participant.texts(participant.share_contact("+380999999999", owner=555))[0] == \
        "Це чужий контакт. Поділіться, будь ласка, своїм номером кнопкою нижче."
    assert "phone" not in answers()


def test_button_from_an_older_message_is_stale(at_frequency: Participant) -> None:
    frequency = at_frequency.keyboard_message()
    at_frequency.press("Щотижня")
    replies = at_frequency.press("Раз на два тижні", message=frequency)
    assert at_frequency.texts(replies)[0] == \
        "Ця кнопка — зі старого повідомлення. Ось де ви зараз:"
    assert at_frequency.texts(replies)[1].startswith("6. Навіщо вам нові знайомства?")
    assert answers()["frequency"] == "weekly"


@pytest.mark.parametrize("data", ["", "garbage", "ff:o:weekly", "1:x", "zz:b:0", "5:o"])
def test_forged_callback_data_is_stale(at_frequency: Participant, data: str) -> None:
    before = answers()
    replies = at_frequency.press_data(data, at_frequency.last.message_id)
    assert at_frequency.texts(replies) == [
        "Ця кнопка — зі старого повідомлення. Ось де ви зараз:", FREQUENCY_QUESTION]
    assert answers() == before


def test_option_that_is_not_offered_is_stale(at_frequency: Participant) -> None:
    serial = at_frequency.last.reply.buttons[0][0].data.split(":")[0]
    replies = at_frequency.press_data(f"{serial}:o:daily", at_frequency.last.message_id)
    assert at_frequency.texts(replies)[0].startswith("Ця кнопка — зі старого повідомлення.")
    assert "frequency" not in answers()


def test_unknown_command(at_frequency: Participant) -> None:
    assert at_frequency.texts(at_frequency.send("/dance")) == [
        "Я не знаю команди /dance. Я знаю: /feedback, /info, /start.", FREQUENCY_QUESTION]


def test_help_in_the_middle_of_the_questionnaire_comes_back_to_the_question(
        at_frequency: Participant) -> None:
    before = answers()
    texts = at_frequency.texts(at_frequency.command("info"))
    assert texts[0].startswith("Random Coffee")
    assert texts[-1] == FREQUENCY_QUESTION
    at_frequency.press("Щотижня")
    assert answers() == {**before, "frequency": "weekly"}


def test_text_where_only_buttons_are_expected(participant: Participant) -> None:
    participant.complete_profile()
    texts = participant.texts(participant.send("привіт"))
    assert texts[0] == "Скористайтеся, будь ласка, кнопками нижче."
    assert texts[1].startswith("Ваш профіль")


def test_message_after_a_flow_ended(participant: Participant) -> None:
    participant.command("feedback")
    participant.send("Дякую за бота")
    assert participant.texts(participant.send("ще одне")) == [
        "Зараз я не чекаю повідомлення. Надішліть /start, щоб побачити профіль, або /info "
        "для довідки."]


def test_state_that_no_flow_has_any_more_starts_over(participant: Participant) -> None:
    participant.command("start")
    DialogState.update(state="RemovedQuestionState").where(DialogState.user == 101).execute()
    texts = participant.texts(participant.send("Олена"))
    assert texts[-1] == FIRST_QUESTION


def test_buttons_of_an_earlier_copy_of_a_menu_are_stale(participant: Participant) -> None:
    """The profile shown again after a typed text: only the newest copy's buttons work."""
    participant.complete_profile()
    first_copy = participant.keyboard_message()
    participant.send("привіт")
    second_copy = participant.keyboard_message()
    assert second_copy is not first_copy and second_copy.labels == first_copy.labels

    texts = participant.texts(participant.press("Змінити відповідь", message=first_copy))
    assert texts[0] == "Ця кнопка — зі старого повідомлення. Ось де ви зараз:"
    assert texts[1].startswith("Ваш профіль")
    assert participant.texts(participant.press("Змінити відповідь", message=second_copy))[0] \
        .startswith("Ця кнопка — зі старого повідомлення.")
    newest = participant.keyboard_message()
    assert participant.texts(participant.press("Змінити відповідь", message=newest)) == [
        "Яку відповідь ви хочете змінити?"]


def test_a_second_tap_on_done_gets_no_message(at_frequency: Participant) -> None:
    at_frequency.press("Щотижня")
    motivation = at_frequency.keyboard_message()
    at_frequency.press("Нетворкінг")
    assert at_frequency.texts(at_frequency.press("Готово"))[-1].startswith("7. ")
    assert at_frequency.press("Готово", message=motivation) == []
    assert answers()["motivation"] == ["networking"]
    assert at_frequency.texts(at_frequency.press("Стартапи"))  # the topics still take picks
