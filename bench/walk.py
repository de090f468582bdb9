"""Participants walking the profile of flows/start.yaml (/start, every question, the profile)
over the fake Bot API of the tests, many at once, each waiting for the bot's whole answer to a
step before taking the next, as a person reads before typing on.

    sizes = answer_sizes(fake, push_for(fake))      # one slow walk: replies to each step
    walked = Walkers(fake, sizes).walk(push_for, participants=50, walks=4, first_user=10_000)
    walked.updates, walked.seconds, walked.latencies  # latency: update -> first reply

How many replies a step gets is measured, not assumed, so that any revision of the bot can be
walked: a step is answered when that many replies (messages sent or edited) reached its chat,
and its latency runs from the moment the update was handed over (queued for getUpdates, or
POSTed to the webhook) to the first of them. A participant's updates are answered in order,
so a reply counted for a step is one of that step's.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.kit.drivers.protocol import find_label
from tests.kit.fake_bot_api import Call, FakeBotAPI, Sender, SentMessage

Update = dict[str, Any]
Push = Callable[[Update], None]

#: Calls that change what a chat shows: the replies a participant waits for (the typing
#: action and the answer to a button press are not).
REPLIES = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendContact",
                     "sendPhoto", "sendDocument"})
SETTLE_SECONDS = 0.3  # quiet in a chat after which a calibration step counts as answered
STEP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Step:
    """One action of the walk: a command, a typed text or a press on a button's label."""

    kind: str  # command | text | press
    value: str

    def update(self, fake: FakeBotAPI, user_id: int) -> Update:
        sender = Sender(first_name=f"Walker{user_id}", language_code="en")
        if self.kind == "command":
            return fake.command_update(user_id, self.value, **sender)
        if self.kind == "text":
            return fake.message_update(user_id, self.value, **sender)
        message, data = _button(fake.sent(user_id), self.value)
        return fake.callback_update(user_id, data, message.message_id, **sender)


# The profile in English, every question answered (the phone skipped on its reply keyboard).
PROFILE_WALK = (
    Step("command", "start"), Step("text", "Ann"), Step("text", "Lee"), Step("text", "Skip"),
    Step("text", "ACME"), Step("press", "Every week"),
    Step("press", "Networking"), Step("press", "Making friends"), Step("press", "Done"),
    Step("press", "Design"), Step("press", "Books"), Step("press", "Done"),
    Step("text", "I brew coffee and like tea"), Step("press", "English"),
)


def _button(chat: list[SentMessage], label: str) -> tuple[SentMessage, str]:
    """The latest message with inline buttons and the callback data of `label` on it."""
    message = next(m for m in reversed(chat)
                   if m.reply_markup and "inline_keyboard" in m.reply_markup)
    markup = message.reply_markup or {}
    buttons = [button for row in markup["inline_keyboard"] for button in row]
    index = find_label([button["text"] for button in buttons], label)
    return message, buttons[index]["callback_data"]


def push_for(fake: FakeBotAPI, webhook: str | None = None, secret: str = "") -> Push:
    """How one participant hands an update to the bot: queued for getUpdates, or POSTed to
    `webhook` over a connection of its own kept open (as Telegram keeps its connections)."""
    if webhook is None:
        return lambda update: _queue(fake, update)
    host, _, rest = webhook.removeprefix("http://").partition("/")
    address, _, port = host.partition(":")
    connection = http.client.HTTPConnection(address, int(port), timeout=STEP_TIMEOUT)
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}

    def post(update: Update) -> None:
        connection.request("POST", f"/{rest}", body=json.dumps(update), headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"the webhook answered {response.status} to update "
                               f"{update['update_id']}")

    return post


def _queue(fake: FakeBotAPI, update: Update) -> None:
    # Numbered as it is queued, as Telegram numbers updates as they come: participants build
    # their updates in one order and queue them in another, and polling confirms every update
    # below the last one it fetched.
    fake.push_update({key: value for key, value in update.items() if key != "update_id"})


def answer_sizes(fake: FakeBotAPI, push: Push, user_id: int = 1,
                 walk: tuple[Step, ...] = PROFILE_WALK) -> list[int]:
    """Walk once, slowly, and count the replies to each step (a step is answered when its chat
    has been quiet for SETTLE_SECONDS)."""
    sizes = []
    for step in walk:
        before = _replies(fake, user_id)
        push(step.update(fake, user_id))
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            time.sleep(SETTLE_SECONDS)
            now = _replies(fake, user_id)
            if now and now[-1].at < time.monotonic() - SETTLE_SECONDS and len(now) > len(before):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the bot did not answer {step} in chat {user_id}")
        sizes.append(len(now) - len(before))
    return sizes


def _replies(fake: FakeBotAPI, chat_id: int) -> list[Call]:
    return [call for call in fake.calls(chat_id=chat_id) if call.method in REPLIES and call.ok]


@dataclass
class _Chat:
    """A participant's step in hand, updated by the fake's observer as replies arrive."""

    expected: int = 0
    seen: int = 0
    pushed_at: float = 0.0
    first_reply_at: float = 0.0
    answered: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class Walked:
    updates: int
    seconds: float  # from the first update to the last step answered
    latencies: list[float]  # seconds from each update to its first reply


class Walkers:
    """Participants walking at once over `fake`, expecting `sizes[i]` replies to step i."""

    def __init__(self, fake: FakeBotAPI, sizes: list[int],
                 walk: tuple[Step, ...] = PROFILE_WALK) -> None:
        self.fake = fake
        self.sizes = sizes
        self.steps = walk
        self._chats: dict[int, _Chat] = {}
        fake.observe(self._observe)

    def _observe(self, call: Call) -> None:  # on the fake's thread, under its lock
        chat = self._chats.get(call.chat_id) if call.chat_id is not None else None
        if chat is None or call.method not in REPLIES or not call.ok:
            return
        chat.seen += 1
        if chat.seen == 1:
            chat.first_reply_at = call.at
        if chat.seen == chat.expected:
            chat.answered.set()

    def walk(self, push_for: Callable[[], Push], participants: int, walks: int,
             first_user: int) -> Walked:
        """`participants` at once, each walking `walks` times as a new participant (user ids
        from `first_user` on); each gets its own way to push (`push_for()`)."""
        latencies: list[list[float]] = [[] for _ in range(participants)]
        failures: list[BaseException] = []
        start = threading.Barrier(participants + 1)

        def participant(index: int) -> None:
            try:
                push = push_for()
                start.wait()
                for walk in range(walks):
                    user_id = first_user + walk * participants + index
                    latencies[index] += self._walk_once(push, user_id)
            except BaseException as error:  # reported by the main thread
                failures.append(error)
                start.abort()

        threads = [threading.Thread(target=participant, args=(index,), daemon=True)
                   for index in range(participants)]
        for thread in threads:
            thread.start()
        start.wait()
        started = time.monotonic()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
        if failures:
            raise failures[0]
        every = [latency for each in latencies for latency in each]
        return Walked(len(every), seconds, every)

    def _walk_once(self, push: Push, user_id: int) -> list[float]:
        chat = self._chats[user_id] = _Chat()
        latencies = []
        try:
            for step, size in zip(self.steps, self.sizes, strict=True):
                update = step.update(self.fake, user_id)
                chat.expected, chat.seen = size, 0
                chat.answered.clear()
                chat.pushed_at = time.monotonic()
                push(update)
                if not chat.answered.wait(STEP_TIMEOUT):
                    raise RuntimeError(f"chat {user_id}: {chat.seen} of {size} replies to "
                                       f"{step} after {STEP_TIMEOUT:.0f} s")
                latencies.append(chat.first_reply_at - chat.pushed_at)
        finally:
            del self._chats[user_id]
        return latencies
