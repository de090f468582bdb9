"""A long run's log: done / total, rate and ETA while it runs."""

from __future__ import annotations

import logging

import pytest

from engine.delivery.progress_log import ProgressLog


def test_progress_lines_tell_done_total_rate_and_eta(caplog: pytest.LogCaptureFixture) -> None:
    beats = []
    progress = ProgressLog("invite", 4, every=0.0, on_log=lambda: beats.append(1))
    with caplog.at_level(logging.INFO, logger="engine.delivery.progress_log"):
        progress.step()
        progress.step()
    first, second = (record.getMessage() for record in caplog.records)
    assert first.startswith("invite: 1/4 (25%), ")
    assert second.startswith("invite: 2/4 (50%), ")
    assert "/s, ETA " in second
    assert len(beats) == 2
