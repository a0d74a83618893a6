"""Lesson 04, wrong answers a new learner writes that the catalogue (cases_04.py) does
not hold: every image mode, boundary sizes, keys with spaces, unicode and '+', 0-byte and
undecodable thumbnails, swallowed exceptions, hard-coded examples, units. Each must get
feedback naming what the function did (its error, what it wrote or did not write)."""

import textwrap

from mistakes_runner import Mistake
from snippets_04 import LOOP, NOT_AN_IMAGE, THUMBNAIL

MISTAKES = {
    "04.1": [
        Mistake(
            "decodes '%20' only: a space arrives as '+'",
            solution="key = key.replace('%20', ' ')",
            expect=["NoSuchKey", "my photo.jpg", "my+photo.jpg"],
        ),
        Mistake(
            "hard-codes the lesson's 'é': other escapes stay",
            solution="key = key.replace('+', ' ').replace('%C3%A9', 'é')",
            expect=["NoSuchKey", "café crème.jpg", "%C3%A8"],
        ),
        Mistake(
            "crash: unquote_plus given bytes",
            solution="key = unquote_plus(key.encode())",
            expect=["TypeError", "lambda_function.py, line"],
        ),
        Mistake(
            "decodes into a new name, asks S3 with the raw key",
            solution="decoded = unquote_plus(key)",
            expect=["NoSuchKey", "my+photo.jpg"],
        ),
        Mistake(
            "returns early for keys with a space: no thumbnail, no error",
            solution="key = unquote_plus(key)\nif ' ' in key:\n    return {'statusCode': 200}",
            expect=["my photo.jpg", "without an error", "wrote nothing"],
        ),
    ],
    "04.2": [
        Mistake(
            "converts RGBA and P only: a greyscale PNG with transparency (LA) fails",
            solution="if image.mode in ('RGBA', 'P'):\n    image = image.convert('RGB')",
            expect=["mode LA", "cannot write mode LA as JPEG"],
        ),
        Mistake(
            "converts the transparent modes only: a CMYK JPEG stays CMYK",
            solution="if image.mode in ('RGBA', 'P', 'LA'):\n    image = image.convert('RGB')",
            expect=["mode CMYK", "expected mode RGB"],
        ),
        Mistake(
            "decides by the key's extension: the GIF is not converted",
            solution="if key.endswith('.png'):\n    image = image.convert('RGB')",
            expect=["mode P", "cannot write mode P as JPEG"],
        ),
        Mistake(
            "skips every image that is not RGB, without an error",
            solution="if image.mode != 'RGB':\n    return {'statusCode': 200, 'body': 'skipped'}",
            expect=["sticker.png", "without an error", "wrote nothing"],
        ),
        Mistake(
            "converts to RGBA: JPEG cannot store it either",
            solution="image = image.convert('RGBA')",
            expect=["cannot write mode RGBA as JPEG"],
        ),
    ],
    "04.3": [
        Mistake(
            "an allow-list of JPEG only: PNG and GIF images are skipped",
            solution=(
                "if image_obj.get('ContentType') != 'image/jpeg':\n"
                "    print(f'Skipping {key}: not a JPEG')\n"
                "    return {'statusCode': 200}"
            ),
            expect=["image/png", "got no thumbnail", "Skipping"],
        ),
        Mistake(
            "logs a line that does not name the key",
            solution=(
                NOT_AN_IMAGE + "    print('Skipping: not an image')\n    return {'statusCode': 200}"
            ),
            expect=["does not name", "Skipping: not an image"],
        ),
        Mistake(
            "skips text/plain only: the PDF still fails",
            solution=(
                "if image_obj.get('ContentType') == 'text/plain':\n"
                "    print(f'Skipping {key}')\n"
                "    return {'statusCode': 200}"
            ),
            expect=["invoice.pdf", "application/pdf", "UnidentifiedImageError"],
        ),
        Mistake(
            "tries to open the body first: the body is read twice, images fail",
            solution=(
                "try:\n"
                "    Image.open(io.BytesIO(image_obj['Body'].read()))\n"
                "except Exception:\n"
                "    print(f'Skipping {key}')\n"
                "    return {'statusCode': 200}"
            ),
            expect=["real photo.jpg", "UnidentifiedImageError"],
        ),
    ],
    "04.4": [
        Mistake(
            "a str, not an int",
            solution="memory_mb = '512'",
            expect=["Invalid type for parameter MemorySize", "str"],
        ),
        Mistake(
            "a float",
            solution="memory_mb = 512.0",
            expect=["Invalid type for parameter MemorySize", "float"],
        ),
        Mistake(
            "in bytes, not MB",
            solution="memory_mb = 512 * 1024 * 1024",
            expect=["536870912", "less than or equal to 10240"],
        ),
        Mistake(
            "Lambda's largest size",
            solution="memory_mb = 10240",
            expect=["10240 MB"],
        ),
        Mistake(
            "twice what it needs",
            solution="memory_mb = 2048",
            expect=["1024 MB would leave 20% headroom too"],
        ),
    ],
    "04.5": [
        Mistake(
            "writes the buffer without seek(0): 0-byte thumbnails",
            solution=LOOP.replace("Body=buffer.getvalue()", "Body=buffer"),
            expect=["0 bytes", "px thumbnail of"],
        ),
        Mistake(
            "writes a truncated JPEG: the thumbnails do not decode",
            solution=LOOP.replace("Body=buffer.getvalue()", "Body=buffer.getvalue()[:600]"),
            expect=["not an image Pillow can read", "px thumbnail of"],
        ),
        Mistake(
            "smallest size first: the 800 px thumbnail is made from the 200 px one",
            solution=LOOP.replace("sorted(SIZES, reverse=True)", "sorted(SIZES)"),
            expect=["800 px thumbnail of", "expected"],
        ),
        Mistake(
            "a random output key: a retry writes new thumbnails",
            solution="import uuid\n"
            + LOOP.replace("thumbnail_key(key, size)", 'f"{size}/{uuid.uuid4().hex}.jpg"'),
            expect=["no 200 px thumbnail", "without an error", "instead"],
        ),
        Mistake(
            "swallows every exception: the sticker gets no thumbnail, silently",
            solution="for size in sorted(SIZES, reverse=True):\n    try:\n"
            + textwrap.indent(THUMBNAIL.replace("to_rgb(image).save", "image.save"), " " * 8)
            + "    except Exception:\n        pass\n",
            expect=["chelsea-sticker.png", "without an error"],
        ),
        Mistake(
            "resize to a square: the ratio is lost, small images grow",
            solution=LOOP.replace("    image.thumbnail((size, size))\n", "").replace(
                "to_rgb(image)", "to_rgb(image.resize((size, size)))"
            ),
            expect=["px thumbnail of 'astronaut.jpg'", "expected"],
        ),
    ],
}
