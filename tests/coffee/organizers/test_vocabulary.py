"""The organizers' vocabulary: a word for every id the application stores, translated into
Ukrainian, with Ukrainian and English plural forms; the flows' options and questions as the
participants' buttons say them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coffee.app import Bot
from coffee.cycle.participation import INVITED, NO, SKIP, YES
from coffee.cycle.rounds import STATUS_ORDER
from coffee.cycle.schedule import JOBS as JOB_NAMES
from coffee.organizers import ALLOW, BLOCK, DEFINITIONS, REGISTRATION_MODES, Words, vocabulary
from coffee.organizers.broadcasts import (
    ALL,
    CANCELLED,
    DONE,
    DRAFT,
    ORGANIZERS,
    ROUND,
    SENDING_STATUS,
)
from coffee.organizers.stats import meeting_status
from coffee.organizers.vocabulary import (
    ACTIONS,
    AUDIENCE,
    BROADCAST,
    COLUMNS,
    DECLINE,
    DELIVERY,
    JOB_COUNTS,
    JOBS,
    LIST,
    MEETING,
    MODE,
    NOUNS,
    PARTICIPATION,
    SETTINGS,
    STATUSES,
    WHY_NOT,
)
from engine.delivery import outbox
from engine.settings import PROJECT_ROOT


def words(bot: Bot, locale: str) -> Words:
    return bot.parts.vocabulary.words(locale)


def test_every_stored_status_has_a_word() -> None:
    assert set(STATUSES[vocabulary.ROUND]) >= set(STATUS_ORDER)
    assert set(STATUSES[PARTICIPATION]) >= {INVITED, YES, NO, SKIP}
    assert set(STATUSES[BROADCAST]) >= {DRAFT, SENDING_STATUS, DONE, CANCELLED}
    assert set(STATUSES[AUDIENCE]) >= {ALL, ROUND, ORGANIZERS}
    assert set(STATUSES[DELIVERY]) >= {outbox.PENDING, outbox.SENDING, outbox.SENT,
                                       outbox.UNREACHABLE, outbox.EXPIRED, outbox.REFUSED}
    assert set(STATUSES[MODE]) == set(REGISTRATION_MODES)
    assert set(STATUSES[LIST]) == {ALLOW, BLOCK}
    assert set(SETTINGS) == set(DEFINITIONS)
    assert set(JOBS) == set(JOB_NAMES)


def recorded_actions() -> set[str]:
    """Every audit action the organizer operations write: `record(actor, "<action>", …)`,
    and the access lists' names (recorded as the action)."""
    found = {ALLOW, BLOCK}
    for path in (PROJECT_ROOT / "coffee").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "record" \
                    and len(node.args) > 1:
                action = node.args[1]
                if isinstance(action, ast.Constant):
                    found.add(action.value)
                elif isinstance(action, ast.IfExp):
                    found |= {part.value for part in (action.body, action.orelse)
                              if isinstance(part, ast.Constant)}
    return found


def test_every_audit_action_has_a_word() -> None:
    actions = recorded_actions()
    assert {"ban", "unban", "setting", "run_job", "broadcast_start"} <= actions
    assert actions <= set(ACTIONS), actions - set(ACTIONS)


def test_every_word_is_translated_to_ukrainian(bot: Bot) -> None:
    catalog = bot.parts.catalogs.catalogs["uk"]
    msgids = [label for table in (*STATUSES.values(), SETTINGS, ACTIONS, JOBS, JOB_COUNTS,
                                  COLUMNS) for label in table.values()]
    msgids += [singular for singular, _plural in NOUNS.values()]
    missing = [msgid for msgid in msgids
               if not (catalog.get(msgid) and catalog.get(msgid).string
                       and not catalog.get(msgid).fuzzy)]
    assert missing == []


@pytest.mark.parametrize(("locale", "expected"), [
    ("uk", ["1 людина", "2 людини", "5 людей", "11 людей", "21 людина", "24 людини"]),
    ("en", ["1 person", "2 people", "5 people", "11 people", "21 people", "24 people"]),
])
def test_numbers_meet_nouns_in_each_languages_plural_forms(bot: Bot, locale: str,
                                                           expected: list[str]) -> None:
    assert [words(bot, locale).count("people", n) for n in (1, 2, 5, 11, 21, 24)] == expected


def test_answers_read_as_the_participants_buttons_said_them(bot: Bot) -> None:
    uk, en = words(bot, "uk"), words(bot, "en")
    assert (uk.question("frequency"), uk.answer("frequency", "weekly")) == ("Як часто",
                                                                            "Щотижня")
    assert (en.question("frequency"), en.answer("frequency", "biweekly")) == (
        "How often", "Every two weeks")
    assert en.answer("motivation", ["networking", "fun"]) == "Networking, Having fun"
    assert uk.answer("language", "en") == "English"
    assert uk.answer("about", "") == "—"
    assert en.answer("frequency", "monthly") == "monthly"  # no option (any more): shown as is
    rows = en.answers({"topics": ["books"], "first_name": "Olena", "legacy": "x"})
    assert rows[0] == ("First name", "Olena")
    assert ("Topics", "Books") in rows and rows[-1] == ("legacy", "x")
    assert en.reason(DECLINE, "no_time") == "No time"
    assert en.reason(DECLINE, None) == "Rather not say"
    assert uk.reason(WHY_NOT, "no_answer") == "Партнер не відповів"


def test_statuses_settings_and_jobs_in_words(bot: Bot) -> None:
    uk, en = words(bot, "uk"), words(bot, "en")
    assert uk.status(PARTICIPATION, "skip") == "пропускає цей тиждень"
    assert en.status(AUDIENCE, "locale:uk") == "Українська"
    assert uk.status(MODE, "allow-list") == "лише за списком дозволених"
    assert uk.status(LIST, "block") == "список заборонених"
    assert uk.setting("schedule_invite") == "Запрошення: день і час"
    assert uk.setting_value("schedule_invite", "thu 09:00") == "четвер, 09:00"
    assert en.setting_value("schedule_match", "mon 08:00") == "Monday, 8:00\u202fAM"
    assert en.setting_value("registration_mode", "closed") == "closed to newcomers"
    assert uk.action("ban") == "Відсторонено"
    assert uk.job_counts({"invited": 31, "already invited": 0, "skipped": 3}) == \
        "Запрошено: 31. Пропускають цей тиждень: 3."
    assert en.job_counts({"invited": 0}) == "Nothing to do."
    assert uk.weekdays()["четвер"] == 3 and uk.weekdays()["thursday"] == 3


def test_a_meeting_is_what_its_members_said() -> None:
    assert meeting_status([True, None]) == "met"
    assert meeting_status([True, False]) == "split"
    assert meeting_status([False, False, None]) == "not_met"
    assert meeting_status([None, None]) == "unknown"
    assert set(STATUSES[MEETING]) == {"met", "not_met", "split", "unknown"}


def test_the_vocabulary_is_extracted_for_translators() -> None:
    pot = (PROJECT_ROOT / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert "coffee/organizers/vocabulary.py" in pot
    assert 'msgid_plural "%(num)s people"' in pot
    assert Path(PROJECT_ROOT / "coffee" / "organizers" / "vocabulary.py").is_file()
