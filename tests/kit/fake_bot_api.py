"""A fake Telegram Bot API HTTP server for end-to-end tests and benchmarks.

The bot under test talks HTTP to it exactly as it would to api.telegram.org; tests push
updates into it, play the participants, and assert on what the bot sent. It records every
call, applies edits to the messages a chat sees, checks message HTML and length as Telegram
does, and can simulate blocked chats, flood errors, Telegram's sliding one-second send limit,
an outage (connections dropped unanswered) and a crash of the bot in the middle of a send.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import re
import socket
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from email.parser import BytesParser
from email.policy import HTTP
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypedDict, TypeVar, Unpack
from urllib.parse import parse_qsl, urlsplit

T = TypeVar("T")

BOT_USERNAME = "coffee_test_bot"

#: Methods that put something into a chat: chat-scoped, rate limited and refused for
#: chats that blocked the bot.
SEND_METHODS = frozenset(
    {"sendMessage", "sendContact", "sendChatAction", "editMessageText", "editMessageReplyMarkup",
     "sendPhoto", "sendDocument"}
)

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)

# Form fields whose value is always a plain string, even when it looks like JSON ("123").
_TEXT_FIELDS = frozenset(
    {
        "text",
        "caption",
        "data",
        "url",
        "secret_token",
        "callback_query_id",
        "inline_message_id",
        "phone_number",
        "first_name",
        "last_name",
        "vcard",
        "parse_mode",
        "action",
        "language_code",
        "business_connection_id",
        "message_effect_id",
        "ip_address",
    }
)
_MAX_CAPTION_LENGTH = 1024
_MAX_TEXT_LENGTH = 4096
_MAX_CALLBACK_DATA_BYTES = 64
_ROUTE = re.compile(r"^/bot([^/]+)/([^/]*)$")


class Sender(TypedDict, total=False):
    """Who sends a pushed update, and from which chat (defaults: a private chat with them)."""

    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    chat_type: str
    chat_id: int | None


_DEFAULT_SENDER = Sender(first_name="Test", language_code="uk", chat_type="private")


@dataclasses.dataclass(frozen=True)
class Call:
    """One Bot API request as the server saw it; ``status`` is the HTTP status it got."""

    method: str
    params: dict[str, Any]
    chat_id: int | None
    at: float
    status: int = 200

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclasses.dataclass
class SentMessage:
    """A message the bot put into a chat, as the chat sees it now (edits applied)."""

    message_id: int
    chat_id: int
    text: str | None
    reply_markup: dict[str, Any] | None
    contact: dict[str, Any] | None
    date: int
    sent_at: float
    edited_at: float | None = None
    file: File | None = None  # a photo or a document, with `text` as its caption


@dataclasses.dataclass(frozen=True)
class File:
    """A photo or document uploaded with sendPhoto / sendDocument, or a photo sent again by
    its ``file_id`` (then ``name`` is the id and ``data`` is empty)."""

    kind: str  # photo | document
    name: str
    data: bytes
    file_id: str = ""


@dataclasses.dataclass(frozen=True)
class Webhook:
    """The webhook settings last given by setWebhook (``url`` is empty when none is set)."""

    url: str = ""
    secret_token: str | None = None
    drop_pending_updates: bool = False
    allowed_updates: list[str] | None = None


class _ApiError(Exception):
    """A Bot API error response."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class _Unanswered(Exception):
    """A call that never reached Telegram (`FakeBotAPI.before_call`): no effect, no answer."""


def _flood(retry_after: int) -> _ApiError:
    return _ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def _bad_request(reason: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {reason}")


_HTML_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                        "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"})


class _TelegramHtml(HTMLParser):
    """Telegram's HTML parse mode: only its tags, each closed in order, a spoiler `<span>` by
    its class and a custom emoji by its id; the text it shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise _bad_request(f"can't parse entities: unsupported start tag \"{tag}\"")
        given = dict(attrs)
        if tag == "span" and given.get("class") != "tg-spoiler":
            raise _bad_request("can't parse entities: tag \"span\" must have class "
                               "\"tg-spoiler\"")
        if tag == "tg-emoji" and not (given.get("emoji-id") or "").isdigit():
            raise _bad_request("can't parse entities: invalid custom emoji identifier specified")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise _bad_request(f"can't parse entities: can't find end tag corresponding to "
                               f"start tag \"{self.open[-1] if self.open else tag}\"")
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.shown.append(data)


def _parse_telegram_html(text: str) -> str:
    """The text a message in HTML parse mode shows (trimmed, as Telegram trims it); 400 for
    HTML Telegram would refuse."""
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open:
        raise _bad_request(f"can't parse entities: can't find end tag corresponding to start "
                           f"tag \"{parser.open[-1]}\"")
    return "".join(parser.shown).strip()


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    """The part of a reply_markup that a message carries: only inline keyboards stick."""
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return markup
    return None


def _decode_field(key: str, value: str) -> Any:
    """Undo python-telegram-bot's form encoding: non-string values arrive JSON-dumped."""
    if key in _TEXT_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class Upload(bytes):
    """An uploaded file's bytes, with the file name the client gave."""

    filename: str

    def __new__(cls, data: bytes, filename: str) -> Upload:
        upload = super().__new__(cls, data)
        upload.filename = filename
        return upload


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Decode a JSON, form-encoded or multipart request body into parameters."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}
    if media_type == "application/json":
        parsed = json.loads(body)
        if not isinstance(parsed, dict):
            raise _bad_request("JSON object expected")
        return {k: _decode_field(k, v) if isinstance(v, str) else v for k, v in parsed.items()}
    if media_type == "multipart/form-data":
        header = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(header + body)
        params: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            params[name] = Upload(payload, filename) if filename else _decode_field(
                name, payload.decode())
        return params
    return {k: _decode_field(k, v) for k, v in parse_qsl(body.decode(), keep_blank_values=True)}


class _Server(ThreadingHTTPServer):
    """The HTTP server, which also tracks open keep-alive connections to cut them on stop."""

    daemon_threads = True
    # A bot opens its connections in bursts (its pool grows with the chats it answers at once);
    # socketserver's backlog of 5 would drop connection attempts, retried by TCP a second later.
    request_queue_size = 128

    def __init__(self, api: FakeBotAPI, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.api = api
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients going away (or stop() cutting them off) is normal here, not an error.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.api._wait_latency(url.path)
        if self.server.api._is_down() or self.server.api._stalled():
            self.close_connection = True  # unanswered, as when the API cannot be reached
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        route = _ROUTE.match(url.path)
        try:
            if self.server.api._bad_gateway():
                raise _ApiError(502, "Bad Gateway")
            if route is None:
                raise _ApiError(404, "Not Found")
            params = {k: _decode_field(k, v) for k, v in parse_qsl(url.query)}
            params.update(_parse_body(self.headers.get("Content-Type", ""), body))
            result = self.server.api._dispatch(route[1], route[2], params)
            status, payload = 200, {"ok": True, "result": result}
        except _Unanswered:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        except _ApiError as error:
            status, payload = error.code, error.body()
        except ValueError as error:
            status, payload = 400, _bad_request(f"can't parse request: {error}").body()
        except Exception:
            status, payload = 500, _ApiError(500, traceback.format_exc()).body()
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FakeBotAPI:
    """An in-process fake of the Telegram Bot API, served over HTTP on 127.0.0.1.

    Point the bot at it with ``TELEGRAM_API_URL=api.url`` (routes are
    ``/bot<token>/<method>``), or a ``telegram.Bot`` with ``base_url=f"{api.url}/bot"``.
    Message ids are counted per chat and shared by the bot's and the participants'
    messages, as in a real private chat.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        rate_limit_per_second: int | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Coffee Test Bot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.webhook = Webhook()
        #: update_id -> time.monotonic() when getUpdates first handed the update out.
        self.delivered_at: dict[int, float] = {}
        self._address = (host, port)
        self._rate_limit = rate_limit_per_second
        self._cond = threading.Condition(threading.RLock())
        self._calls: list[Call] = []
        self._refused: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._callback_chats: dict[str, int] = {}
        self._message_counters: dict[int, itertools.count[int]] = {}
        self._messages: dict[int, list[SentMessage]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._commands: dict[str, list[dict[str, Any]]] = {}
        self._blocked: set[int] = set()
        self._file_ids: set[str] = set()  # photos users sent: the bot may send them on
        # texts answered with a 400 (`refuse`): the description, and the chats (None: all)
        self._refusing: dict[str, tuple[str, frozenset[int] | None]] = {}
        self._failures: dict[str, deque[int]] = {}
        self._window: deque[float] = deque()
        self._down_until = 0.0
        self._bad_gateway_until = 0.0
        self._stalled_until = 0.0
        self._latency = 0.0
        self._dropped = 0
        self._after_calls: dict[str, list[tuple[int, Callable[[], None]]]] = {}
        self._before_calls: dict[str, list[list[Any]]] = {}  # [calls to wait for, action]
        self._stopped = False
        self._observers: list[Callable[[Call], None]] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._handlers: dict[str, Callable[[dict[str, Any], int | None], Any]] = {
            "getMe": lambda params, chat_id: self.bot_user,
            "getUpdates": self._confirm_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._webhook_info,
            "logOut": self._ok,
            "close": self._ok,
            "answerCallbackQuery": self._ok,
            "sendChatAction": self._ok,
            "sendMessage": self._send_message,
            "sendContact": self._send_contact,
            "sendPhoto": lambda params, chat_id: self._send_file("photo", params, chat_id),
            "sendDocument": lambda params, chat_id: self._send_file("document", params, chat_id),
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
        }
        self._method_names = {name.lower(): name for name in self._handlers}

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        """Bind the port and serve from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeBotAPI is already started")
        self._server = _Server(self, self._address)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-bot-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake pending long polls, close every connection and join the server thread."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._server is None or self._thread is None:
            return
        self._server.shutdown()
        self._server.cut_connections()
        self._server.server_close()
        self._thread.join(timeout=1.0)

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The server root, e.g. ``http://127.0.0.1:PORT``."""
        if self._server is None:
            raise RuntimeError("FakeBotAPI is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- failure switches --------------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        """Make every send to ``chat_id`` fail with 403, as when the user blocked the bot."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.discard(chat_id)

    def fail_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and this ``retry_after``."""
        name = self._method_names.get(method.lower())
        if name is None:
            raise ValueError(f"unknown Bot API method {method!r}")
        with self._cond:
            self._failures.setdefault(name, deque()).extend([retry_after] * times)

    def refuse(self, text: str, description: str, chats: Iterable[int] | None = None) -> None:
        """Answer every message (or caption) ``text`` (sent to one of ``chats``, or to anyone)
        with 400 ``description`` from now on, as Telegram does for a text it never takes."""
        with self._cond:
            self._refusing[text] = (description, None if chats is None else frozenset(chats))

    def _refusal(self, text: object, chat_id: int | None) -> None:
        description, chats = self._refusing.get(str(text), ("", frozenset()))
        if description and (chats is None or chat_id in chats):
            raise _bad_request(description)

    def outage(self, seconds: float) -> None:
        """Drop every request unanswered for the next ``seconds`` (the API is unreachable);
        ``0`` ends an outage."""
        with self._cond:
            self._down_until = time.monotonic() + seconds

    def bad_gateway(self, seconds: float) -> None:
        """Answer every request with 502 Bad Gateway for the next ``seconds`` (a proxy in front
        of an API that is down)."""
        with self._cond:
            self._bad_gateway_until = time.monotonic() + seconds

    def stall(self, seconds: float) -> None:
        """Hold every request arriving in the next ``seconds`` until they are over, then drop
        it unanswered, having done nothing (clients time out first)."""
        with self._cond:
            self._stalled_until = time.monotonic() + seconds

    def _bad_gateway(self) -> bool:
        with self._cond:
            return time.monotonic() < self._bad_gateway_until

    def _stalled(self) -> bool:
        with self._cond:
            until = self._stalled_until
        if time.monotonic() >= until:
            return False
        while time.monotonic() < until and not self._stopped:
            time.sleep(0.05)
        return True

    def set_latency(self, seconds: float) -> None:
        """Answer every call but getUpdates after ``seconds``, as a distant API does."""
        with self._cond:
            self._latency = seconds

    def _wait_latency(self, path: str) -> None:
        with self._cond:
            latency = self._latency
        if latency and not path.endswith("/getUpdates"):
            time.sleep(latency)

    @property
    def dropped(self) -> int:
        """Requests dropped by outages."""
        with self._cond:
            return self._dropped

    def _is_down(self) -> bool:
        with self._cond:
            if time.monotonic() < self._down_until:
                self._dropped += 1
                return True
            return False

    def after_call(self, method: str, count: int, action: Callable[[], None]) -> None:
        """Run ``action`` once the ``count``-th successful ``method`` call (counted from now)
        has taken effect, before it is answered: killing the bot there leaves a message
        delivered that the bot never heard of."""
        name = self._method_names[method.lower()]
        with self._cond:
            done = len([c for c in self._calls if c.method == name and c.ok])
            self._after_calls.setdefault(name, []).append((done + count, action))

    def before_call(self, method: str, count: int, action: Callable[[], None]) -> None:
        """Run ``action`` when the ``count``-th ``method`` call (counted from now) arrives, and
        leave that call without effect and unanswered: killing the bot there stops it after
        everything it did before the request and before Telegram took anything of it."""
        name = self._method_names[method.lower()]
        with self._cond:
            self._before_calls.setdefault(name, []).append([count, action])

    def _arriving(self, method: str) -> bool:
        """Count an arriving call for `before_call`; True when it is not to take effect."""
        hooks = self._before_calls.get(method)
        if not hooks:
            return False
        due = []
        for hook in hooks:
            hook[0] -= 1
            if hook[0] == 0:
                due.append(hook)
        for hook in due:
            hooks.remove(hook)
            hook[1]()
        return bool(due)

    def set_rate_limit(self, per_second: int | None) -> None:
        """Limit SEND_METHODS to ``per_second`` calls in any sliding 1.0 s window (None: off)."""
        with self._cond:
            self._rate_limit = per_second
            self._window.clear()

    # -- inspection --------------------------------------------------------------------------

    def observe(self, observer: Callable[[Call], None]) -> None:
        """Tell `observer` of every call as it is recorded, before it is answered: for a
        benchmark's participants, which must not poll `calls()` (a scan under the lock). It runs
        on the server's thread holding the fake's lock: it must be quick and wait for nothing."""
        with self._cond:
            self._observers.append(observer)

    def calls(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        """Recorded calls in arrival order, optionally only one method and/or one chat."""
        with self._cond:
            return [
                call
                for call in self._calls
                if (method is None or call.method == method)
                and (chat_id is None or call.chat_id == chat_id)
            ]

    def errors(self, chat_id: int | None = None) -> list[Call]:
        """Calls answered with a 4xx (a refusal: bad requests, blocked chats, 429s), optionally
        only those about one chat."""
        return [call for call in self.calls(chat_id=chat_id) if 400 <= call.status < 500]

    @property
    def refused(self) -> list[Call]:
        """Calls refused by the rate limit (they are not in ``sent()``)."""
        with self._cond:
            return list(self._refused)

    def sent(self, chat_id: int) -> list[SentMessage]:
        """Snapshots of the messages the bot sent to ``chat_id``, in order, edits applied."""
        with self._cond:
            return [dataclasses.replace(m) for m in self._messages.get(chat_id, [])]

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates pushed but not yet confirmed by a getUpdates offset."""
        with self._cond:
            return list(self._updates)

    def wait_for(
        self, predicate: Callable[[FakeBotAPI], T], timeout: float = 5.0, *, what: str = ""
    ) -> T:
        """Block until ``predicate(api)`` is truthy and return its value.

        Raises AssertionError, with the recent calls listed, if ``timeout`` seconds pass first.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate(self)
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._timeout_report(what or repr(predicate), timeout))
                self._cond.wait(remaining)

    def wait_for_calls(
        self, method: str, count: int, chat_id: int | None = None, timeout: float = 5.0
    ) -> list[Call]:
        """Wait until at least ``count`` calls of ``method`` (to ``chat_id``) arrived."""
        where = "" if chat_id is None else f" for chat {chat_id}"
        self.wait_for(
            lambda api: len(api.calls(method, chat_id)) >= count,
            timeout,
            what=f"{count} {method} call(s){where}",
        )
        return self.calls(method, chat_id)

    def _timeout_report(self, what: str, timeout: float, last: int = 25) -> str:
        recent = self._calls[-last:]
        lines = [
            f"  {c.at:.3f} {c.method} chat={c.chat_id} status={c.status} {c.params}" for c in recent
        ]
        return (
            f"timed out after {timeout} s waiting for {what}; "
            f"{len(self._calls)} calls, the last {len(recent)}:\n" + "\n".join(lines)
        )

    # -- building and pushing updates --------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates (an update_id is assigned if missing); return its id."""
        with self._cond:
            update = dict(update)
            update.setdefault("update_id", next(self._update_ids))
            self._updates.append(update)
            self._cond.notify_all()
            return update["update_id"]

    def message_update(self, user_id: int, text: str, **sender: Unpack[Sender]) -> dict[str, Any]:
        """A text message from ``user_id``."""
        return self._message_update(user_id, {"text": text}, sender)

    def command_update(
        self, user_id: int, command: str, **sender: Unpack[Sender]
    ) -> dict[str, Any]:
        """A command such as ``"start"`` or ``"/start ref42"``, with its bot_command entity."""
        text = command if command.startswith("/") else f"/{command}"
        entity = {"type": "bot_command", "offset": 0, "length": len(text.split(" ", 1)[0])}
        return self._message_update(user_id, {"text": text, "entities": [entity]}, sender)

    def contact_update(
        self,
        user_id: int,
        phone_number: str,
        contact_user_id: int | None = None,
        **sender: Unpack[Sender],
    ) -> dict[str, Any]:
        """A shared contact; ``contact_user_id`` defaults to the sender (sharing their own)."""
        profile = {**_DEFAULT_SENDER, **sender}
        contact = {
            "phone_number": phone_number,
            "first_name": profile["first_name"],
            "user_id": user_id if contact_user_id is None else contact_user_id,
        }
        return self._message_update(user_id, {"contact": contact}, sender)

    def sticker_update(self, user_id: int, **sender: Unpack[Sender]) -> dict[str, Any]:
        """A sticker message."""
        sticker = {
            "file_id": "sticker-file",
            "file_unique_id": "sticker-unique",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": "☕",
        }
        return self._message_update(user_id, {"sticker": sticker}, sender)

    def photo_update(self, user_id: int, **sender: Unpack[Sender]) -> dict[str, Any]:
        """A photo message (two sizes, no caption)."""
        photo = [
            {
                "file_id": f"photo-{side}",
                "file_unique_id": f"u-{side}",
                "width": side,
                "height": side,
            }
            for side in (90, 800)
        ]
        with self._cond:
            self._file_ids.update(size["file_id"] for size in photo)
        return self._message_update(user_id, {"photo": photo}, sender)

    def callback_update(
        self, user_id: int, data: str, message_id: int, **sender: Unpack[Sender]
    ) -> dict[str, Any]:
        """A button press on the bot's message ``message_id`` in the sender's chat."""
        profile = {**_DEFAULT_SENDER, **sender}
        chat_id = profile.get("chat_id") or user_id
        with self._cond:
            message = self._find_message(chat_id, message_id)
            if message is None:
                raise LookupError(f"the bot sent no message {message_id} to chat {chat_id}")
            query_id = str(next(self._callback_ids))
            self._callback_chats[query_id] = chat_id
            return {
                "update_id": next(self._update_ids),
                "callback_query": {
                    "id": query_id,
                    "from": self._user_json(user_id, profile),
                    "chat_instance": str(chat_id),
                    "data": data,
                    "message": self._message_json(message),
                },
            }

    def chat_member_update(self, user_id: int, blocked: bool,
                           **sender: Unpack[Sender]) -> dict[str, Any]:
        """The user blocked (``blocked``) or unblocked the bot in their private chat."""
        profile = {**_DEFAULT_SENDER, **sender}
        chat = {"id": user_id, "type": "private", "first_name": profile["first_name"]}
        statuses = ({"status": "member"}, {"status": "kicked", "until_date": 0})
        old, new = statuses if blocked else statuses[::-1]
        with self._cond:
            return {
                "update_id": next(self._update_ids),
                "my_chat_member": {
                    "chat": chat,
                    "from": self._user_json(user_id, profile),
                    "date": int(time.time()),
                    "old_chat_member": {**old, "user": self.bot_user},
                    "new_chat_member": {**new, "user": self.bot_user},
                },
            }

    def push_message(self, user_id: int, text: str, **sender: Unpack[Sender]) -> int:
        return self.push_update(self.message_update(user_id, text, **sender))

    def push_command(self, user_id: int, command: str, **sender: Unpack[Sender]) -> int:
        return self.push_update(self.command_update(user_id, command, **sender))

    def push_contact(
        self,
        user_id: int,
        phone_number: str,
        contact_user_id: int | None = None,
        **sender: Unpack[Sender],
    ) -> int:
        return self.push_update(
            self.contact_update(user_id, phone_number, contact_user_id, **sender)
        )

    def push_sticker(self, user_id: int, **sender: Unpack[Sender]) -> int:
        return self.push_update(self.sticker_update(user_id, **sender))

    def push_photo(self, user_id: int, **sender: Unpack[Sender]) -> int:
        return self.push_update(self.photo_update(user_id, **sender))

    def push_callback(
        self, user_id: int, data: str, message_id: int, **sender: Unpack[Sender]
    ) -> int:
        return self.push_update(self.callback_update(user_id, data, message_id, **sender))

    def _message_update(
        self, user_id: int, content: dict[str, Any], sender: Sender
    ) -> dict[str, Any]:
        profile = {**_DEFAULT_SENDER, **sender}
        chat_id = profile.get("chat_id") or user_id
        chat: dict[str, Any] = {"id": chat_id, "type": profile["chat_type"]}
        if profile["chat_type"] == "private":
            names = ("first_name", "last_name", "username")
            chat.update({k: profile[k] for k in names if profile.get(k) is not None})
        else:
            chat["title"] = f"Chat {chat_id}"
        with self._cond:
            self._chats[chat_id] = chat
            return {
                "update_id": next(self._update_ids),
                "message": {
                    "message_id": self._next_message_id(chat_id),
                    "date": int(time.time()),
                    "chat": self._chats[chat_id],
                    "from": self._user_json(user_id, profile),
                    **content,
                },
            }

    @staticmethod
    def _user_json(user_id: int, profile: dict[str, Any]) -> dict[str, Any]:
        user = {
            "id": user_id,
            "is_bot": False,
            "first_name": profile["first_name"],
            "last_name": profile.get("last_name"),
            "username": profile.get("username"),
            "language_code": profile.get("language_code"),
        }
        return {k: v for k, v in user.items() if v is not None}

    # -- request dispatch --------------------------------------------------------------------

    def _dispatch(self, token: str, method: str, params: dict[str, Any]) -> Any:
        """Serve one Bot API call and return its result; raises _ApiError for error answers."""
        if token != self.token:
            raise _ApiError(401, "Unauthorized")
        name = self._method_names.get(method.lower())
        if name is None:
            raise _ApiError(404, "Not Found")
        chat_id = self._chat_of(name, params)
        with self._cond:
            if self._arriving(name):
                raise _Unanswered(name)
            at = time.monotonic()
            try:
                result = self._run(name, params, chat_id, at)
            except _ApiError as error:
                self._record(Call(name, params, chat_id, at, error.code))
                raise
            self._record(Call(name, params, chat_id, at))
            self._run_after_call(name)
            if name == "getUpdates":
                result = self._collect_updates(params)
            return result

    def _run(self, method: str, params: dict[str, Any], chat_id: int | None, at: float) -> Any:
        self._gate(method, params, chat_id, at)
        try:
            return self._handlers[method](params, chat_id)
        except (ValueError, TypeError, KeyError) as error:
            raise _bad_request(f"invalid parameters: {error!r}") from error

    def _run_after_call(self, method: str) -> None:
        hooks = self._after_calls.get(method)
        if not hooks:
            return
        done = len([c for c in self._calls if c.method == method and c.ok])
        for hook in [hook for hook in hooks if hook[0] == done]:
            hooks.remove(hook)
            hook[1]()

    def _record(self, call: Call) -> None:
        self._calls.append(call)
        for observer in self._observers:
            observer(call)
        self._cond.notify_all()

    def _chat_of(self, method: str, params: dict[str, Any]) -> int | None:
        if method == "answerCallbackQuery":
            return self._callback_chats.get(str(params.get("callback_query_id")))
        chat_id = params.get("chat_id")
        return chat_id if isinstance(chat_id, int) else None

    def _gate(self, method: str, params: dict[str, Any], chat_id: int | None, at: float) -> None:
        """Refuse the call before it takes effect: injected 429s, flood limit, chat checks."""
        failures = self._failures.get(method)
        if failures:
            raise _flood(failures.popleft())
        if method not in SEND_METHODS:
            return
        if chat_id is None:
            raise _bad_request("chat not found" if params.get("chat_id") else "chat_id is empty")
        if self._rate_limit is not None:
            while self._window and self._window[0] <= at - 1.0:
                self._window.popleft()
            if len(self._window) >= self._rate_limit:
                self._refused.append(Call(method, params, chat_id, at, 429))
                raise _flood(1)
            self._window.append(at)
        if chat_id in self._blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")

    # -- method implementations (called with the lock held) ----------------------------------

    @staticmethod
    def _ok(params: dict[str, Any], chat_id: int | None) -> bool:
        return True

    def _confirm_updates(self, params: dict[str, Any], chat_id: int | None) -> None:
        if self.webhook.url:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        if offset < 0:
            self._updates = self._updates[offset:]
        elif offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _collect_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long poll: wait up to ``timeout`` seconds for updates, then hand them out."""
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        while not self._updates and not self._stopped:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._cond.wait(remaining)
        batch = self._updates[:limit]
        now = time.monotonic()
        for update in batch:
            self.delivered_at.setdefault(update["update_id"], now)
        return batch

    def _set_webhook(self, params: dict[str, Any], chat_id: int | None) -> bool:
        self.webhook = Webhook(
            url=str(params.get("url") or ""),
            secret_token=params.get("secret_token"),
            drop_pending_updates=bool(params.get("drop_pending_updates")),
            allowed_updates=params.get("allowed_updates"),
        )
        if self.webhook.drop_pending_updates:
            self._updates.clear()
        return True

    def _delete_webhook(self, params: dict[str, Any], chat_id: int | None) -> bool:
        self.webhook = Webhook(drop_pending_updates=bool(params.get("drop_pending_updates")))
        if self.webhook.drop_pending_updates:
            self._updates.clear()
        return True

    def _webhook_info(self, params: dict[str, Any], chat_id: int | None) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.allowed_updates is not None:
            info["allowed_updates"] = self.webhook.allowed_updates
        return info

    def _send_message(self, params: dict[str, Any], chat_id: int | None) -> dict[str, Any]:
        text = self._checked_text(params, chat_id)
        return self._deliver(chat_id, text=text, reply_markup=self._checked_markup(params))

    def _send_contact(self, params: dict[str, Any], chat_id: int | None) -> dict[str, Any]:
        contact = {
            key: params[key]
            for key in ("phone_number", "first_name", "last_name", "vcard", "user_id")
            if params.get(key) is not None
        }
        return self._deliver(chat_id, contact=contact, reply_markup=self._checked_markup(params))

    def _send_file(self, kind: str, params: dict[str, Any], chat_id: int | None
                   ) -> dict[str, Any]:
        upload = params.get(kind)
        caption = params.get("caption") or None
        self._refusal(caption, chat_id)
        shown = str(caption or "")
        if caption is not None and str(params.get("parse_mode") or "").upper() == "HTML":
            shown = _parse_telegram_html(str(caption))
        if len(shown.encode("utf-16-le")) // 2 > _MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        if kind == "photo" and isinstance(upload, str) and upload:  # sent again by its id
            if upload not in self._file_ids:
                raise _bad_request("wrong file identifier/HTTP URL specified")
            return self._deliver(chat_id, text=caption, reply_markup=self._checked_markup(params),
                                 file=File(kind, upload, b"", file_id=upload))
        if not isinstance(upload, bytes) or not upload:
            raise _bad_request(f"there is no {kind} in the request")
        name = upload.filename if isinstance(upload, Upload) else kind
        return self._deliver(chat_id, text=caption, reply_markup=None,
                             file=File(kind, name, upload))

    def _edit_message_text(self, params: dict[str, Any], chat_id: int | None) -> dict[str, Any]:
        return self._edit(params, chat_id, text=self._checked_text(params, chat_id))

    def _edit_message_reply_markup(
        self, params: dict[str, Any], chat_id: int | None
    ) -> dict[str, Any]:
        return self._edit(params, chat_id, text=None)

    def _set_my_commands(self, params: dict[str, Any], chat_id: int | None) -> bool:
        self._commands[self._commands_key(params)] = list(params.get("commands") or [])
        return True

    def _delete_my_commands(self, params: dict[str, Any], chat_id: int | None) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _get_my_commands(self, params: dict[str, Any], chat_id: int | None) -> list[dict[str, Any]]:
        return self._commands.get(self._commands_key(params), [])

    # -- helpers for the methods -------------------------------------------------------------

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _checked_text(self, params: dict[str, Any], chat_id: int | None) -> str:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad_request("message text is empty")
        self._refusal(text, chat_id)
        shown = text
        if str(params.get("parse_mode") or "").upper() == "HTML":
            shown = _parse_telegram_html(text)
        if not shown:
            raise _bad_request("message text is empty")
        if len(shown.encode("utf-16-le")) // 2 > _MAX_TEXT_LENGTH:
            raise _bad_request("message is too long")
        return text

    @staticmethod
    def _checked_markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        for row in (_inline_markup(markup) or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and len(str(data).encode()) > _MAX_CALLBACK_DATA_BYTES:
                    raise _bad_request("BUTTON_DATA_INVALID")
        return markup

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_counters.setdefault(chat_id, itertools.count(1)))

    def _find_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        return next(
            (m for m in self._messages.get(chat_id, []) if m.message_id == message_id), None
        )

    def _deliver(
        self,
        chat_id: int | None,
        *,
        reply_markup: dict[str, Any] | None,
        text: str | None = None,
        contact: dict[str, Any] | None = None,
        file: File | None = None,
    ) -> dict[str, Any]:
        assert chat_id is not None  # _gate refuses chat-less sends
        message = SentMessage(
            file=file,
            message_id=self._next_message_id(chat_id),
            chat_id=chat_id,
            text=text,
            reply_markup=reply_markup,
            contact=contact,
            date=int(time.time()),
            sent_at=time.monotonic(),
        )
        self._messages.setdefault(chat_id, []).append(message)
        return self._message_json(message)

    def _edit(
        self, params: dict[str, Any], chat_id: int | None, *, text: str | None
    ) -> dict[str, Any]:
        assert chat_id is not None  # _gate refuses chat-less edits
        message = self._find_message(chat_id, int(params.get("message_id") or 0))
        if message is None:
            raise _bad_request("message to edit not found")
        markup = _inline_markup(self._checked_markup(params))
        new_text = message.text if text is None else text
        if new_text == message.text and markup == _inline_markup(message.reply_markup):
            raise _ApiError(400, NOT_MODIFIED)
        message.text, message.reply_markup = new_text, markup
        message.edited_at = time.monotonic()
        return self._message_json(message)

    def _message_json(self, message: SentMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": self._chats.get(message.chat_id, {"id": message.chat_id, "type": "private"}),
            "from": self.bot_user,
        }
        optional = {
            "text": message.text,
            "contact": message.contact,
            "reply_markup": _inline_markup(message.reply_markup),
            "edit_date": (
                None
                if message.edited_at is None
                else message.date + round(message.edited_at - message.sent_at)
            ),
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        return body
