"""Dates in texts: in the participant's language, and never a made-up one."""

from __future__ import annotations

import datetime as dt

import pytest

from coffee.app import Bot

WEEK = "{{ week|date('d MMMM') }}"
ANSWER = "Answer for the week from {{ invitation.week|date('d MMMM') }}"  # flows/start.yaml


def test_a_date_is_written_in_the_participants_language(bot: Bot) -> None:
    given = {"invitation": {"week": dt.date(2026, 11, 30)}}
    assert bot.engine.renderer.render_inline(ANSWER, "uk", given) == \
        "Відповісти на тиждень з 30 листопада"
    assert bot.engine.renderer.render_inline(ANSWER, "en", given) == \
        "Answer for the week from 30 November"
    # a text the language does not translate is written whole in the source language, its
    # date too: never half and half
    assert bot.engine.renderer.render_inline(WEEK, "uk", {"week": dt.date(2026, 11, 30)}) == \
        "30 November"


def test_a_missing_date_fails_instead_of_printing_today(bot: Bot) -> None:
    # Babel formats None as today's date: a text would name a week nobody meant.
    with pytest.raises(ValueError, match="no date given"):
        bot.engine.renderer.render_inline(WEEK, "uk", {"week": None})
