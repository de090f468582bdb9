#!/usr/bin/env bash
# Sets up .venv from pyproject.toml (if missing or out of date) and runs the test suite, on
# SQLite and then on PostgreSQL (TEST_DATABASE_URL set: only on the database it names).
set -euo pipefail
cd "$(dirname "$0")"
# Debian packages the tests need: msgfmt (gettext) checks the catalogs the way translators'
# tools do; the web panel's and the preview's tests drive the system Chromium through its
# driver (no browser download); the preview draws the flow graphs with Graphviz's dot.
missing=()
command -v msgfmt >/dev/null || missing+=(gettext)
command -v dot >/dev/null || missing+=(graphviz)
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
if [ -n "${TEST_DATABASE_URL:-}" ]; then  # a database of the caller's choice: one pass on it
    exec .venv/bin/python -m pytest "$@"
fi
# The whole suite twice at once: on SQLite, and on a throwaway PostgreSQL cluster (.ci/postgres)
# that is stopped and removed however the run ends. Most test time is spent waiting on
# subprocesses, so the passes share their wall time; both must pass.
cluster=$(mktemp -d /tmp/random-coffee-postgres.XXXXXX)
logs=$(mktemp -d /tmp/random-coffee-tests.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; .ci/postgres stop "$cluster"; rm -rf "$logs"' EXIT
SECONDS=0
run_pass() {  # NAME [VARIABLE=VALUE]: one pytest run, its output and its time in $logs/NAME
    local name=$1 status=0
    shift
    env "$@" .venv/bin/python -m pytest "${pytest_args[@]}" >"$logs/$name" 2>&1 || status=$?
    echo "$name pass: exit code $status after ${SECONDS} s" >>"$logs/$name"
    return $status
}
pytest_args=("$@")
run_pass SQLite & pids+=($!)
url=$(.ci/postgres start "$cluster")
run_pass PostgreSQL "TEST_DATABASE_URL=$url" & pids+=($!)
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
cat "$logs/SQLite" "$logs/PostgreSQL"
grep -h -E "^(FAILED|ERROR) |pass: exit code" "$logs/SQLite" "$logs/PostgreSQL" || true
exit $status
