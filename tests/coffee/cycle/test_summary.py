"""A weekly job's summary line."""

from __future__ import annotations

import datetime as dt

from coffee.cycle.summary import Summary


def test_a_summary_is_one_line_in_a_fixed_order() -> None:
    summary = Summary("invite", dt.date(2026, 11, 30))
    summary.add("invited", 0)
    summary.add("skipped", 2)
    summary.add("invited")
    summary.notes.append("a note")
    assert summary.line() == "invite 2026-11-30: invited 1, skipped 2; a note"
    assert Summary("match", dt.date(2026, 11, 30)).line() == "match 2026-11-30: nothing to do"
