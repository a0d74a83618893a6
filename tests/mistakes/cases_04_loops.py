"""Loops a learner can build in lesson 04 (issue 23): each must be stopped and named.

cases_04.py holds the article's fan-out loop (two thumbnails per upload written back into
the uploads bucket, stopped by the sandbox); here, one thumbnail written back: a chain
AWS's recursive loop detection stops after 16 invocations, and the feedback says so.
"""

from mistakes_runner import Mistake

MISTAKES = {
    "04.5": [
        Mistake(
            "one thumbnail written back into the uploads bucket (a loop AWS stops at 16)",
            solution="""\
image.thumbnail((200, 200))
buffer = io.BytesIO()
to_rgb(image).save(buffer, "JPEG", quality=85)
output_key = thumbnail_key(key, 200)
s3.put_object(Bucket=bucket, Key=output_key, Body=buffer.getvalue(),
              ContentType="image/jpeg")
written.append(output_key)
""",
            expect=[
                "resizer writes into lesson04-uploads, the bucket that triggers it",
                "AWS's recursive loop detection stops this loop too",
            ],
        ),
    ],
}
