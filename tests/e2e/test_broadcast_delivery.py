"""A news broadcast over Telegram with the real processes: `runner.py` serves the organizer,
`scheduler.py deliver` sends the broadcast at the bulk pace and edits the organizer's
progress message as it goes. A test to the organizers (with a photo), then to everyone with
the sender killed (kill -9) in the middle and run again: nobody gets it twice, everyone once.
Then one cancelled while it goes out: the rest is never sent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.test_organizers import registered_people
from tests.kit import FakeBotAPI, SentMessage
from tests.kit.drivers.telegram import TelegramUser
from tests.kit.running import REPO_ROOT, RunningBot, eventually
from tests.kit.settings import ADMIN_ID

PEOPLE = range(2001, 2061)
TEST, NEWS, CALLED_OFF = "<b>Coffee</b> on Saturday", "<b>Meetup</b> on Friday", "Oops"


def compose(organizer: TelegramUser, text: str, audience: str,
            photo: bool = False) -> SentMessage:
    """The organizer writes a broadcast; the question "Send it to N people?" is returned."""
    organizer.command("admin")
    organizer.press("📣 News broadcast")
    organizer.press("✍️ Write a new broadcast")
    organizer.send(text)
    if photo:
        organizer.step(organizer.fake.photo_update(ADMIN_ID, **organizer.sender), 1)
    else:
        organizer.press("Without a photo")
    organizer.press(audience, replies=3)
    return organizer.keyboard_message()


def press_on(organizer: TelegramUser, screen: SentMessage, label: str, shows: str) -> None:
    """Press a button of the progress screen, answered by an edit of it that `shows`."""
    organizer.bot.push(organizer.press_update(label))
    eventually(lambda: shows in (shown(organizer, screen).text or ""), 10, f"{label} answered")


def shown(organizer: TelegramUser, screen: SentMessage) -> SentMessage:
    return next(m for m in organizer.sent() if m.message_id == screen.message_id)


def sender(bot: RunningBot) -> subprocess.Popen[bytes]:
    """`scheduler.py deliver`, as cron starts it (its stderr in the work folder)."""
    with (bot.workdir / "scheduler.stderr").open("ab") as stderr:
        return subprocess.Popen([sys.executable, "scheduler.py", "deliver", "-q"],
                                cwd=REPO_ROOT, env=bot.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=stderr)


def finish(bot: RunningBot, process: subprocess.Popen[bytes]) -> None:
    assert process.wait(timeout=120) == 0, (bot.workdir / "scheduler.stderr").read_text()


def stall_after(fake: FakeBotAPI, messages: int, seconds: int) -> None:
    """After `messages` more messages, Telegram answers the next one "too many requests,
    retry in `seconds`": the sender waits, holding what it has claimed, sending nothing."""
    fake.after_call("sendMessage", messages,
                    lambda: fake.fail_next("sendMessage", 1, retry_after=seconds))


def stalled(fake: FakeBotAPI) -> int:
    return len([call for call in fake.calls("sendMessage") if call.status == 429])


def copies(fake: FakeBotAPI, text: str, people: range | list[int] = PEOPLE) -> list[int]:
    return [sum(1 for m in fake.sent(uid) if m.text == text) for uid in people]


def reports(fake: FakeBotAPI) -> list[str]:
    return [m.text or "" for m in fake.sent(ADMIN_ID) if "The news broadcast" in (m.text or "")]


def test_a_test_then_everyone_through_a_kill_then_a_cancel(fake: FakeBotAPI,
                                                          tmp_path: Path) -> None:
    registered_people(tmp_path / "bot.sqlite3", PEOPLE)
    with RunningBot(fake, tmp_path) as bot:
        organizer = bot.user(ADMIN_ID, first_name="Org", language_code="en")

        # A test to the organizers, with a photo: previewed as it is sent, a photo by its id.
        screen = compose(organizer, TEST, "Organizers only (a test)", photo=True)
        assert screen.text == "Send it to 1 person?"
        press_on(organizer, screen, "📨 Send", "(going out)")
        finish(bot, sender(bot))
        photos = [m for m in organizer.sent() if m.file and m.file.file_id == "photo-800"]
        assert [m.text for m in photos] == [TEST, TEST]  # the preview, then the broadcast
        assert "(sent)" in (shown(organizer, screen).text or "")
        assert reports(fake) == ["<b>The news broadcast has gone out.</b>\nSent: 1 of 1. "
                                 "Blocked the bot: 0."]

        # Everyone: the sender is killed halfway, then run again.
        screen = compose(organizer, NEWS, "Everyone registered")
        press_on(organizer, screen, "📨 Send", "(going out)")
        stall_after(fake, 20, seconds=60)
        process = sender(bot)
        eventually(lambda: stalled(fake) == 1, 60, "the sender to be halfway")
        process.kill()  # kill -9
        process.wait()
        halfway = copies(fake, NEWS)
        assert 0 < sum(halfway) < len(PEOPLE) and max(halfway) == 1
        in_flight = bot.query("select count(*) from outbox where status = 'sending'")
        assert in_flight[0][0] >= 1  # claimed by the dead process, never sent
        finish(bot, sender(bot))
        assert copies(fake, NEWS) == [1] * len(PEOPLE)
        progress = shown(organizer, screen).text or ""
        assert f"Sent: {len(PEOPLE)} of {len(PEOPLE)}" in progress and "(sent)" in progress
        assert len(reports(fake)) == 2

        # Cancelled while it goes out: what is not sent yet never is.
        screen = compose(organizer, CALLED_OFF, "Everyone registered")
        press_on(organizer, screen, "📨 Send", "(going out)")
        stall_after(fake, 10, seconds=2)
        process = sender(bot)
        eventually(lambda: stalled(fake) == 2, 60, "the sender to be under way")
        press_on(organizer, screen, "⏹ Cancel the broadcast", "(cancelled)")
        finish(bot, process)  # it goes on after the pause: only what it held goes out
        sent = copies(fake, CALLED_OFF)
        assert max(sent) == 1 and 0 < sum(sent) < len(PEOPLE) // 2
        assert reports(fake)[-1].startswith("<b>The news broadcast was cancelled.</b>")
        assert f"Not sent: {len(PEOPLE) - sum(sent)}." in reports(fake)[-1]
    statuses = dict(bot.query("select status, count(*) from outbox where kind = 'broadcast' "
                              "group by status"))
    assert statuses == {"sent": 1 + len(PEOPLE) + sum(sent), "expired": len(PEOPLE) - sum(sent)}
