"""Loaded by every Python subprocess the test kit starts (PYTHONPATH): loopback only, and the
clock a test moved (TEST_CLOCK_FILE, see tests/kit/moved_clock.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import loopback_only
import moved_clock

loopback_only.install()
moved_clock.install()
sys.path.pop(0)
