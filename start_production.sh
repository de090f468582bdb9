#!/usr/bin/env bash
# Runs the bot in webhook mode (behind a reverse proxy), or with `panel` the organizers' web
# panel (its own service; `admin`, its former name, still works); settings come from the
# environment or .env.
# Set up once with ./start_development.sh or: python3 -m venv .venv && .venv/bin/pip install .
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
    echo "error: .venv is missing: python3 -m venv .venv && .venv/bin/pip install ." >&2
    exit 2
fi
if [ "${1:-}" = "panel" ] || [ "${1:-}" = "admin" ]; then
    shift
    exec .venv/bin/python runner.py panel "$@"
fi
exec .venv/bin/python runner.py webhook "$@"
