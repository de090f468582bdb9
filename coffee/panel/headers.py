"""The security headers of every panel response: scripts only from the panel's own files (no
inline script, no eval), no framing by other sites, no content sniffing, no address leaking to
other sites."""

from __future__ import annotations

import base64
import hashlib

from flask import Flask
from werkzeug.wrappers import Response


def _sha256(source: str) -> str:
    """A CSP hash source for an inline script or handler."""
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


# The one inline handler Flask-Admin's pages carry (its filter menu's items), allowed by its
# hash: it only keeps the link from navigating.
FILTER_MENU_HANDLER = "return false;"
# Inline styles stay allowed: the templates and the preview's frame use style attributes;
# scripts do not.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    f"script-src-attr 'unsafe-hashes' '{_sha256(FILTER_MENU_HANDLER)}'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def install(app: Flask) -> None:
    """Add the headers to every response of `app`."""

    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
