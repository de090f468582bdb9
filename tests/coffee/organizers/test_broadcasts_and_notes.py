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
    check_caption,
    check_html,
    draft_broadcast,
    inbox,
    refused_by_telegram,
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


@pytest.mark.parametrize(("text", "problem", "detail"), [
    ("<b>bold", "unclosed_tag", "<b> is never closed"),
    ("<div>x</div>", "unsupported_tag", "<div> is not a tag"),
    ("a < b", "bare_less_than", "a bare '<'"),
    ("<b><i>x</b></i>", "mismatched_end_tag", "</b> closes nothing"),
    ("&nbsp;", "unknown_entity", "&nbsp; is not an entity"),
    ("Hello <span>spoiler?</span>", "spoiler_class", "<span> needs"),
    ('<a href="javascript:alert(1)">x</a>', "link_scheme", "the link javascript"),
])
def test_html_telegram_would_refuse_is_caught(text: str, problem: str, detail: str):
    with pytest.raises(Refused) as refused:
        check_html(text)
    assert refused.value.code == "bad_html"
    assert refused.value.params["problem"] == problem
    assert refused.value.params["detail"].startswith(detail)


@pytest.mark.parametrize("text", ["<b> </b>", "<i></i>", "   "])
def test_a_text_empty_once_parsed_is_refused(text: str):
    with pytest.raises(Refused) as refused:
        check_html(text)
    assert refused.value.code == "empty_text"


def test_a_caption_is_measured_as_telegram_measures_it():
    emoji = "\U0001F642"
    with pytest.raises(Refused) as refused:
        check_caption(emoji * 1000)  # 1000 characters, 2000 UTF-16 code units
    assert (refused.value.code, refused.value.params) == (
        "caption_too_long", {"length": 2000, "limit": 1024})
    assert check_caption(emoji * 512) == emoji * 512


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
    for bad in ("   ", "Yes <soon>"):  # HTML Telegram would refuse is refused here
        with pytest.raises(Refused):
            reply_to_note(admin, note.note_id, bad, town.bot.engine.renderer)
    assert inbox(admin)[0].replied is False
    reply_to_note(admin, note.note_id, "Yes, <b>soon</b> &lt;3", town.bot.engine.renderer)
    assert inbox(admin)[0].replied is True
    town.deliver()
    [answer] = town.send.to(31)
    assert "Yes, <b>soon</b> &lt;3" in answer.text  # as the organizer typed it
    assert "Yes, soon <3" in html_to_text(answer.text)
    assert "Повідомлення від організаторів" in html_to_text(answer.text)
    assert AuditEntry.get(AuditEntry.action == "reply_note").actor == ADMIN_ID


def test_a_text_telegram_refuses_stops_the_broadcast_after_the_first_refusal(
        town: Community, admin: Actor):
    for uid in range(41, 71):
        town.register(uid)
    news = draft_broadcast(admin, "<b>Refused</b> news", "all", LOCALES)
    start_broadcast(admin, news.id)
    town.send.refusing["<b>Refused</b> news"] = "Bad Request: can't parse entities: oops"
    town.deliver()
    stopped = broadcast_progress(admin, news.id)
    assert stopped.status == "refused"
    assert stopped.refusal == "Bad Request: can't parse entities: oops"
    assert stopped.sent == 0 and stopped.waiting == 0
    # stopped at the first refusal: only the copies already on their way then (the delivery
    # sends at most 8 at once) are refused too, the rest is never tried
    assert 1 <= stopped.refused <= 8 and stopped.refused + stopped.cancelled == 30
    assert [row.action for row in AuditEntry.select().order_by(AuditEntry.id)][-1] == \
        "broadcast_refused"
    with pytest.raises(Refused):
        start_broadcast(admin, news.id)


def test_a_refusal_about_one_chat_does_not_stop_the_broadcast(town: Community, admin: Actor):
    for uid in (81, 82, 83):
        town.register(uid)
    news = draft_broadcast(admin, "Hello all", "all", LOCALES)
    start_broadcast(admin, news.id)
    assert refused_by_telegram(admin, f"broadcast:{news.id}:81:0",
                               "Bad Request: chat not found") is None
    assert refused_by_telegram(admin, "invite:2026-11-30:81:0", "Bad Request: whatever") is None
    town.deliver()
    assert broadcast_progress(admin, news.id).sent == 3
