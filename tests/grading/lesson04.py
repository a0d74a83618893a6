"""Hidden grading tests for lesson 04, the image resizer (never in the student bundle).

Each test uploads one or two more files than the public check (each upload waits for the
function), with keys and images the check does not try. 04.4 is its public check.
"""

from __future__ import annotations

import io

from lambdalab.course.checks import NotYet
from lambdalab.course.checks import lesson04 as c
from lambdalab.course.probe import Deployed, s3_object
from lambdalab.grading import hidden_test


def _png(mode, size=(240, 180)):
    from PIL import Image

    color = {"LA": (90, 128), "L": 90, "CMYK": (10, 80, 160, 0), "I;16": 3000}.get(mode, 90)
    image = Image.new(mode, size, color)
    buffer = io.BytesIO()
    image.save(buffer, "TIFF" if mode == "CMYK" else "PNG")
    return buffer.getvalue()


def _article_upload(name, body, content_type):
    key = f"{c.UPLOAD_PREFIX}{c._run_id()}/{name}"
    article = Deployed(c.ARTICLE_FUNCTION, clean=False)
    return key, c._upload(article, c.PHOTOS_BUCKET, key, body, content_type)


@hidden_test("04.1", points=4)
def decode_the_key(answer, rubric):
    """4 points: the public check (3), a key with more characters S3 encodes (1)."""
    if not rubric.public_check(answer, points=3):
        return
    with rubric.part("a key with a percent sign, '&', '#' and accents in a folder", points=1):
        key, upload = _article_upload("été 2026/100% Ünïcode & co #1.jpg", c._jpeg(), "image/jpeg")
        thumbnail = c._article_thumbnail(key, upload)
        if max(thumbnail.size) > 200:
            raise NotYet(f"the thumbnail of {key!r} is {thumbnail.size}; expected at most 200 px")


@hidden_test("04.2", points=4)
def convert_the_mode(answer, rubric):
    """4 points: the public check (3), other pixel modes (1)."""
    if not rubric.public_check(answer, points=3):
        return
    with rubric.part("a greyscale PNG with transparency (mode LA) and a CMYK TIFF", points=1):
        # A grey picture may stay grey (L); a colour one (CMYK) must come out in RGB.
        for name, body, content_type, modes in [
            ("grey.png", _png("LA"), "image/png", ("RGB", "L")),
            ("print.tiff", _png("CMYK"), "image/tiff", ("RGB",)),
        ]:
            key, upload = _article_upload(name, body, content_type)
            thumbnail = c._article_thumbnail(key, upload)
            if thumbnail.format != "JPEG" or thumbnail.mode not in modes:
                raise NotYet(
                    f"the thumbnail of {name!r} is a {thumbnail.format} in mode "
                    f"{thumbnail.mode}, not a JPEG in mode {' or '.join(modes)}"
                )


@hidden_test("04.3", points=4)
def skip_non_images(answer, rubric):
    """4 points: the public check (3), other content types (1)."""
    if not rubric.public_check(answer, points=3):
        return
    with rubric.part("a JSON file and a file without a content type", points=1):
        for name, body, content_type in [
            ("data.json", b'{"a": 1}', "application/json"),
            ("blob.bin", b"\x00\x01\x02", "binary/octet-stream"),
        ]:
            key, upload = _article_upload(name, body, content_type)
            if upload.errors:
                raise NotYet(f"uploading {name!r} ({content_type}) made the function fail")
            if s3_object(c.PHOTOS_BUCKET, f"thumbnails/{key}") is not None:
                raise NotYet(f"{name!r} is not an image, yet a thumbnail was written for it")


@hidden_test("04.4", points=3)
def right_size_memory(answer, rubric):
    """3 points: the public check alone (it invokes the function on the big image)."""
    rubric.public_check(answer, points=3)


@hidden_test("04.5", points=6)
def fixed_resizer(answer, rubric):
    """6 points: the public check (5), a small image in a deep folder (1)."""
    if not rubric.public_check(answer, points=5):
        return
    with rubric.part("a small transparent PNG in a folder, with '+' and spaces", points=1):
        from PIL import Image

        image = Image.new("RGBA", (150, 90), (0, 0, 0, 0))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        key = f"{c._run_id()}/a b/c+d e.png"
        resizer = Deployed(c.RESIZER_FUNCTION, clean=False)
        upload = c._upload(resizer, c.UPLOADS_BUCKET, key, buffer.getvalue(), "image/png")
        if upload.errors:
            raise NotYet(f"uploading {key!r} made the function fail: {upload.first_error()}")
        for size in c.SIZES:
            found = s3_object(c.THUMBNAILS_BUCKET, c.thumbnail_key(key, size))
            if found is None:
                raise NotYet(f"no {size} px thumbnail of {key!r} at {c.thumbnail_key(key, size)!r}")
            thumbnail = c._image(found["body"])
            if thumbnail.format != "JPEG" or thumbnail.size != (150, 90):
                raise NotYet(
                    f"the {size} px thumbnail of a 150x90 image is a {thumbnail.format} of "
                    f"{thumbnail.size[0]}x{thumbnail.size[1]}: a thumbnail never enlarges"
                )
