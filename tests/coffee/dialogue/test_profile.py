"""A participant fills in, reads and edits their profile through the engine seam."""

from __future__ import annotations

import pytest

from coffee.app import Bot
from coffee.models import Participation
from engine.store import Answer, DialogState, User
from tests.kit.participant import ENGLISH_PROFILE, Participant, Profile


def stored_answers(user_id: int) -> dict:
    return {row.key: row.value for row in Answer.select().where(Answer.user == user_id)}


@pytest.mark.parametrize(("language_code", "profile", "expected_rows"), [
    ("uk", Profile(), [
        "1. Ім’я: Олена", "2. Прізвище: Коваль", "3. Телефон: +380501112233",
        "4. Робота: Кав'ярня «Зерно»", "5. Як часто: Щотижня",
        "6. Мета зустрічей: Нетворкінг, Обмін досвідом", "7. Теми: Стартапи, Книжки",
        "8. Про себе: Люблю каву й довгі прогулянки.", "9. Мова: Українська",
    ]),
    ("en", ENGLISH_PROFILE, [
        "1. First name: Olena", "2. Last name: Koval", "3. Phone: +380501112233",
        "4. Work: Grain Coffee", "5. How often: Every week",
        "6. Motivation: Networking, Sharing experience", "7. Topics: Startups, Books",
        "8. About me: I like coffee and long walks.", "9. Language: English",
    ]),
])
def test_new_participant_completes_the_profile(bot: Bot, language_code: str, profile: Profile,
                                               expected_rows: list[str]) -> None:
    olena = Participant(bot.engine, 101, first_name="Olena", language_code=language_code)
    replies = olena.complete_profile(profile)
    assert profile.phone == "+380501112233"

    profile_text = olena.texts(replies)[-1]
    for row in expected_rows:
        assert row in profile_text
    assert profile_text.index(expected_rows[0]) < profile_text.index(expected_rows[-1])
    user = User.get_by_id(101)
    assert user.registered and user.locale == profile.locale and user.phone == "+380501112233"
    assert stored_answers(101) == {
        "first_name": profile.first_name, "last_name": profile.last_name,
        "phone": "+380501112233", "company": profile.company, "frequency": "weekly",
        "motivation": ["networking", "experience"], "topics": ["startups", "books"],
        "about": profile.about, "language": profile.locale,
    }
    assert DialogState.get_by_id(101).state == "ProfileState"


def test_questions_are_numbered_like_the_profile_rows(participant: Participant) -> None:
    participant.command("start")
    assert participant.texts()[-1].startswith("1. ")
    participant.send("Олена")
    assert participant.texts()[-1].startswith("2. А прізвище?")


def test_phone_question_offers_the_contact_button_and_removes_it_afterwards(
        participant: Participant) -> None:
    participant.command("start")
    participant.send("Олена")
    phone_question = participant.send("Коваль")[-1]
    assert [[b.label for b in row] for row in phone_question.keyboard] == [
        ["Поділитися номером"], ["Пропустити"]]
    assert phone_question.keyboard[0][0].request_contact

    after = participant.share_contact()
    assert after[0].remove_keyboard and participant.reply_keyboard == []
    assert participant.texts(after)[-1] == "4. Де ви працюєте або чим займаєтеся?"


def test_skipping_the_phone_stores_no_number(participant: Participant) -> None:
    participant.complete_profile(Profile(phone=None))
    assert stored_answers(101)["phone"] is None
    assert User.get_by_id(101).phone is None
    assert "3. Телефон: —" in participant.last.text


def test_registered_participant_gets_the_profile_on_start(participant: Participant) -> None:
    participant.complete_profile()
    texts = participant.texts(participant.command("start"))
    assert texts == [participant.last.text]
    assert texts[0].startswith("Ваш профіль")
    assert participant.last.labels == ["Змінити відповідь", "Пропустити тиждень з 30 листопада",
                                       "🌐 Мова"]


def test_editing_answer_three_changes_only_that_answer(participant: Participant) -> None:
    participant.complete_profile()
    before = stored_answers(101)

    participant.press("Змінити відповідь")
    assert participant.last.labels[:3] == ["1. Ім’я", "2. Прізвище", "3. Телефон"]
    question = participant.press("3. Телефон")
    assert participant.texts(question) == [
        "3. Поділіться номером телефону кнопкою нижче, щоб партнер міг вам зателефонувати. "
        "Цей крок можна пропустити."]
    replies = participant.share_contact("+380671234567")

    assert "3. Телефон: +380671234567" in participant.texts(replies)[-1]
    assert stored_answers(101) == {**before, "phone": "+380671234567"}
    assert DialogState.get_by_id(101).state == "ProfileState"
    assert DialogState.get_by_id(101).context["stack"] == []


def test_editing_a_multiple_choice_starts_from_the_current_picks(
        participant: Participant) -> None:
    participant.complete_profile()
    participant.press("Змінити відповідь")
    participant.press("7. Теми")
    assert [label for label in participant.last.labels if label.startswith("✅")] == [
        "✅ Стартапи", "✅ Книжки"]
    participant.press("Книжки")
    participant.press("Музика")
    replies = participant.press("Готово")
    assert "7. Теми: Стартапи, Музика" in participant.texts(replies)[-1]
    assert stored_answers(101)["topics"] == ["startups", "music"]


def test_multiple_choice_toggles_in_place(participant: Participant) -> None:
    participant.complete_profile()
    participant.press("Змінити відповідь")
    participant.press("6. Мета зустрічей")
    question = participant.last

    toggled = participant.press("Весело провести час")
    assert len(toggled) == 1 and toggled[0].edit_message_id == question.message_id
    assert "✅ Весело провести час" in participant.message(question.message_id).labels
    untoggled = participant.press("Нетворкінг")
    assert untoggled[0].edit_message_id == question.message_id
    assert "Нетворкінг" in participant.message(question.message_id).labels
    participant.press("Готово")
    assert stored_answers(101)["motivation"] == ["fun", "experience"]


def test_multiple_choice_bounds_are_explained(participant: Participant) -> None:
    participant.complete_profile()
    participant.press("Змінити відповідь")
    participant.press("7. Теми")
    participant.press("Стартапи")
    participant.press("Книжки")
    assert participant.texts(participant.press("Готово"))[0] == \
        "Оберіть щонайменше 1 варіант і натисніть «Готово»."
    for topic in ("Маркетинг", "Дизайн", "Освіта", "Спорт", "Музика"):
        participant.press(topic)
    assert participant.texts(participant.press("Книжки")) == [
        "Можна обрати щонайбільше 5 варіантів: спершу зніміть один."]
    participant.press("Готово")
    assert stored_answers(101)["topics"] == ["marketing", "design", "education", "sports",
                                             "music"]


def test_skip_and_undo_the_week(participant: Participant) -> None:
    participant.complete_profile()
    profile = participant.last

    redrawn = participant.press("Пропустити тиждень з 30 листопада")
    assert redrawn[-1].edit_message_id == profile.message_id
    assert "Тиждень з 30 листопада: пропущено" in participant.message(
        profile.message_id).text
    assert Participation.get(Participation.user == 101).status == "skip"
    assert "Все ж узяти участь з 30 листопада" in participant.message(
        profile.message_id).labels

    participant.press("Все ж узяти участь з 30 листопада")
    assert Participation.select().where(Participation.user == 101).count() == 0
    assert "Тиждень з 30 листопада: запрошення прийде: четвер" in participant.message(
        profile.message_id).text


def test_switching_the_language(participant: Participant) -> None:
    participant.complete_profile()
    participant.press("🌐 Мова")
    assert participant.last.labels == ["English", "Українська"]
    replies = participant.press("English")
    assert participant.texts(replies)[-1].startswith("Your profile")
    assert "9. Language: English" in participant.texts(replies)[-1]
    assert "Week from 30 November: the invitation comes on Thursday" in \
        participant.texts(replies)[-1]
    assert User.get_by_id(101).locale == "en"
    assert participant.last.labels[0] == "Edit an answer"


def test_what_participants_type_is_shown_literally(participant: Participant) -> None:
    participant.complete_profile(Profile(first_name="<b>&", about="a < b & c > d"))
    html = participant.last.reply.text
    assert "&lt;b&gt;&amp;" in html and "<b>&" not in html
    assert "1. Ім’я: <b>&" in participant.last.text
    assert "8. Про себе: a < b & c > d" in participant.last.text


def test_start_in_the_middle_of_the_questionnaire_resumes(participant: Participant) -> None:
    """A newcomer who sends /start again at question 3 is not sent back to question 1."""
    participant.command("start")
    participant.send("Олена")
    participant.send("Коваль")
    assert participant.texts(participant.command("start")) == [
        "Продовжую з того місця, де ви зупинилися:",
        "3. Поділіться номером телефону кнопкою нижче, щоб партнер міг вам зателефонувати. "
        "Цей крок можна пропустити."]
    assert Answer.get(Answer.user == 101, Answer.key == "first_name").value == "Олена"
    participant.share_contact()
    assert participant.texts()[-1].startswith("4. ")
