"""python-telegram-bot's HTTP requests made with aiohttp.

The default client (httpx) spends several milliseconds of CPU per Bot API call and, with a
large connection pool, checks every idle connection on every request; with aiohttp the same
bot handles about three times as many updates a second (see bench/telegram.py).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue  # what its own requests check too
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 5.0
CONNECTIONS = 64


class AiohttpRequest(BaseRequest):
    """A `telegram.request.BaseRequest` on one aiohttp session (opened in `initialize`)."""

    def __init__(self, connections: int = CONNECTIONS, read_timeout: float = READ_TIMEOUT,
                 connect_timeout: float = CONNECT_TIMEOUT) -> None:
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
            async with self._session.request(method, url, data=_body(request_data),
                                             timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp: {error!r}") from error


def _given(value: Any, default: float) -> float | None:
    """A timeout passed by python-telegram-bot, or ours when it passed its 'default' marker."""
    return default if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> Any:
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, upload in request_data.multipart_data.items():
        filename, content, *content_type = upload
        form.add_field(name, content, filename=filename,
                       content_type=content_type[0] if content_type else None)
    return form
