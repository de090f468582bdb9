"""End-to-end tests: the real runner.py over real HTTP against the fake Bot API."""
