"""The Ukrainian wording native speakers asked for, pinned: each reviewed text, the plural
"партнерами" for a trio, and one voice: the bot speaks as "я" throughout (the only "ми" is a
participant's own answer, "Так, ми зустрілися")."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from engine.settings import PROJECT_ROOT

PARTICIPANTS_OWN_WORDS = {"Yes, we met", "We could not agree on a time or place"}
# "ми", "нам", "нас", "наш…", and the first person plural of verbs ("зробимо", "пишемо").
WE = re.compile(r"(?<![\w’'])(ми|нам|нас|нами|наш\w*)(?![\w’'])|\w+(ємо|имо|емо|ьмо)(?![\w’'])",
                re.IGNORECASE)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with (PROJECT_ROOT / "locales" / "uk" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale="uk")


def forms(catalog: Catalog, msgid: str) -> tuple[str, ...]:
    message = catalog.get(msgid)
    assert message is not None, msgid
    return tuple(message.string) if isinstance(message.string, tuple) else (message.string,)


@pytest.mark.parametrize(("msgid", "expected"), [
    ("Not interested", "Нецікаво"),
    ("Rather not say", "Волію не казати"),
    ("Please choose with the buttons below.", "Скористайтеся, будь ласка, кнопками нижче."),
    ("Motivation", "Мета зустрічей"),  # the profile's row and the introduction's alike
])
def test_reviewed_texts(catalog: Catalog, msgid: str, expected: str) -> None:
    assert forms(catalog, msgid) == (expected,)


def test_too_long_and_too_short_name_the_answer(catalog: Catalog) -> None:
    assert all(form.startswith("Відповідь задовга:") for form in forms(
        catalog, "That is too long: please keep it within %(count)s character."))
    assert all(form.startswith("Відповідь закоротка:") for form in forms(
        catalog, "That is too short: at least %(count)s character, please."))


def test_a_trio_hears_of_partners_in_the_plural(catalog: Catalog) -> None:
    one, *more = forms(catalog, "How was your Random Coffee this week? Did you manage to meet "
                                "%(names)s?")
    assert "із партнером" in one and all("із партнерами" in form for form in more)
    one, *more = forms(catalog, "Noted: you do not meet this week. I have told your partner.")
    assert one.endswith("вашого партнера.") and all(
        form.endswith("ваших партнерів.") for form in more)


def test_the_bot_speaks_in_one_voice(catalog: Catalog) -> None:
    plural = [(message.id, found.group(0)) for message in list(catalog)[1:]
              if message.id not in PARTICIPANTS_OWN_WORDS
              for form in (message.string if isinstance(message.string, tuple)
                           else (message.string,))
              for found in WE.finditer(form or "")]
    assert plural == []
