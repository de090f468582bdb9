"""python-telegram-bot's HTTP requests made with aiohttp, and the Bot API's outages.

The default client (httpx) spends several milliseconds of CPU per Bot API call and, with a
large connection pool, checks every idle connection on every request; with aiohttp the same
bot handles about three times as many updates a second (see bench/telegram.py).

Once the bot serves, every request tells `API_OUTAGE` whether the Bot API answered: a network
error, a timeout or a 5xx is a failed attempt, anything else an answer. So an outage is logged
once when it starts (naming the call that found it) and once when it ends, with the count of
failed calls; the callers, which retry, log no more about it.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram._utils.defaultvalue import DefaultValue  # what its own requests check too
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from engine.store.outage import Outage

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 5.0
CONNECTIONS = 64
SERVER_ERRORS = 500  # and above: the Bot API is away (a proxy's 502, an overload)

API_OUTAGE = Outage("the Telegram Bot API", logging.getLogger(__name__))
MEANWHILE = "updates and messages wait until it is back"
JSON_HEADERS = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """A `telegram.request.BaseRequest` on one aiohttp session (opened in `initialize`)."""

    def __init__(self, connections: int = CONNECTIONS, read_timeout: float = READ_TIMEOUT,
                 connect_timeout: float = CONNECT_TIMEOUT,
                 outage: Outage | None = None) -> None:
        # None until the bot serves: a failing start-up is one error line, not an outage.
        self.outage = outage
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(connector=connector,
                                                  headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=_given(connect_timeout, self._connect_timeout),
            sock_read=_given(read_timeout, self._read_timeout),
        )
        try:
            body, headers = _body(request_data)
            async with self._session.request(method, url, data=body, headers=headers,
                                             timeout=timeout) as response:
                answer = response.status, await response.read()
        except TimeoutError as error:
            self._failed(url, "timed out")
            raise TimedOut from error
        except aiohttp.ClientError as error:
            self._failed(url, type(error).__name__)
            raise NetworkError(f"aiohttp: {error!r}") from error
        if answer[0] >= SERVER_ERRORS:
            self._failed(url, f"HTTP {answer[0]}")
        elif self.outage is not None:
            self.outage.back()
        return answer

    def _failed(self, url: str, why: str) -> None:
        if self.outage is not None:
            call = urlsplit(url).path.rpartition("/")[2]
            self.outage.lost(f"{call}: {why}", meanwhile=MEANWHILE)


def _given(value: Any, default: float) -> float | None:
    """A timeout passed by python-telegram-bot, or ours when it passed its 'default' marker."""
    return default if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> tuple[Any, dict[str, str] | None]:
    """The request's body and its headers: its parameters as one JSON document (which the Bot
    API takes, and which costs aiohttp a fraction of a form's encoding), or a multipart form
    with the files to upload."""
    if request_data is None:
        return None, None
    if not request_data.contains_files:
        return request_data.json_payload, JSON_HEADERS
    # File names as they are (not percent-encoded: Telegram would show "%20"), as
    # python-telegram-bot's own client sends them.
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, upload in request_data.multipart_data.items():
        filename, content, *content_type = upload
        form.add_field(name, content, filename=filename,
                       content_type=content_type[0] if content_type else None)
    return form, None
