"""The organizers' tools over HTTP to the fake Bot API with the real runner: the chart arrives
as a photo and the exports as CSV documents; a broadcast goes out through the outbox when the
in-process schedule delivers, to each participant once, even when the bot is stopped and
started again; participants cannot reach /admin."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from coffee.models import SCHEMAS
from coffee.organizers import act_as, draft_broadcast, start_broadcast
from engine.store import DialogState, User, open_database
from engine.transports.plain import html_to_text
from tests.kit import FakeBotAPI
from tests.kit.databases import database_url
from tests.kit.drivers.telegram import TelegramUser
from tests.kit.running import RunningBot, eventually
from tests.kit.settings import ADMIN_ID

PEOPLE = range(301, 311)
NEWS = "<b>Meetup</b> on Friday at 19:00"


def registered_people(database: Path | str, people: range = PEOPLE) -> None:
    """Registered participants (ten by default), as the profile flow leaves them, in the test
    database named by a path, or in the database of a URL."""
    db = open_database(database if isinstance(database, str) else database_url(database),
                       SCHEMAS)
    now = dt.datetime.now(dt.UTC)
    for uid in people:
        User.create(id=uid, first_name=f"Name{uid}", last_name="Test", locale="en",
                    registered=True, created_at=now)
        DialogState.create(user=uid, context={})
    db.close()


def news_copies(fake: FakeBotAPI) -> dict[int, int]:
    return {uid: sum(1 for m in fake.sent(uid) if m.text == NEWS) for uid in PEOPLE}


def test_files_and_a_broadcast_over_telegram(fake: FakeBotAPI, tmp_path: Path) -> None:
    registered_people(tmp_path / "bot.sqlite3")
    with RunningBot(fake, tmp_path) as bot:
        organizer = bot.user(ADMIN_ID, first_name="Org", language_code="en")
        step = organizer.command("admin")
        assert step.texts[0].startswith("<b>Organizers: at a glance</b>")

        bot.push(organizer.press_update("📈 Chart of the last rounds"))  # matplotlib loads
        eventually(lambda: fake.calls("sendPhoto", ADMIN_ID), 30, "the chart")
        photo = next(m for m in organizer.sent() if m.file)
        assert photo.file is not None and photo.file.kind == "photo"
        assert photo.file.data.startswith(b"\x89PNG")

        organizer.press("📄 Exports")
        bot.push(organizer.press_update("Participants"))
        eventually(lambda: fake.calls("sendDocument", ADMIN_ID), 30, "the export")
        document = [m for m in organizer.sent() if m.file and m.file.kind == "document"][-1]
        assert document.file is not None and document.file.name.startswith(
            "Random Coffee - participants - ")
        lines = document.file.data.decode("utf-8").splitlines()
        assert lines[0].startswith("\ufeffTelegram id,Username,Name in Telegram,Language")
        assert [line.split(",")[0] for line in lines[1:]][:10] == [str(u) for u in PEOPLE]
        organizer.press("⬅️ Menu")

        organizer.press("📣 News broadcast")
        organizer.press("✍️ Write a new broadcast")
        organizer.send(NEWS)
        organizer.press("Without a photo")
        step = organizer.press("Everyone registered", replies=3)
        assert step.texts[0] == "This is how its 10 recipients will see it:"
        assert step.texts[1] == NEWS
        screen = organizer.keyboard_message()
        bot.push(organizer.press_update("📨 Send"))  # the question becomes the progress
        shown = eventually(lambda: next((m for m in organizer.sent() if m.message_id ==
                                         screen.message_id and m.text != screen.text), None),
                           10, "the progress")
        assert shown.text == "<b>Broadcast</b> (going out)\nSent: 0 of 10. Blocked the bot: 0. " \
                             "Waiting: 10."
        assert news_copies(fake) == dict.fromkeys(PEOPLE, 0)  # queued, not sent yet

        participant = bot.user(301, first_name="Name301", language_code="en")
        step = participant.command("admin")
        assert step.texts[0].startswith("I do not know the command /admin.")

    # The in-process schedule delivers the queue at its first check after a start.
    bot = RunningBot(fake, tmp_path, settings={"SCHEDULE_IN_PROCESS": "yes"})
    with bot:
        eventually(lambda: all(news_copies(fake).values()), 20, "the broadcast to go out")
    with RunningBot(fake, tmp_path, settings={"SCHEDULE_IN_PROCESS": "yes"}):
        eventually(lambda: bool(fake.calls("getUpdates")), 20, "the runner to poll")
    assert news_copies(fake) == dict.fromkeys(PEOPLE, 1)  # once each, after a restart too
    rows = bot.query("select status, count(*) from outbox where kind = 'broadcast' "
                     "group by status")
    assert rows == [("sent", 10)]
    audit = bot.query("select action from audit_entry order by id")
    assert audit == [("broadcast_draft",), ("broadcast_start",)]


def test_a_broadcast_goes_out_within_seconds_with_the_in_process_schedule(
        fake: FakeBotAPI, tmp_path: Path) -> None:
    """Send pressed in /admin, or in the panel (another process): the delivery starts within
    seconds, not at the schedule's next check a minute later."""
    registered_people(tmp_path / "bot.sqlite3")
    with RunningBot(fake, tmp_path, settings={"SCHEDULE_IN_PROCESS": "yes"}) as bot:
        organizer = bot.user(ADMIN_ID, first_name="Org", language_code="en")
        organizer.command("admin")
        organizer.press("📣 News broadcast")
        organizer.press("✍️ Write a new broadcast")
        organizer.send(NEWS)
        organizer.press("Without a photo")
        organizer.press("Everyone registered", replies=3)
        bot.push(organizer.press_update("📨 Send"))
        eventually(lambda: all(news_copies(fake).values()), 15, "the broadcast to go out")
        eventually(lambda: any(m.text.startswith("<b>Broadcast</b> (sent)")
                               for m in organizer.sent()), 15, "the author's report")

        db = open_database(bot.database_url, SCHEMAS)  # what the panel's Send does
        try:
            actor = act_as(ADMIN_ID, frozenset({ADMIN_ID}))
            second = draft_broadcast(actor, "Second <i>news</i>", "all", ["uk", "en"])
            start_broadcast(actor, second.id)
        finally:
            db.close()
        eventually(lambda: all(any(m.text == "Second <i>news</i>" for m in fake.sent(uid))
                               for uid in PEOPLE), 15, "the panel's broadcast to go out")
    assert news_copies(fake) == dict.fromkeys(PEOPLE, 1)


def test_the_organizer_menu_follows_an_appointment_at_once(fake: FakeBotAPI,
                                                           tmp_path: Path) -> None:
    registered_people(tmp_path / "bot.sqlite3")
    chat = json.dumps({"chat_id": 301, "type": "chat"}, sort_keys=True)

    def menus(method: str) -> dict[str | None, list[str]]:
        return {call.params.get("language_code"): [c["command"] for c in
                                                   call.params.get("commands", [])]
                for call in fake.calls(method)
                if json.dumps(call.params.get("scope"), sort_keys=True) == chat}

    with RunningBot(fake, tmp_path) as bot:
        assert menus("setMyCommands") == {}  # not an organizer at the start
        organizer = bot.user(ADMIN_ID, first_name="Org", language_code="en")
        organizer.command("admin")
        organizer.press("🔎 Find a participant")
        organizer.send("301")  # one match: the card at once
        bot.push(organizer.press_update("⭐ Make an organizer"))  # the card is edited in place
        eventually(lambda: len(menus("setMyCommands")) == 3, 10, "the organizer menu")
        assert menus("setMyCommands")["en"] == ["admin", "feedback", "info", "start", "status"]
        assert set(menus("setMyCommands")) == {None, "en", "uk"}
        # the edited card may arrive after the menus (the dialogue runs in worker threads)
        eventually(lambda: any("Revoke organizer rights" in label
                               for label in organizer.buttons()), 10, "the card offering revoke")
        bot.push(organizer.press_update("Revoke organizer rights"))
        eventually(lambda: len(menus("deleteMyCommands")) == 3, 10, "the menu taken away")
    rows = bot.query("select action, target from audit_entry order by id")
    assert rows == [("appoint", "301"), ("revoke", "301")]


def test_an_organizer_session_gets_no_refusal_from_telegram(fake: FakeBotAPI,
                                                            tmp_path: Path) -> None:
    """Every screen, the chart and the exports, a test broadcast refreshed after it finished:
    Telegram answers every call with 200 (no "message is not modified", no bad HTML)."""
    registered_people(tmp_path / "bot.sqlite3")
    with RunningBot(fake, tmp_path, settings={"SCHEDULE_IN_PROCESS": "yes"}) as bot:
        organizer = bot.user(ADMIN_ID, first_name="Org", language_code="en")
        organizer.command("admin")
        bot.push(organizer.press_update("📈 Chart of the last rounds"))
        eventually(lambda: fake.calls("sendPhoto", ADMIN_ID), 30, "the chart")
        for screen, back in (("🔁 Round control", "⬅️ Menu"), ("📬 Notes", "⬅️ Menu"),
                             ("🚪 Registration and access lists", "⬅️ Menu"),
                             ("⚙️ Settings", "⬅️ Menu"), ("👥 Organizers", "⬅️ Menu")):
            organizer.press(screen)
            organizer.press(back)
        organizer.press("🔁 Round control")
        organizer.press("👀 Preview the pairs")
        organizer.press("⬅️ Menu")
        organizer.press("📄 Exports")
        bot.push(organizer.press_update("Meetings and feedback"))
        eventually(lambda: fake.calls("sendDocument", ADMIN_ID), 30, "the export")
        organizer.press("⬅️ Menu")
        organizer.press("🔎 Find a participant")
        organizer.send("301")  # one match: the card at once
        organizer.sees("Name301 Test (301)")
        organizer.press("⬅️ Menu")
        organizer.press("📣 News broadcast")
        organizer.press("✍️ Write a new broadcast")
        organizer.send("<b>Test</b> of the week")
        organizer.press("Without a photo")
        step = organizer.press("Organizers only (a test)", replies=3)
        assert step.texts[0] == "This is how its 1 recipient will see it:"
        screen = organizer.keyboard_message()
        assert screen.text == "Send it to 1 person?"
        bot.push(organizer.press_update("📨 Send"))
        eventually(lambda: any((m.text or "").startswith("<b>The news broadcast has gone out")
                               for m in organizer.sent()), 20, "the report")
        eventually(lambda: "(sent)" in next(m.text or "" for m in organizer.sent()
                                            if m.message_id == screen.message_id), 10,
                   "the progress at its end")
        calls = len(fake.calls(chat_id=ADMIN_ID))
        bot.push(organizer.press_update("🔄 Refresh"))  # finished: nothing new to show
        eventually(lambda: fake.calls("answerCallbackQuery")[-1:] and
                   len(fake.calls(chat_id=ADMIN_ID)) > calls, 10, "the press answered")
        organizer.press("⬅️ Menu")
        assert fake.errors(ADMIN_ID) == []


def write(organizer: TelegramUser, text: str) -> None:
    """/admin, a new broadcast of `text` without a photo; the audience question is next."""
    organizer.command("admin")
    organizer.press("📣 News broadcast")
    organizer.press("✍️ Write a new broadcast")
    organizer.send(text)
    organizer.press("Without a photo")


def test_a_broadcast_telegram_refuses_is_reported_as_refused(fake: FakeBotAPI,
                                                             tmp_path: Path) -> None:
    """The preview refused: the broadcast stops there, Telegram's reason said, no Send. The
    recipients' copies refused: it stops after the first refusal, and the progress and the
    report count it as refused; never "has gone out"."""
    registered_people(tmp_path / "bot.sqlite3")
    reason = 'Bad Request: can\'t parse entities: unsupported start tag "nope"'
    with RunningBot(fake, tmp_path, settings={"SCHEDULE_IN_PROCESS": "yes"}) as bot:
        organizer = bot.user(ADMIN_ID, first_name="Org", language_code="en")
        fake.refuse("<b>Refused</b> everywhere", reason)
        write(organizer, "<b>Refused</b> everywhere")
        step = organizer.press("Everyone registered", replies=2)
        assert step.texts[0] == "This is how its 10 recipients will see it:"
        told = organizer.sees("Telegram refused the preview of this broadcast")
        assert told.endswith("can't parse entities: unsupported start tag \"nope\"")
        assert "📨 Send" not in organizer.buttons()
        assert not any("Send it to" in (m.text or "") for m in organizer.sent())

        fake.refuse("<b>Refused</b> by others", reason, chats=PEOPLE)
        write(organizer, "<b>Refused</b> by others")
        organizer.press("Everyone registered", replies=3)
        screen = organizer.keyboard_message()
        bot.push(organizer.press_update("📨 Send"))
        report = eventually(lambda: next((m.text for m in organizer.sent() if (m.text or "")
                                          .startswith("<b>Telegram refused")), None), 20,
                            "the report")
        assert report.startswith("<b>Telegram refused the news broadcast: it was stopped.</b>")
        refused = int(report.split("Refused by Telegram: ")[1].split(" ")[0])
        assert 1 <= refused <= 8  # the first refusal, and what was on its way then
        assert f"Refused by Telegram: {refused} — " in report
        assert "parse entities: unsupported start tag \"nope\"" in html_to_text(report)
        assert "Sent: 0 of 10." in report and f"Not sent: {10 - refused}." in report
        progress = next(m.text or "" for m in organizer.sent() if m.message_id ==
                        screen.message_id)
        assert "(refused by Telegram)" in progress
        assert f"Refused by Telegram: {refused}" in progress
        said = " ".join(m.text or "" for m in organizer.sent())
        assert "has gone out" not in said
    rows = bot.query("select status, count(*) from outbox where kind = 'broadcast' "
                     "group by status order by status")
    assert rows == [("expired", 10 - refused), ("refused", refused)]
