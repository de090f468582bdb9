#!/usr/bin/env bash
# Sets up .venv from pyproject.toml (if missing or out of date) and runs the test suite.
set -euo pipefail
cd "$(dirname "$0")"
# msgfmt (gettext) checks the catalogs the way translators' tools do.
if ! command -v msgfmt >/dev/null; then
    apt-get update -qq && apt-get install -y -qq gettext >/dev/null
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
exec .venv/bin/python -m pytest "$@"
