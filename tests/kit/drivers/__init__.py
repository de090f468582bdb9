"""Drivers: one way to play a participant, whatever carries the chat.

`protocol.Driver` names the verbs; `tests/kit/participant.py` implements them over the engine
seam, `console.ConsoleParticipant` over the console transport, `telegram.TelegramUser` over the
real runner.py and the fake Bot API. Import from the modules.
"""
