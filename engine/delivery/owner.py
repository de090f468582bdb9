"""Who holds a claim (an outbox row being sent, a job being run), and whether they are gone.

A claim records its holder as `host:pid:start` (the process's start time, so that a reused pid
is not taken for the dead one). A holder on this machine whose process no longer exists died:
its claims are taken back at once. A holder elsewhere is trusted until its lease runs out,
which it renews while it works.
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path


@cache
def this_process() -> str:
    """This process as a claim holder."""
    return holder_of(os.getpid())


def holder_of(pid: int) -> str:
    """A process of this machine as a claim holder."""
    return f"{socket.gethostname()}:{pid}:{_started(pid)}"


def on_this_machine(holder: str | None) -> bool:
    """Whether `holder` is (or was) a process of this machine: is_gone knows about it."""
    host, _, rest = (holder or "").partition(":")
    return host == socket.gethostname() and rest.partition(":")[0].isdigit()


def is_gone(holder: str | None) -> bool:
    """Whether `holder` is a process of this machine that has ended (or is a zombie)."""
    if not on_this_machine(holder):
        return False
    pid_text, _, started = (holder or "").split(":", 1)[1].partition(":")
    state, now_started = _stat(int(pid_text))
    return state in ("", "Z", "X") or now_started != started


def _started(pid: int) -> str:
    return _stat(pid)[1]


def _stat(pid: int) -> tuple[str, str]:
    """The process's state letter and start time in clock ticks since boot (Linux): ("", "")
    when there is no such process, ("?", "") where /proc cannot tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except FileNotFoundError:
        return ("", "") if Path("/proc/self/stat").exists() else _signal_probe(pid)
    except OSError:
        return "?", ""
    return fields[0], fields[19] if len(fields) > 19 else ""


def _signal_probe(pid: int) -> tuple[str, str]:
    """Without /proc: whether the pid exists at all."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return "", ""
    except PermissionError:
        pass
    return "?", ""
