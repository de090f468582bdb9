"""Broadcasts through the outbox (checked HTML, audiences, nobody twice, cancel) and the notes
inbox (read state, replies through the bot)."""

from __future__ import annotations

import pytest

from coffee.models import AuditEntry
from coffee.organizers import (
    Refused,
    appoint,
    broadcast_history,
    broadcast_preview,
    broadcast_progress,
    cancel_broadcast,
    check_html,
    draft_broadcast,
    inbox,
    reply_to_note,
    start_broadcast,
    unread_count,
)
from coffee.organizers.actor import Actor
from engine.store import Outbox
from engine.transports.plain import html_to_text
from tests.kit.community import Community
from tests.kit.settings import ADMIN_ID

LOCALES = ["en", "uk"]


@pytest.mark.parametrize(("text", "detail"), [
    ("<b>bold", "<b> is never closed"), ("<div>x</div>", "<div> is not a tag"),
    ("a < b", "a bare '<'"), ("<b><i>x</b></i>", "</b> closes nothing"),
    ("&nbsp;", "&nbsp; is not an entity"),
])
def test_html_telegram_would_refuse_is_caught(text: str, detail: str):
    with pytest.raises(Refused) as refused:
        check_html(text)
    assert refused.value.code == "bad_html"
    assert refused.value.params["detail"].startswith(detail)


def test_good_html_passes():
    text = '<b>Зустріч</b> у <a href="https://example.org">кав\'ярні</a> &amp; <i>more</i>'
    assert check_html(f"  {text} ") == text
    with pytest.raises(Refused) as refused:
        check_html("x" * 4097)
    assert refused.value.code == "text_too_long"


def test_broadcast_to_organizers_then_all_nobody_twice(town: Community, admin: Actor):
    for uid in (11, 12, 13):
        town.register(uid)
    appoint(admin, 11)
    with pytest.raises(Refused):
        draft_broadcast(admin, "<b>oops", "all", LOCALES)
    test = draft_broadcast(admin, "<b>Meetup</b> on Friday", "organizers", LOCALES)
    assert broadcast_preview(test).text == "<b>Meetup</b> on Friday"
    assert start_broadcast(admin, test.id).total == 1  # ADMIN_ID never wrote: not a row
    town.deliver()
    assert [html_to_text(r.text) for r in town.send.to(11)] == ["Meetup on Friday"]
    news = draft_broadcast(admin, "<b>Meetup</b> on Friday", "all", LOCALES)
    first = start_broadcast(admin, news.id)
    assert (first.total, first.waiting) == (3, 3)
    again = start_broadcast(admin, news.id)  # a rerun after a crash queues nobody twice
    assert again.total == 3
    town.deliver()
    done = broadcast_progress(admin, news.id)
    assert (done.status, done.sent, done.waiting) == ("done", 3, 0)
    assert [r.text for r in town.send.to(12)].count("<b>Meetup</b> on Friday") == 1
    assert [r.text for r in town.send.to(11)].count("<b>Meetup</b> on Friday") == 2  # test + all
    assert [p.broadcast_id for p in broadcast_history(admin)] == [news.id, test.id]


def test_cancel_stops_what_is_not_sent(town: Community, admin: Actor):
    for uid in (21, 22, 23, 24):
        town.register(uid)
    news = draft_broadcast(admin, "Hello", "locale:uk", LOCALES)
    start_broadcast(admin, news.id)
    town.send.stop_after = len(town.send.sent) + 1
    with pytest.raises(ConnectionError):
        town.deliver()
    cancelled = cancel_broadcast(admin, news.id)
    town.send.stop_after = None
    town.deliver()
    assert cancelled.status == "cancelled"
    assert sum(1 for _chat, reply in town.send.sent if reply.text == "Hello") == 1
    assert Outbox.select().where(Outbox.kind == "broadcast", Outbox.status == "pending").count() \
        == 0
    with pytest.raises(Refused):
        start_broadcast(admin, news.id)
    assert [row.action for row in AuditEntry.select().order_by(AuditEntry.id)][-3:] == [
        "broadcast_draft", "broadcast_start", "broadcast_cancel"]


def test_notes_inbox_and_reply(town: Community, admin: Actor):
    olena = town.register(31)
    olena.command("feedback")
    olena.send("Can we meet on weekends?")
    assert unread_count(admin) == 1
    [note] = inbox(admin)
    assert (note.user_id, note.text, note.was_read) == (31, "Can we meet on weekends?", False)
    assert unread_count(admin) == 0
    assert inbox(admin)[0].was_read is True
    with pytest.raises(Refused):
        reply_to_note(admin, note.note_id, "   ", town.bot.engine.renderer)
    assert inbox(admin)[0].replied is False
    reply_to_note(admin, note.note_id, "Yes <soon>", town.bot.engine.renderer)
    assert inbox(admin)[0].replied is True
    town.deliver()
    [answer] = town.send.to(31)
    assert "Yes <soon>" in html_to_text(answer.text)
    assert "Повідомлення від організаторів" in html_to_text(answer.text)
    assert AuditEntry.get(AuditEntry.action == "reply_note").actor == ADMIN_ID
