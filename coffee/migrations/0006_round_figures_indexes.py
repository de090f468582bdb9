"""Indexes from which the rounds' figures are counted without reading the rows: answers by
round, status and reason; feedback by meeting, whether they met, rating and reason (the rounds
list and its export read a year of them)."""

from coffee.models import MeetingFeedback, Participation


def up(migrator, db):
    for model in (Participation, MeetingFeedback):
        model._schema.create_indexes(safe=True)
