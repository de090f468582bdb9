"""A long job's log: done / total, rate and ETA while it runs, and its summary line."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from coffee.cycle.progress import Progress, Summary


def test_progress_lines_tell_done_total_rate_and_eta(caplog: pytest.LogCaptureFixture) -> None:
    beats = []
    progress = Progress("invite", 4, every=0.0, on_log=lambda: beats.append(1))
    with caplog.at_level(logging.INFO, logger="coffee.cycle"):
        progress.step()
        progress.step()
    first, second = (record.getMessage() for record in caplog.records)
    assert first.startswith("invite: 1/4 (25%), ")
    assert second.startswith("invite: 2/4 (50%), ")
    assert "/s, ETA " in second
    assert len(beats) == 2


def test_a_summary_is_one_line_in_a_fixed_order() -> None:
    summary = Summary("invite", dt.date(2026, 11, 30))
    summary.add("invited", 0)
    summary.add("skipped", 2)
    summary.add("invited")
    summary.notes.append("a note")
    assert summary.line() == "invite 2026-11-30: invited 1, skipped 2; a note"
    assert Summary("match", dt.date(2026, 11, 30)).line() == "match 2026-11-30: nothing to do"
