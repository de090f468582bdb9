from tests.kit.participant import Participant


def test_new_participant_is_greeted_and_asked_first_question(participant: Participant) -> None:
    texts = participant.texts(participant.command("start"))
    assert texts[0].startswith("Привіт! Я бот Random Coffee.")
    assert texts[-1] == "1. Як вас звати? Напишіть ім’я."
