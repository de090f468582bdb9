"""An invitation stays answerable after the participant opened their profile."""

from __future__ import annotations

from coffee.models import Participation
from tests.kit.community import Community


def test_profile_offers_the_open_invitation(community: Community) -> None:
    olena = community.register(1, "Olena")
    assert "Відповісти на тиждень з 30 листопада" not in olena.last.labels
    community.run_and_deliver("invite")
    invitation = olena.keyboard_message()

    olena.command("start")
    assert olena.last.labels[0] == "Відповісти на тиждень з 30 листопада"
    assert olena.texts(olena.press("Так, беру участь", message=invitation))[0].startswith(
        "Ця кнопка — зі старого повідомлення.")

    olena.command("start")
    replies = olena.press("Відповісти на тиждень з 30 листопада")
    assert olena.texts(replies)[-1] == olena.texts([community.send.to(1)[0]])[0]
    olena.press("Так, беру участь")
    assert Participation.get(Participation.user == 1).status == "yes"
