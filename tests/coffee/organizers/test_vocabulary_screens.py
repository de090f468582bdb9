"""Every organizer screen, walked in Ukrainian and in English, reads in words: no id of the
flows' options and questions, of a status, a setting, an audit action or a job appears where
the vocabulary has a label for it, in any message, button or CSV export; and the walk renders
every organizer template."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from coffee.admin import PREVIEW_OF
from coffee.admin.broadcast_progress import progress_edits
from coffee.app import Bot
from coffee.organizers import (
    ALLOW,
    BLOCK,
    Actor,
    add_entry,
    appoint,
    ban,
    change_setting,
    draft_broadcast,
    start_broadcast,
)
from engine.delivery.outbox import deliver_outbox
from engine.dialog.events import Reply
from engine.settings import PROJECT_ROOT
from engine.transports.plain import html_to_text
from tests.kit.community import Community, a_round
from tests.kit.participant import Participant
from tests.kit.settings import ADMIN_ID
from tests.kit.words import ids, label_words, leaks

# Every template an organizer reads (the screens of flows/admin.yaml and what they send).
ORGANIZER_TEMPLATES = {path.stem for path in (PROJECT_ROOT / "templates").glob("admin_*.j2")} | {
    "organizer_error", "organizers_reply", "appointed", "reply_refused"}


def included_by(names: Iterable[str]) -> set[str]:
    """The partial templates the templates `names` include."""
    found: set[str] = set()
    for name in names:
        path = PROJECT_ROOT / "templates" / f"{name}.j2"
        if path.is_file():
            found.update(re.findall(r'include "(\w+)\.j2"', path.read_text(encoding="utf-8")))
    return found


def spy_on_templates(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    rendered: set[str] = set()
    renderer = bot.parts.renderer
    render = renderer.render

    def recording(name: str, locale: str, variables: Any) -> str:
        rendered.add(name)
        return render(name, locale, variables)

    monkeypatch.setattr(renderer, "render", recording)
    return rendered


def community(town: Community, admin: Actor) -> None:
    """A round behind, a note, a suspension with its reason, both lists, changed settings,
    an appointed organizer, broadcasts done and refused, and more namesakes than a page."""
    a_round(town)
    town.people[202].press("Ні, не вийшло")
    town.people[202].press("Партнер не відповів")
    town.register(210, "John", "Smith", username="john_s", language="en")
    for uid in range(220, 232):
        town.register(uid, "Марко", f"Коваленко{uid}")
    town.people[201].command("feedback")
    town.people[201].send("Можна зустрічатися у вихідні?")
    ban(admin, 204, "Спам у чаті")
    add_entry(admin, ALLOW, "@friend_of_us")
    add_entry(admin, BLOCK, "@spam_account")
    change_setting(admin, "schedule_invite", "fri 12:00", town.bot.defaults)
    change_setting(admin, "registration_mode", "allow-list", town.bot.defaults)
    appoint(admin, 203)
    for text in ("Новини тижня", "Зламані новини"):
        start_broadcast(admin, draft_broadcast(admin, text, "round", ["en", "uk"]).id)
    town.send.refusing["Зламані новини"] = "Bad Request: can't parse entities"
    deliver(town)


def deliver(town: Community) -> None:
    hook = progress_edits(town.bot.parts.desk, town.send)
    asyncio.run(deliver_outbox(town.send, clock=town.clock, on_progress=hook,
                               on_refused=town.bot.refused))


def walk(town: Community, organizer: Participant, words: dict[str, str]) -> list[str]:
    """Every screen of /admin; what the organizer read (messages, buttons, files)."""
    said: list[str] = []

    def do(action: Callable[[], list[Reply]]) -> None:
        replies = action()
        for reply in replies:
            said.append(html_to_text(reply.text))
            said.extend(button.label for row in reply.buttons for button in row)
            if reply.attachment and reply.attachment.name.endswith(".csv"):
                said.extend(" ".join(row) for row in
                            csv.reader(io.StringIO(reply.attachment.data.decode("utf-8-sig"))))

    def press(label: str) -> None:
        do(lambda: organizer.press(words.get(label, label)))

    def send(text: str) -> None:
        do(lambda: organizer.send(text))

    do(lambda: organizer.command("admin"))
    press("🖥 Open the web panel")
    for person in ("@user_204", "@user_203", "@john_s"):
        press("🔎 Find a participant")
        send(person)
        if person == "@john_s":
            press("⭐ Make an organizer")
        press("⬅️ Menu")
    press("🔎 Find a participant")
    send("Нікого-такого")
    send("Марко")  # more than a page
    press("Search again")
    send("@user_202")
    press("⛔ Suspend")
    send("Просив паузу")
    press("No")
    press("⬅️ Menu")
    press("👥 Organizers")
    press("⬅️ Menu")
    press("🚪 Registration and access lists")
    press("➕ Put on the allow list")
    send("@friend_of_us")  # already there: refused in words
    send("@new_friend")
    press("⬅️ Menu")
    press("⚙️ Settings")
    press("Invitations: day and time")
    send("someday 9:00")
    send("mon 25:00")
    press("Cancel")
    press("⬅️ Menu")
    press("📣 News broadcast")
    press("✍️ Write a new broadcast")
    send("Hello <span>x</span>")
    send("<b>Тест</b>")
    press("Without a photo")
    press("Organizers only (a test)")
    press("📨 Send")
    deliver(town)
    press("🔄 Refresh")
    press("⬅️ Menu")
    press("🔁 Round control")
    press("👀 Preview the pairs")
    for confirm in ("Send the invitations now", "Make the pairs now", "Ask for feedback now"):
        press(confirm)
        press(organizer.buttons()[-1])  # back without running
    press("Send the invitations now")
    press("Yes, send them")
    press("⬅️ Menu")
    press("📬 Notes")
    press("↩️ Reply to a note")
    press(organizer.buttons()[0])
    send("<i>Так</i>, у суботу")
    press("⬅️ Menu")
    press("📄 Exports")
    press("Participants")
    press("Meetings and feedback")
    said.extend(html_to_text(reply.text) for reply in town.send.to(ADMIN_ID))
    return said


@pytest.mark.parametrize("locale", ["uk", "en"])
def test_every_organizer_screen_reads_in_words(town: Community, admin: Actor, locale: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    community(town, admin)
    town.bot.parts.desk.panel_link = lambda user_id: f"https://panel.example.org/login/{user_id}"
    rendered = spy_on_templates(town.bot, monkeypatch)
    organizer = Participant(town.bot.engine, ADMIN_ID, first_name="Org", username="org_admin",
                            language_code=locale)
    town.people[ADMIN_ID] = organizer
    renderer = town.bot.parts.renderer
    labels = ["🔎 Find a participant", "⬅️ Menu", "Search again", "⛔ Suspend", "No",
              "👥 Organizers", "🚪 Registration and access lists", "➕ Put on the allow list",
              "⚙️ Settings", "Invitations: day and time", "Cancel", "📣 News broadcast",
              "✍️ Write a new broadcast", "Without a photo", "Organizers only (a test)",
              "📨 Send", "🔄 Refresh", "🔁 Round control", "👀 Preview the pairs",
              "Send the invitations now", "Make the pairs now", "Ask for feedback now",
              "Yes, send them", "📬 Notes", "↩️ Reply to a note", "📄 Exports", "Participants",
              "Meetings and feedback", "⭐ Make an organizer", "🖥 Open the web panel"]
    words = {label: renderer.gettext(locale, label) for label in labels}
    said = walk(town, organizer, words)
    said.append(html_to_text(town.bot.reply_refused(
        ADMIN_ID, Reply(text="x", meta={PREVIEW_OF: 0}), "Bad Request: oops").text))

    missing = ORGANIZER_TEMPLATES - rendered - included_by(rendered)
    assert not missing, f"organizer templates the walk never showed: {sorted(missing)}"
    forbidden = {name for name in ids(town.bot.parts)
                 if name not in label_words(town.bot.parts, locale)}
    assert {"first_name", "weekly", "no_time", "allow-list", "schedule_invite"} <= forbidden
    found = leaks(said, forbidden)
    assert found == [], "\n".join(f"{name}: {text}" for name, text in found)
    text = "\n".join(said)
    for word in ("Марко", "Коваленко231"):
        assert word in text  # the walk saw what it walked
