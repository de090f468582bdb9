"""Loaded by every Python subprocess the test kit starts (PYTHONPATH): loopback only."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import loopback_only

loopback_only.install()
sys.path.pop(0)
