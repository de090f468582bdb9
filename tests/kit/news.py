"""A bulk send waiting in the outbox, as a broadcast leaves it, for tests of how the running
bot delivers it: participants who have not registered (so that no weekly job writes to them,
whatever the day), each with one news message queued."""

from __future__ import annotations

import datetime as dt

from coffee.models import SCHEMAS
from engine.delivery.outbox import queue_replies
from engine.dialog.events import Reply
from engine.store import User, open_database
from tests.kit.fake_bot_api import FakeBotAPI

NEWS = "<b>Meetup</b> on Friday"


def queue_news(url: str, people: range) -> None:
    """Create `people` (unless they exist) in the database at `url` and queue them the news."""
    db = open_database(url, SCHEMAS)
    try:
        now = dt.datetime.now(dt.UTC)
        for uid in people:
            User.get_or_create(id=uid, defaults={"first_name": f"Name{uid}", "locale": "en"})
            queue_replies(uid, f"news:1:{uid}", [Reply(text=NEWS)], now)
    finally:
        db.close()


def news_copies(fake: FakeBotAPI, people: range) -> list[int]:
    """How many times each of `people` got the news."""
    return [sum(message.text == NEWS for message in fake.sent(uid)) for uid in people]
