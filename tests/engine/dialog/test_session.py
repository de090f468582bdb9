"""The stored dialogue context, typed in memory, round-trips through JSON."""

from __future__ import annotations

from engine.dialog.session import DialogContext, Frame


def test_context_round_trips_through_json() -> None:
    context = DialogContext(keyboard=7, picks=["books"], values={"note": "hi"},
                            stack=[Frame("start", "ProfileState"),
                                   Frame("start", "EditMenuState", single=True)])
    assert DialogContext.from_json(context.to_json()) == context
    assert DialogContext.from_json(None) == DialogContext()
