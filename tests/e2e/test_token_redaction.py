"""The scrubbing filter, the second line of defence behind quieting the HTTP client's logs
(the first is checked on a real runner's INFO log by the journey test)."""

from __future__ import annotations

import io
import logging

from engine.transports.telegram.redact import MASK, RedactToken

TOKEN = "123456:SECRET-token"


def test_the_token_is_scrubbed_from_messages_and_tracebacks() -> None:
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.addFilter(RedactToken(TOKEN))
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise ConnectionError(f"https://api.telegram.org/bot{TOKEN}/sendMessage")
        except ConnectionError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    text = output.getvalue()
    assert TOKEN not in text
    assert text.count(MASK) == 2
