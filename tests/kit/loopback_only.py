"""Tests reach nothing but this machine: any connection or name lookup beyond loopback fails
at once with a clear message, in the test process and in every subprocess the kit starts."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Where a test's settings point the Bot API unless it starts a fake one: a loopback port nobody
# listens on (discard), so nothing ever defaults to the real api.telegram.org.
UNREACHABLE_API = "http://127.0.0.1:9"
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class NetworkBlocked(ConnectionRefusedError):
    """A test tried to reach beyond loopback."""


def is_local(host: object) -> bool:
    if host is None or host in ("", b""):
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.lower() in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _refuse(what: str) -> NetworkBlocked:
    return NetworkBlocked(f"tests may reach loopback only, not {what}: "
                          "point the code at a fake (tests/kit) instead")


def install() -> None:
    """Guard `socket` for the rest of the process (idempotent)."""
    if getattr(socket, "_loopback_only", False):
        return
    connect, connect_ex, getaddrinfo = (socket.socket.connect, socket.socket.connect_ex,
                                        socket.getaddrinfo)

    def checked(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
            raise _refuse(f"{address[0]}:{address[1]}")

    def guarded_connect(sock: socket.socket, address: Any) -> None:
        checked(sock, address)
        connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: Any) -> int:
        checked(sock, address)
        return connect_ex(sock, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_local(host):
            raise _refuse(f"{host!r} (name lookup)")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign]  # patched on purpose
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]  # the same
    socket.getaddrinfo = guarded_getaddrinfo
    socket._loopback_only = True  # type: ignore[attr-defined]  # our mark on the module


def subprocess_env(env: Mapping[str, str]) -> dict[str, str]:
    """`env` for a Python subprocess of the tests: guarded too (see netguard/sitecustomize.py)."""
    guard = str(Path(__file__).resolve().parent / "netguard")
    paths = [guard, *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}
