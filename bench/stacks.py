"""Where a running process spends its CPU: py-spy (`pip install py-spy`, not a dependency of
the bot) samples it from outside, all threads, without pausing it, and writes folded stacks;
`top_costs` sums them up per function.

    recording = Recording(Path("profiles/polling-SQLite-1.txt"))
    with recording.of(pid):
        ...                                    # the load to look at
    print(top_costs([recording.path]))
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SAMPLES_PER_SECOND = 250
ATTACH_SECONDS = 0.5
TOP = 25
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


class Recording:
    """Folded stacks of a process, written to `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def of(self, pid: int) -> Iterator[None]:
        """Sample process `pid` (its threads busy on the CPU) while the block runs."""
        binary = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        if not Path(binary).exists():
            sys.exit("--py-spy needs py-spy: pip install py-spy")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        sampler = subprocess.Popen(
            [binary, "record", "--pid", str(pid), "--format", "raw", "--nonblocking",
             "--rate", str(SAMPLES_PER_SECOND), "--output", str(self.path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(ATTACH_SECONDS)
        try:
            yield
        finally:
            sampler.send_signal(signal.SIGINT)  # py-spy writes what it sampled and exits
            _, problems = sampler.communicate(timeout=30)
            if not self.path.exists():
                sys.exit(f"py-spy recorded nothing: {problems.decode(errors='replace')}")


def top_costs(paths: list[Path], top: int = TOP) -> str:
    """The functions most often on the CPU in the folded stacks of `paths`: by samples in the
    function itself, and by samples in it or in what it called."""
    own: Counter[str] = Counter()
    within: Counter[str] = Counter()
    total = 0
    for path in paths:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            frames = [_function(frame) for frame in stack.split(";")]
            total += int(count)
            own[frames[-1]] += int(count)
            for frame in set(frames):
                within[frame] += int(count)
    lines = [f"where the bot's CPU went: {total} samples of {len(paths)} run(s)"]
    for title, counter in (("in the function itself", own),
                           ("in the function or what it called", within)):
        lines.append(f"  {title}:")
        lines += [f"    {100 * count / total:5.1f}%  {function}"
                  for function, count in counter.most_common(top)]
    return "\n".join(lines)


def _function(frame: str) -> str:
    """`handle (engine/dialog/engine.py)` of `handle (/path/engine/dialog/engine.py:73)`."""
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    file = match["file"]
    for marker in ("site-packages/", "/lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    else:
        file = file.rsplit("/", 3)[-1] if file.startswith("/") else file
    return f"{match['function']} ({file})"
