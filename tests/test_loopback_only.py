"""The tests' network guard: loopback works, anything else fails with a clear message, in the
test process and in the subprocesses the kit starts; test settings never point at the real Bot
API."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit

import pytest

from tests.kit import FakeBotAPI
from tests.kit.loopback_only import UNREACHABLE_API, NetworkBlocked
from tests.kit.running import runner_env
from tests.kit.settings import settings_for


def test_loopback_is_reachable() -> None:
    with FakeBotAPI() as fake:
        port = urlsplit(fake.url).port
        for host in ("127.0.0.1", "localhost"):
            socket.create_connection((host, port), timeout=5).close()


def test_anything_else_fails_with_a_clear_message() -> None:
    with pytest.raises(URLError, match=re.escape(
            "tests may reach loopback only, not 'api.telegram.org' (name lookup)")):
        urllib.request.urlopen("https://api.telegram.org/", timeout=5)
    with socket.socket() as sock, pytest.raises(NetworkBlocked, match=re.escape(
            "tests may reach loopback only, not 1.1.1.1:443")):
        sock.connect(("1.1.1.1", 443))


def test_a_subprocess_of_the_kit_is_guarded_and_never_defaults_to_the_real_bot_api() -> None:
    code = ("import os, socket\n"
            "print(os.environ['TELEGRAM_API_URL'])\n"
            "socket.create_connection(('api.telegram.org', 443), timeout=5)\n")
    result = subprocess.run([sys.executable, "-c", code], env=runner_env(), capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.strip() == "http://127.0.0.1:9"
    assert "NetworkBlocked: tests may reach loopback only" in result.stderr


def test_test_settings_never_default_to_the_real_bot_api(tmp_path: Path) -> None:
    assert settings_for(tmp_path).telegram_api_url.startswith(UNREACHABLE_API)


def test_tests_build_settings_only_through_the_kit() -> None:
    """The engine's defaults (the real Bot API, the working directory's .env) stay out of the
    tests: settings come from tests/kit/settings.py."""
    tests = Path(__file__).parent
    kit = tests / "kit" / "settings.py"
    loads = re.compile(r"\bload_(?:\w+_)?" r"settings\(")  # load_settings, load_bot_settings
    direct = [str(path.relative_to(tests)) for path in sorted(tests.rglob("*.py"))
              if path != kit and loads.search(path.read_text(encoding="utf-8"))]
    assert direct == []
