"""Loops a learner can build in lesson 04 (issue 23): each must be stopped and named.

cases_04.py holds the article's fan-out loop (two thumbnails per upload written back into
the uploads bucket, stopped by the sandbox); here, one thumbnail written back: a chain
AWS's recursive loop detection stops after 16 invocations, and the feedback says so.
"""

from mistakes_runner import Mistake
from snippets_04 import THUMBNAIL

MISTAKES = {
    "04.5": [
        Mistake(
            "one thumbnail written back into the uploads bucket (a loop AWS stops at 16)",
            solution=THUMBNAIL.replace("size", "200").replace("OUTPUT_BUCKET", "bucket"),
            expect=[
                "resizer writes into lesson04-uploads, the bucket that triggers it",
                "AWS's recursive loop detection stops this loop too",
            ],
        ),
    ],
}
