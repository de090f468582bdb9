"""The progress message of a broadcast, edited in place by the delivery as the broadcast goes
out (a few edits, not one per message), and one final report to its author; Cancel stops the
rest, and the report says so."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from coffee.admin.broadcast_progress import progress_edits
from engine.delivery.outbox import deliver_outbox
from engine.dialog.events import Reply
from engine.store import Outbox
from tests.kit.community import Community, Interrupted
from tests.kit.participant import ChatMessage, Participant
from tests.kit.settings import ADMIN_ID

PEOPLE = range(1001, 1251)


@pytest.fixture
def organizer(town: Community) -> Participant:
    person = Participant(town.bot.engine, ADMIN_ID, first_name="Org", username="org_admin")
    town.people[ADMIN_ID] = person
    return person


def start_news(town: Community, organizer: Participant) -> ChatMessage:
    """Register the audience; the organizer writes the news and presses Send."""
    for uid in PEOPLE:
        town.register(uid)
    organizer.command("admin")
    organizer.press("📣 Розсилка новин")
    organizer.press("✍️ Написати нову розсилку")
    organizer.send("<b>Новини</b>")
    organizer.press("Без фото")
    organizer.press("Усі зареєстровані")
    screen = organizer.chat[-1]
    organizer.press("📨 Надіслати")
    return screen


def deliver_with_progress(town: Community) -> None:
    ticks = itertools.count()
    hook = progress_edits(town.bot.parts.desk, town.send, clock=lambda: next(ticks) * 0.1)
    asyncio.run(deliver_outbox(town.send, clock=town.clock, on_progress=hook))


def edits_of(town: Community, screen: ChatMessage) -> list[Reply]:
    return [reply for reply in town.send.to(ADMIN_ID)
            if reply.edit_message_id == screen.message_id]


def reports(town: Community) -> list[str]:
    return [reply.text for reply in town.send.to(ADMIN_ID) if "Розсилку новин" in reply.text]


def test_the_progress_is_edited_in_place_then_reported_once(
        town: Community, organizer: Participant) -> None:
    screen = start_news(town, organizer)
    deliver_with_progress(town)
    edits = edits_of(town, screen)
    # every 3 s of a clock that moves 0.1 s a message: a handful of edits for 250 messages
    assert 5 <= len(edits) <= 250 // 30 + 2
    sent = [int(edit.text.split("Надіслано: ")[1].split(" ")[0]) for edit in edits]
    assert sent == sorted(sent) and sent[0] < 250 and sent[-1] == 250
    assert "(надсилається)" in edits[0].text  # with its Cancel button while it goes out
    assert "⏹ Скасувати розсилку" in [button.label for row in edits[0].buttons for button in row]
    assert "Надіслано: 250 з 250" in screen.text and "(надіслано)" in screen.text
    assert screen.labels == ["🔄 Оновити", "⬅️ Меню"]  # no Cancel once it is done
    [report] = reports(town)
    assert "<b>Розсилку новин надіслано.</b>" in report
    assert "Надіслано: 250 з 250. Заблокували бота: 0." in report
    deliver_with_progress(town)  # a later run: nothing new to say
    assert len(reports(town)) == 1


def test_cancel_stops_the_rest_and_the_report_says_so(
        town: Community, organizer: Participant) -> None:
    screen = start_news(town, organizer)
    town.send.stop_after = len(town.send.sent) + 40  # the sending process dies after 40
    with pytest.raises(Interrupted):  # the crash
        deliver_with_progress(town)
    town.send.stop_after = None
    assert "⏹ Скасувати розсилку" in screen.labels
    organizer.press("⏹ Скасувати розсилку", screen)
    assert "(скасовано)" in screen.text
    deliver_with_progress(town)  # the rerun sends nothing more of it
    news = [uid for uid in PEOPLE if any(r.text == "<b>Новини</b>" for r in town.send.to(uid))]
    assert 0 < len(news) < len(PEOPLE)
    assert all([r.text for r in town.send.to(uid)].count("<b>Новини</b>") == 1 for uid in news)
    expired = Outbox.select().where(Outbox.kind == "broadcast", Outbox.status == "expired")
    assert expired.count() == len(PEOPLE) - len(news)
    [report] = reports(town)
    assert "<b>Розсилку новин скасовано.</b>" in report
    assert f"Не надіслано: {len(PEOPLE) - len(news)}." in report


def test_an_organizer_who_left_the_screen_still_gets_the_report(
        town: Community, organizer: Participant) -> None:
    screen = start_news(town, organizer)
    organizer.press("⬅️ Меню", screen)
    before = screen.text
    deliver_with_progress(town)
    assert edits_of(town, screen) == [] and screen.text == before
    [report] = reports(town)
    assert "Надіслано: 250 з 250." in report
