"""``python -m lambdalab.grade`` still grades: the grader is ``python -m lambdalab.grading``.

Kept so that instructors' scripts written before the layout by role keep working; the
grader and its command line live in ``lambdalab/grading/`` (``__main__.py``).
"""

from __future__ import annotations

import sys

from lambdalab.grading.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
