"""What a weekly job did, as counts in a fixed order plus notes for the organizers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Summary:
    """What a job did, as counts in a fixed order plus notes for the organizers."""

    job: str
    week: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, what: str, count: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + count

    def line(self) -> str:
        counts = ", ".join(f"{what} {count}" for what, count in self.counts.items())
        text = f"{self.job} {self.week.isoformat()}: {counts or 'nothing to do'}"
        return "; ".join([text, *self.notes])
