#!/usr/bin/env bash
# Sets up .venv from pyproject.toml (if missing or out of date) and runs the test suite.
set -euo pipefail
cd "$(dirname "$0")"
# Debian packages the tests need: msgfmt (gettext) checks the catalogs the way translators'
# tools do; the web panel's tests drive the system Chromium through its driver (no browser
# download).
missing=()
command -v msgfmt >/dev/null || missing+=(gettext)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
stamp=.venv/.installed-from
if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[dev]'
    cp pyproject.toml "$stamp"
fi
.venv/bin/ruff check .
.venv/bin/mypy  # engine/, runner.py, scheduler.py (pyproject.toml [tool.mypy])
exec .venv/bin/python -m pytest "$@"
