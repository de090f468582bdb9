#!/usr/bin/env bash
# Sets up .venv (when missing or when pyproject.toml changed) and runs the bot: polling when
# BOT_TOKEN is set (environment or .env), otherwise a console chat in this terminal. The
# organizers' web panel runs beside it; its address and a login link are printed first.
set -euo pipefail
cd "$(dirname "$0")"
# `runner.py preview --html` draws each flow's graph with Graphviz's dot (Debian's graphviz).
if ! command -v dot >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null
    else
        echo "Graphviz is not installed: runner.py preview draws no flow graphs until" \
             "'sudo apt-get install graphviz'"
    fi
fi
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
stamp=.venv/.installed-from  # shared with run_tests.sh: one install serves both
if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[dev]'
    cp pyproject.toml "$stamp"
fi

organizer=$(.venv/bin/python -c 'from engine.settings import load_settings
print(min(load_settings().organizer_ids, default=""))')
echo "Organizers' web panel: $(.venv/bin/python -c 'from engine.settings import load_settings
print(load_settings().panel_url)') (its log: panel.log)"
if [ -n "$organizer" ]; then
    echo "Log in as $organizer (single use, 10 minutes): $(.venv/bin/python runner.py panel-link --user "$organizer")"
else
    echo "Put your Telegram id into ORGANIZER_IDS to get a login link: python runner.py panel-link --user ID"
fi
.venv/bin/python runner.py panel 2>>panel.log &
panel=$!
trap 'kill "$panel" 2>/dev/null || true' EXIT

if .venv/bin/python -c 'from engine.settings import load_settings
raise SystemExit(0 if load_settings().bot_token else 1)' 2>/dev/null; then
    .venv/bin/python runner.py polling "$@"
else
    echo "BOT_TOKEN is not set: opening a console chat with the bot instead (Ctrl-D to leave)."
    .venv/bin/python runner.py console "$@"
fi
