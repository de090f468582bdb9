#!/usr/bin/env bash
# Sets up .venv (when missing or when pyproject.toml changed) and runs the bot: polling when
# BOT_TOKEN is set (environment or .env), otherwise a console chat in this terminal.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
stamp=.venv/.installed-from  # shared with run_tests.sh: one install serves both
if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[dev]'
    cp pyproject.toml "$stamp"
fi
if .venv/bin/python -c 'from engine.settings import load_settings
raise SystemExit(0 if load_settings().bot_token else 1)' 2>/dev/null; then
    exec .venv/bin/python runner.py polling "$@"
fi
echo "BOT_TOKEN is not set: opening a console chat with the bot instead (Ctrl-D to leave)."
exec .venv/bin/python runner.py console "$@"
