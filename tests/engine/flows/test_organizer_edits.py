"""What organizers and translators change without Python: a new flow with a number question and
branches, a new profile question (no schema change), a template shaped for one language."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from coffee.app import Bot, build_bot, reload_bot
from engine.store import Answer
from tests.kit.clock import Clock
from tests.kit.participant import ENGLISH_PROFILE, Participant, Profile
from tests.kit.workspace import Workspace

AGE_FLOW = """\
flow: age
command: age
description: "How old are you?"
answers: context
returns: true
initial: AskAgeState
states:
  AskAgeState:
    ask:
      text: "How old are you?"
      answer: age
      input: number
      min: 14
      max: 120
    next:
      - when: "context.age >= 18"
        goto: AdultState
      - goto: YoungState
  AdultState:
    text: "Welcome, {{ user.first_name }}!"
  YoungState:
    text: "Ask your parents first."
"""

TRANSLATIONS = {
    "How old are you?": "Скільки вам років?",
    "Welcome, {{ user.first_name }}!": "Вітаємо, {{ user.first_name }}!",
    "Ask your parents first.": "Спершу спитайте батьків.",
    "Your city": "Ваше місто",
    "Which city do you live in?": "У якому місті ви живете?",
}


def translate(workspace: Workspace) -> None:
    """Add the new texts to the Ukrainian catalog, as a translator would (English is the
    language the flows are written in: it has no catalog)."""
    path = workspace.root / "locales" / "uk" / "LC_MESSAGES" / "messages.po"
    entries = "".join(f'\nmsgid "{msgid}"\nmsgstr "{uk}"\n' for msgid, uk in TRANSLATIONS.items())
    path.write_text(path.read_text(encoding="utf-8") + entries, encoding="utf-8")


def add_city_question(workspace: Workspace) -> None:
    """A tenth question between "about" and the language, as an organizer would add it: one
    line in `questions:` and one state."""
    start = "flows/start.yaml"
    workspace.edit(start, "  - AskAboutState\n", "  - AskAboutState\n  - AskCityState\n")
    workspace.edit(start, "  AskLanguageState:\n", (
        "  AskCityState:\n    ask:\n      text: \"Which city do you live in?\"\n"
        "      title: \"Your city\"\n      answer: city\n      max_length: 80\n\n"
        "  AskLanguageState:\n"))


@pytest.fixture
def make_bot(workspace: Workspace, clock: Clock) -> Iterator[Callable[..., Bot]]:
    """Builds the bot from the edited workspace: the age flow, the English `registered`
    template, the translations, and with `city=True` the tenth question."""
    built: list[Bot] = []

    def make(*, city: bool = False) -> Bot:
        (workspace.root / "flows" / "age.yaml").write_text(AGE_FLOW, encoding="utf-8")
        if city:
            add_city_question(workspace)
        (workspace.root / "templates" / "en").mkdir()
        (workspace.root / "templates" / "en" / "registered.j2").write_text(
            "All set, {{ answers.first_name }}: see you on Thursday!", encoding="utf-8")
        translate(workspace)
        built.append(build_bot(workspace.settings(), clock=clock))
        return built[-1]

    yield make
    for bot in built:
        bot.database.close()


def test_number_question_with_branches(make_bot: Callable[..., Bot]) -> None:
    olena = Participant(make_bot().engine, 1, first_name="Olena")
    assert olena.texts(olena.command("age")) == ["Скільки вам років?"]
    assert olena.texts(olena.send("тридцять"))[0] == "Відповідайте, будь ласка, числом."
    assert olena.texts(olena.send("7"))[0] == \
        "Відповідайте, будь ласка, числом від 14 до 120."
    assert olena.texts(olena.send("30")) == ["Вітаємо, Olena!"]
    assert Answer.select().where(Answer.key == "age").count() == 0  # kept in the flow only
    assert olena.texts(olena.command("age")) == ["Скільки вам років?"]
    assert olena.texts(olena.send("16")) == ["Спершу спитайте батьків."]


def test_new_profile_question_needs_no_schema_change(make_bot: Callable[..., Bot]) -> None:
    taras = Participant(make_bot(city=True).engine, 2, language_code="en")
    taras.command("start")
    for answer in ("Taras", "Shevchenko"):
        taras.send(answer)
    taras.share_contact()
    taras.send("Poetry")
    taras.press("Every week")
    taras.press("Networking")
    taras.press("Done")
    taras.press("Books")
    taras.press("Done")
    question = taras.send("I write.")
    assert taras.texts(question) == ["9. Which city do you live in?"]
    taras.send("Kyiv")
    taras.press("English")
    assert Answer.get(Answer.user == 2, Answer.key == "city").value == "Kyiv"
    assert "9. Your city: Kyiv" in taras.last.text and "10. Language: English" in taras.last.text


def test_a_template_can_take_another_shape_in_one_language(
        make_bot: Callable[..., Bot]) -> None:
    engine = make_bot().engine
    english = Participant(engine, 3, language_code="en")
    ukrainian = Participant(engine, 4, language_code="uk")
    for person, locale in ((english, "en"), (ukrainian, "uk")):
        person.complete_profile(Profile(locale=locale, first_name="Iryna"))
    english_texts = [message.text for message in english.chat]
    assert "All set, Iryna: see you on Thursday!" in english_texts
    assert any(text.startswith("Готово, ваш профіль заповнено!") for text in
               (message.text for message in ukrainian.chat))


def test_moving_one_line_reorders_the_questionnaire(workspace: Workspace, clock: Clock) -> None:
    """Topics asked before motivation: asked, numbered, shown and edited in the new order."""
    workspace.edit("flows/start.yaml", "  - AskMotivationState\n  - AskTopicsState\n",
                   "  - AskTopicsState\n  - AskMotivationState\n")
    bot = build_bot(workspace.settings(), clock=clock)
    try:
        olga = Participant(bot.engine, 5, language_code="en")
        olga.command("start")
        for answer in ("Olga", "Koval"):
            olga.send(answer)
        olga.share_contact()
        olga.send("Grain Coffee")
        assert olga.texts(olga.press("Every week"))[-1].startswith(
            "6. What would you like to talk about?")
        olga.press("Books")
        assert olga.texts(olga.press("Done"))[-1].startswith("7. Why do you want to meet")
        olga.press("Networking")
        assert olga.texts(olga.press("Done"))[-1].startswith("8. Tell your future partners")
        olga.send("Hi")
        olga.press("English")
        assert "6. Topics: Books\n7. Motivation: Networking" in olga.last.text
        olga.press("Edit an answer")
        assert olga.keyboard_message().labels[5:7] == ["6. Topics", "7. Motivation"]
    finally:
        bot.database.close()


def test_a_required_question_added_later_is_asked_at_the_next_start(
        workspace: Workspace, clock: Clock) -> None:
    """Registered before the city question existed: after the reload the profile shows it
    missing, and /start asks exactly that question, then shows the profile again."""
    bot = build_bot(workspace.settings(), clock=clock)
    try:
        olga = Participant(bot.engine, 6, language_code="en")
        olga.complete_profile(ENGLISH_PROFILE)
        add_city_question(workspace)
        translate(workspace)
        assert reload_bot(bot) == []

        olga.press("Edit an answer")  # any step shows the profile of the new version
        olga.press("Back to the profile")
        assert "9. Your city: —\n10. Language: English" in olga.last.text

        assert olga.texts(olga.command("start")) == [
            "There is a new question in the profile. Please answer it:",
            "9. Which city do you live in?"]
        replies = olga.send("Lviv")
        assert len(replies) == 1 and "9. Your city: Lviv" in olga.texts(replies)[0]
        assert olga.texts(replies)[0].startswith("Your profile")
        assert olga.texts(olga.command("start"))[0].startswith("Your profile")
    finally:
        bot.database.close()


def test_new_questions_are_asked_in_the_questionnaires_order(
        workspace: Workspace, clock: Clock) -> None:
    """Two questions added at once (Ukrainian here): both asked, in the list's order."""
    bot = build_bot(workspace.settings(), clock=clock)
    try:
        olena = Participant(bot.engine, 7, language_code="uk")
        olena.complete_profile()
        add_city_question(workspace)
        workspace.edit("flows/start.yaml", "  - AskPhoneState\n",
                       "  - AskPhoneState\n  - AskPetState\n")
        workspace.edit("flows/start.yaml", "  AskLanguageState:\n", (
            "  AskPetState:\n    ask:\n      text: \"Which pet do you have?\"\n"
            "      title: \"Pet\"\n      answer: pet\n      skip: \"Skip\"\n\n"
            "  AskLanguageState:\n"))
        translate(workspace)
        assert reload_bot(bot) == []
        texts = olena.texts(olena.command("start"))
        # The pet question may be skipped: only the city is needed.
        assert texts == ["У профілі з’явилося 1 нове запитання. Дайте, будь ласка, відповідь:",
                         "10. У якому місті ви живете?"]
        profile = olena.texts(olena.send("Львів"))[-1]
        # "Pet" has no translation yet: the profile is shown whole in English until it has,
        # never half in Ukrainian.
        assert profile.startswith("Your profile\n\n1. First name: Олена\n")
        assert "4. Pet: —" in profile and "10. Your city: Львів" in profile
        assert Answer.get(Answer.user == 7, Answer.key == "city").value == "Львів"
    finally:
        bot.database.close()
