"""Lesson 04's answers, once: the wrong answers of cases_04*.py are these with a change.

Not a cases file (``with_themes`` merges only ``cases_04_*.py``): the theme files import
from here, never from cases_04.py (which imports them).
"""

import textwrap

#: One thumbnail of 04.5's answer, for the size ``size``.
THUMBNAIL = """\
image.thumbnail((size, size))
buffer = io.BytesIO()
to_rgb(image).save(buffer, "JPEG", quality=85)
output_key = thumbnail_key(key, size)
s3.put_object(Bucket=OUTPUT_BUCKET, Key=output_key, Body=buffer.getvalue(),
              ContentType="image/jpeg")
written.append(output_key)
"""
#: 04.5's answer: every size, the largest first.
LOOP = "for size in sorted(SIZES, reverse=True):\n" + textwrap.indent(THUMBNAIL, "    ")
#: 04.3's test: is the object an image?
NOT_AN_IMAGE = "if not image_obj.get('ContentType', '').startswith('image/'):\n"
