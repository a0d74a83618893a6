"""The mistakes suite: each test_lesson file walks one lesson in one kernel.

Run it alone with ``make mistakes`` (pytest-xdist, one lesson per worker:
``--dist loadfile``). tests/mistakes/mistakes_runner.py explains the walk;
cases_NN.py holds each lesson's wrong answers.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
