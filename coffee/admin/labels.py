"""Answers as organizers read them: an option id stored for a question (`no_time`) shown as
the label of the button the participant pressed, in the organizer's language."""

from __future__ import annotations

from engine.flows.library import FlowLibrary

NO_REASON = "none"  # a decline whose reason was skipped (coffee.organizers.stats)

# What the statistics count by reason, and the question whose options name the reasons.
REASON_QUESTIONS = {"decline": ("invitation", "reason"), "why_not": ("feedback", "reason")}


def option_labels(library: FlowLibrary, flow: str, answer: str) -> dict[str, str]:
    """Option id -> label (a msgid) of the question of `flow` that stores `answer`; a skipped
    answer (`NO_REASON`) is labelled with the question's skip button. Empty when the flow
    has no such question."""
    spec = library.flows.get(flow)
    asks = [state.ask for state in spec.states.values() if state.ask] if spec else []
    labels: dict[str, str] = {}
    for ask in asks:
        if ask.answer == answer:
            labels.update({option.id: option.label for option in ask.options})
            if ask.skip:
                labels.setdefault(NO_REASON, ask.skip)
    return labels


def reason_labels(library: FlowLibrary) -> dict[str, dict[str, str]]:
    """The labels of the decline reasons and of why a meeting did not happen."""
    return {kind: option_labels(library, flow, answer)
            for kind, (flow, answer) in REASON_QUESTIONS.items()}
