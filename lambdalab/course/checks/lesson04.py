"""Checks for lesson 04, the image resizer: each check uploads files and reads what came out.

A resizer is only right when S3 can trigger it, so these checks do what a user would:
they upload files (with the content type a browser or ``aws s3 cp`` would set) to the
lesson's buckets, let the sandbox deliver S3's asynchronous events (``sb.wait()``, which
also fires any retries on the sandbox clock), then look at the thumbnails in S3 and at
the function's log: how many times it ran, and whether it failed. When it failed, the
message is the function's own error (``sb.failures()``: type, message, line of the
handler); a loop is named as the sandbox stopped it. Each check starts clean
(``sb.recover()`` for its function), so events left by an earlier wrong answer cannot
fail a fixed one.
https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path
from typing import Any

from lambdalab.course.exercises import exercise
from lambdalab.course.probe import (
    Deployed,
    NotYet,
    Run,
    client,
    decode_image,
    describe,
    function_error,
    object_keys,
    s3_object,
    wrote_words,
)
from lambdalab.sandbox.moto_patch import missing_key_count, missing_keys_since

#: The article's function, its bucket and the prefix its trigger watches (lesson 04, part 1).
ARTICLE_FUNCTION = "article-resizer"
PHOTOS_BUCKET = "lesson04-photos"
UPLOAD_PREFIX = "uploads/"
BIG_IMAGE_KEY = "big/rocket-24mp.png"
#: The fixed resizer (part 3): uploads in one bucket, thumbnails in another.
RESIZER_FUNCTION = "resizer"
UPLOADS_BUCKET = "lesson04-uploads"
THUMBNAILS_BUCKET = "lesson04-thumbnails"
SIZES = (200, 800)
#: Lesson 04's pictures (assets/images next to the lambdalab package).
ASSETS = Path(__file__).resolve().parents[3] / "assets" / "images"


def _resizer(answer: Any, name: str, bucket: str, deploy_cell: str) -> Deployed:
    """The exercise's function, started clean, with the bucket's trigger in place."""
    if isinstance(answer, str) and answer != name:
        raise NotYet(
            f"{answer!r} is not the function this exercise deploys: pass its name, {name!r}"
        )
    if answer != name:
        raise NotYet(f"your answer is {describe(answer)}; pass the function's name, {name!r}")
    fn = Deployed(name, deploy_cell)
    s3 = client("s3")
    try:
        config = s3.get_bucket_notification_configuration(Bucket=bucket)
    except s3.exceptions.NoSuchBucket:
        raise NotYet(f"there is no bucket {bucket!r}: run the lesson's cells in order") from None
    arns = [c.get("LambdaFunctionArn") for c in config.get("LambdaFunctionConfigurations", [])]
    if fn.config["FunctionArn"] not in arns:
        raise NotYet(
            f"the bucket {bucket!r} does not trigger the function: run the cell that "
            "configures its notification"
        )
    return fn


def _upload(fn: Deployed, bucket: str, key: str, body: bytes, content_type: str) -> Run:
    """Upload one object, wait for the function (and its retries), say what it did."""
    return _upload_watching(fn, bucket, key, body, content_type, None)[0]


def _upload_watching(
    fn: Deployed,
    bucket: str,
    key: str,
    body: bytes,
    content_type: str,
    watch: str | None,
    known: set[str] | None = None,
) -> tuple[Run, set[str]]:
    """:func:`_upload`, and the keys the function wrote meanwhile into bucket ``watch``.

    ``known``: the bucket's keys as an earlier call left them (saves listing it again);
    updated in place.
    """
    s3 = client("s3")
    before = (set(known) if known is not None else object_keys(watch)) if watch else set()
    try:
        run = fn.after(
            lambda: s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)
        )
    except NotYet as stuck:
        raise NotYet(f"after the upload of {key!r}: {stuck}") from None
    after = object_keys(watch) if watch else set()
    if known is not None:
        known.clear()
        known.update(after)
    return run, after - before - {key}


def _did(upload: Run, wrote: set[str]) -> str:
    """What the function did with an upload, in words: its error, or its log and writes."""
    if upload.failed:
        return upload.outcome()
    return f"{upload.outcome()}; it {wrote_words(wrote)}" + (" instead" if wrote else "")


def _image(data: bytes, what: str = "the object"):
    return decode_image(data, what)


def _pixel(image, at: tuple[float, float]) -> tuple[int, ...]:
    """The RGB colour at ``at`` (fractions of the width and height) of a thumbnail."""
    x = min(image.width - 1, int(at[0] * image.width))
    y = min(image.height - 1, int(at[1] * image.height))
    return tuple(image.convert("RGB").getpixel((x, y)))


def _near(colour: tuple[int, ...], wanted: tuple[int, ...], tolerance: int = 40) -> bool:
    """Whether two RGB colours agree, give or take JPEG's rounding."""
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted, strict=True))


def _mean_colour(image) -> tuple[int, ...]:
    """The average RGB colour of an image (resizing and JPEG keep it within a few units)."""
    from PIL import ImageStat

    return tuple(round(value) for value in ImageStat.Stat(image.convert("RGB")).mean)


def _saved(image, kind: str, **options: Any) -> bytes:
    """The bytes of ``image`` saved as ``kind`` (JPEG, PNG, GIF)."""
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def _run_id() -> str:
    return f"check-{secrets.token_hex(3)}"


# Small test pictures, made here so the checks need no files.


def _jpeg(size=(320, 240), color=(200, 120, 40)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).ellipse((40, 30, size[0] - 40, size[1] - 30), fill=(30, 90, 160))
    return _saved(image, "JPEG")


def _rgba_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((20, 20, 280, 280), fill=(220, 40, 60, 255))
    return _saved(image, "PNG")


#: Where the test pictures have a known colour: (x, y as fractions), RGB, where.
_STICKER = [((0.5, 0.5), (220, 40, 60), "centre")]
_LOGO = [((0.5, 0.5), (20, 120, 200), "centre")]
_PHOTO = [((0.5, 0.5), (30, 90, 160), "centre"), ((0.03, 0.05), (200, 120, 40), "corner")]


#: A grey badge on a transparent ground (LA), a print-ready CMYK JPEG (colours in RGB).
_BADGE = [((0.5, 0.5), (140, 140, 140), "centre")]
_PRINT = [((0.5, 0.5), (56, 135, 254), "centre"), ((0.02, 0.03), (255, 55, 55), "corner")]


def _la_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("LA", (260, 260), (0, 0))
    ImageDraw.Draw(image).ellipse((30, 30, 230, 230), fill=(140, 255))
    return _saved(image, "PNG")


def _cmyk_jpeg() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("CMYK", (300, 200), (0, 200, 200, 0))
    ImageDraw.Draw(image).ellipse((60, 40, 240, 160), fill=(200, 120, 0, 0))
    return _saved(image, "JPEG")


def _palette_gif() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("P", (260, 260), 0)
    image.putpalette([255, 255, 255, 20, 120, 200] + [0] * 762)
    ImageDraw.Draw(image).rectangle((40, 40, 220, 220), fill=1)
    return _saved(image, "GIF", transparency=0)


def _encoding_of(name: str) -> str:
    """Why a key that failed was not found: how S3 wrote it into the event."""
    from lambdalab.sandbox.events import encode_s3_key

    sent = encode_s3_key(name)
    if "+" in name:
        return (
            f"{name!r} arrives as {sent!r}: decoding it once gives back the '+'; decoding "
            "it twice (or turning '+' into spaces after decoding) makes it a space"
        )
    if "%" in sent:
        return (
            f"S3 URL-encodes the key in the event, every character of it: a space arrives "
            f"as '+' and 'é' as '%C3%A9' ({name!r} arrives as {sent!r}); the '%' escapes "
            "must be decoded too"
        )
    return f"the key still carried the event's encoding ({name!r} arrives as {sent!r})"


def _no_such_key(key: str, name: str, upload: Run, asked: list[str]) -> str:
    """A NoSuchKey for an upload, in words, with the key the function asked for when the
    sandbox saw it (``asked``: AWS names it in the error's body, botocore's message does
    not). The encoding is named as the cause only when that key is the event's, still
    encoded; otherwise the message shows both keys."""
    from lambdalab.sandbox.events import encode_s3_key

    sent = f"{key.rsplit('/', 1)[0]}/{encode_s3_key(name)}"
    head = f"for the upload {key!r} the function asked S3 for a key that does not exist (NoSuchKey)"
    if asked:
        if asked[-1] == sent:
            return f"{head}: it asked for {sent!r}, the event's form: {_encoding_of(name)}"
        if asked[-1] != key and asked[-1].casefold() == key.casefold():
            return (
                f"{head}: it asked for {asked[-1]!r}, but the object is {key!r}: they differ "
                "only in upper and lower case, and S3 keys are case-sensitive (another case "
                "is another key). Decode the key with unquote_plus and change nothing else"
            )
        return (
            f"{head}: it asked for {asked[-1]!r}, which is not the object's key {key!r}. S3 "
            f"URL-encodes the key in its events (their encoding): {sent!r}; "
            "urllib.parse.unquote_plus of it, once, gives the object's key exactly, with "
            "nothing else changed"
        )
    said = [line for line in upload.printed if not line.startswith("[ERROR]")]
    if any(encode_s3_key(name) in line and name not in line for line in said):
        return f"{head}: its log shows the key as the event carries it: {_encoding_of(name)}"
    where = ""
    if upload.failures and getattr(upload.failures[-1], "handler_line", None):
        where = f" at {upload.failures[-1].handler_line}"
    text = (
        f"{head}{where}: the key it asked for is not the object's key {key!r}. S3 "
        "URL-encodes every character of a key in its events: in that encoding the event "
        f"carries it as {sent!r}; urllib.parse.unquote_plus of it, once, gives the "
        "object's key exactly, with nothing else changed"
    )
    if said:
        text += ". Its log says " + ", ".join(repr(line[:120]) for line in said[:2])
    return text


def _article_upload(fn: Deployed, key: str, body: bytes, content_type: str) -> tuple[Run, set]:
    """Upload to the article's bucket; the run, and what the function wrote there."""
    return _upload_watching(fn, PHOTOS_BUCKET, key, body, content_type, PHOTOS_BUCKET)


def _article_thumbnail(key: str, upload: Run, wrote: set[str] = frozenset()) -> Any:
    """The article's thumbnail of ``key`` (thumbnails/<key>), or a NotYet saying why not."""
    found = s3_object(PHOTOS_BUCKET, f"thumbnails/{key}")
    if found is None:
        if upload.failed:
            raise NotYet(f"uploading {key!r} made the function fail: {upload.first_error()}")
        raise NotYet(
            f"uploading {key!r} made no thumbnail at 'thumbnails/{key}': {_did(upload, wrote)}"
        )
    return _image(found["body"], f"the thumbnail 'thumbnails/{key}'")


@exercise("04.1")
def decode_the_key(answer: Any) -> None:
    """Uploads named with a space, accents and a '+' each get one thumbnail of at most
    200 px: the event's URL-encoded key is decoded once, exactly."""
    fn = _resizer(answer, ARTICLE_FUNCTION, PHOTOS_BUCKET, "the cell that deploys it")
    run = _run_id()
    # Capitals too: S3 keys are case-sensitive, so a key changed in any way is another key.
    for name in ["my photo.jpg", "café crème.jpg", "a+b.jpg", "Summer Trip.JPG"]:
        key = f"{UPLOAD_PREFIX}{run}/{name}"
        mark = missing_key_count()
        upload, wrote = _article_upload(fn, key, _jpeg(), "image/jpeg")
        if any("NoSuchKey" in line for line in upload.errors):
            raise NotYet(_no_such_key(key, name, upload, missing_keys_since(mark)))
        thumbnail = _article_thumbnail(key, upload, wrote)
        if max(thumbnail.size) > 200:
            raise NotYet(f"the thumbnail of {key!r} is {thumbnail.size}; expected at most 200 px")
        if len(upload.starts) != 1:
            raise NotYet(f"{key!r} was processed {len(upload.starts)} times; expected once")


@exercise("04.2")
def convert_the_mode(answer: Any) -> None:
    """Images of every mode (RGBA, P, RGB, LA, CMYK) get an RGB JPEG thumbnail with the
    upload's colours where they are known."""
    fn = _resizer(answer, ARTICLE_FUNCTION, PHOTOS_BUCKET, "the cell that deploys it")
    run = _run_id()
    # Each picture with a colour it has at a known place (fractions of width and height).
    cases = [
        ("sticker.png", _rgba_png(), "image/png", "RGBA (a PNG with transparency)", _STICKER),
        ("logo.gif", _palette_gif(), "image/gif", "P (a GIF: palette colours)", _LOGO),
        ("photo.jpg", _jpeg(), "image/jpeg", "RGB (a JPEG)", _PHOTO),
        ("badge.png", _la_png(), "image/png", "LA (a grey PNG with transparency)", _BADGE),
        ("print.jpg", _cmyk_jpeg(), "image/jpeg", "CMYK (a JPEG made for print)", _PRINT),
    ]
    for name, body, content_type, mode, colours in cases:
        key = f"{UPLOAD_PREFIX}{run}/{name}"
        upload, wrote = _article_upload(fn, key, body, content_type)
        if upload.failed:
            raise NotYet(f"an image in mode {mode} still fails: {upload.first_error()}")
        thumbnail = _article_thumbnail(key, upload, wrote)
        if thumbnail.format != "JPEG":
            raise NotYet(
                f"the thumbnail of an image in mode {mode} is a {thumbnail.format}, not a JPEG"
            )
        if thumbnail.mode == "L":
            raise NotYet(
                f"the thumbnail of an image in mode {mode} is a JPEG in mode L (greyscale): JPEG "
                "takes it, but the colours are gone. Colour pictures must stay in colour: "
                "convert to RGB"
            )
        if thumbnail.mode != "RGB":
            raise NotYet(
                f"the thumbnail of an image in mode {mode} is a JPEG in mode {thumbnail.mode}; "
                "expected mode RGB: the resizer makes RGB thumbnails, whatever the upload's mode"
            )
        for at, wanted, where in colours:
            found = _pixel(thumbnail, at)
            if not _near(found, wanted):
                raise NotYet(
                    f"the thumbnail of an image in mode {mode} has lost its colours: its "
                    f"{where} is {found}, where the upload is {wanted}. Convert to RGB, "
                    "which keeps every colour"
                )


@exercise("04.3")
def skip_non_images(answer: Any) -> None:
    """A text file and a PDF are skipped without an error, with a log line naming them;
    JPEG, PNG and GIF images, with or without an extension, still get a thumbnail."""
    fn = _resizer(answer, ARTICLE_FUNCTION, PHOTOS_BUCKET, "the cell that deploys it")
    run = _run_id()
    others = [
        ("shopping list.txt", b"coffee beans, cat food\n", "text/plain"),
        ("invoice.pdf", b"%PDF-1.4\n% not really a PDF\n", "application/pdf"),
    ]
    for name, body, content_type in others:
        key = f"{UPLOAD_PREFIX}{run}/{name}"
        upload = _upload(fn, PHOTOS_BUCKET, key, body, content_type)
        if upload.failed:
            _inverted(fn, run)
            raise NotYet(
                f"uploading {name!r} ({content_type}) made the function fail (the first try "
                f"and two retries, as S3 invokes asynchronously): {upload.first_error()}"
            )
        if s3_object(PHOTOS_BUCKET, f"thumbnails/{key}") is not None:
            raise NotYet(f"{name!r} is not an image, yet a thumbnail was written for it")
        mentioned = [
            line
            for line in upload.lines
            if name in line and not line.startswith(("START", "END", "REPORT"))
        ]
        if not mentioned and upload.printed:
            said = ", ".join(repr(line[:120]) for line in upload.printed[:2])
            raise NotYet(
                f"for {name!r} the function's log says {said}, which does not name the "
                "object: put the key in the line, so that someone reading the log knows "
                "which upload has no thumbnail, and why"
            )
        if not mentioned:
            raise NotYet(
                f"the function skipped {name!r} silently: print a line that names the key, "
                "so that someone reading the log knows why there is no thumbnail"
            )
    key = f"{UPLOAD_PREFIX}{run}/real photo.jpg"
    upload, wrote = _article_upload(fn, key, _jpeg(), "image/jpeg")
    _article_thumbnail(key, upload, wrote)  # images must still get their thumbnail
    # An image whose key has no extension (as web apps often store uploads): only its
    # ContentType says that it is an image.
    key = f"{UPLOAD_PREFIX}{run}/profile-photo"
    upload, wrote = _article_upload(fn, key, _jpeg(), "image/jpeg")
    if s3_object(PHOTOS_BUCKET, f"thumbnails/{key}") is None and not upload.failed:
        raise NotYet(
            f"{key!r} is an image (ContentType image/jpeg) under a key without an "
            f"extension, and it got no thumbnail ({_did(upload, wrote)}), while the same "
            "picture named 'real photo.jpg' got one: decide by the object's ContentType, "
            "not by the key's name"
        )
    _article_thumbnail(key, upload, wrote)
    # Images of every kind must still get their thumbnail.
    images = [
        ("sticker.png", _rgba_png(), "image/png"),
        ("logo.gif", _palette_gif(), "image/gif"),
    ]
    for name, body, content_type in images:
        key = f"{UPLOAD_PREFIX}{run}/{name}"
        upload, wrote = _article_upload(fn, key, body, content_type)
        if s3_object(PHOTOS_BUCKET, f"thumbnails/{key}") is None and not upload.failed:
            raise NotYet(
                f"{name!r} is an image (ContentType {content_type}) and got no thumbnail: "
                f"{_did(upload, wrote)}. Skip only what is not an image: a ContentType that "
                "does not start with 'image/'"
            )
        _article_thumbnail(key, upload, wrote)


def _inverted(fn: Deployed, run: str) -> None:
    """A text file opened and a photo skipped: the test on the ContentType is the wrong
    way round. Seen by uploading a photo after the text file failed."""
    key = f"{UPLOAD_PREFIX}{run}/inverted-test.jpg"
    upload, _wrote = _article_upload(fn, key, _jpeg(), "image/jpeg")
    if upload.failed or s3_object(PHOTOS_BUCKET, f"thumbnails/{key}") is not None:
        return
    if any(key in line for line in upload.printed):
        raise NotYet(
            f"the function opened the text file as an image (and failed), and skipped the "
            f"photo {key!r} (image/jpeg): its log says {upload.printed[0][:120]!r}. The test "
            "is the wrong way round: skip when the ContentType does NOT start with 'image/'"
        )


HEADROOM = 0.8  # use at most 80% of the memory size


@exercise("04.4")
def right_size_memory(answer: Any) -> None:
    """The smallest of the doubling sizes at which the 24-megapixel image works with 20%
    of its memory to spare."""
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise NotYet(f"memory_mb is {describe(answer)}; expected a memory size in MB, an int")
    if answer not in (128, 256, 512, 1024, 2048, 4096, 8192):
        raise NotYet(f"{answer} MB: pick one of 128, 256, 512, 1024 (doubling from 128)")
    fn = Deployed(ARTICLE_FUNCTION)
    if fn.config["MemorySize"] != answer:
        raise NotYet(
            f"the function is configured with {fn.config['MemorySize']} MB, not {answer} MB: "
            "run the cell that applies memory_mb"
        )
    try:
        client("s3").head_object(Bucket=PHOTOS_BUCKET, Key=BIG_IMAGE_KEY)
    except Exception:  # noqa: BLE001 - NoSuchKey, NoSuchBucket or 404
        raise NotYet(f"there is no {BIG_IMAGE_KEY!r}: run the cell that uploads it") from None
    from lambdalab.sandbox import events

    invoked = fn.invoke(events.s3_event(PHOTOS_BUCKET, BIG_IMAGE_KEY))
    if invoked.function_error:
        failed = function_error(invoked)
        raise NotYet(f"at {answer} MB the 24-megapixel image still fails: {failed}")
    report = invoked.report()
    if report is None:
        raise NotYet("the invocation's log has no REPORT line: invoke the function again")
    used = report.max_memory_used_mb
    if used > HEADROOM * answer:
        raise NotYet(
            f"it worked, but Max Memory Used was {used} MB of {answer} MB: less than 20% "
            "headroom. A slightly bigger photo would crash it; take the next size up"
        )
    if answer > 128 and used <= HEADROOM * (answer // 2):
        raise NotYet(
            f"Max Memory Used was {used} MB of {answer} MB: {answer // 2} MB would leave 20% "
            "headroom too, for half the price per millisecond, and a smaller size may as "
            f"well. Go down the doubling sizes: the answer is the smallest whose 80% is at "
            f"least {used} MB"
        )


def thumbnail_key(key: str, size: int) -> str:
    """Where the fixed resizer writes the ``size`` thumbnail of ``key`` (as in the lesson)."""
    stem, _ = os.path.splitext(key)
    return f"{size}/{stem}.jpg"


def _big_png() -> bytes:
    """The lesson's 24-megapixel PNG (from its bucket), or one made the same way."""
    found = s3_object(PHOTOS_BUCKET, BIG_IMAGE_KEY) if _bucket_exists(PHOTOS_BUCKET) else None
    if found is not None:
        return found["body"]
    from PIL import Image

    photo = Image.open(ASSETS / "rocket.jpg")
    big = photo.resize((6000, 4000), Image.Resampling.NEAREST)
    return _saved(big, "PNG", compress_level=1)


def _bucket_exists(name: str) -> bool:
    s3 = client("s3")
    try:
        s3.head_bucket(Bucket=name)
    except Exception:  # noqa: BLE001 - 404 or 403
        return False
    return True


def _tricky_set() -> list[tuple[str, bytes, str, tuple[int, int] | None]]:
    """(file name, bytes, content type, original size or None for a non-image)."""
    from PIL import Image

    if not ASSETS.is_dir():
        raise NotYet(f"the lesson's pictures are missing: {ASSETS} is not a folder")
    files = []
    for name, source, content_type in [
        ("astronaut.jpg", "astronaut.jpg", "image/jpeg"),
        ("coffee cup.jpg", "coffee cup.jpg", "image/jpeg"),
        ("fusée.jpg", "rocket.jpg", "image/jpeg"),
        ("chelsea-sticker.png", "chelsea-sticker.png", "image/png"),
        ("notes.txt", "notes.txt", "text/plain"),
    ]:
        data = (ASSETS / source).read_bytes()
        size = Image.open(io.BytesIO(data)).size if content_type.startswith("image/") else None
        files.append((name, data, content_type, size))
    files.append(("logo.gif", _palette_gif(), "image/gif", (260, 260)))
    files.append(("dot+1px.png", _dot_png(), "image/png", (1, 1)))  # tiny, and a '+' key
    files.append(("rocket-24mp.png", _big_png(), "image/png", (6000, 4000)))
    return files


def _dot_png() -> bytes:
    """A 1x1 px transparent PNG: the smallest image there is."""
    from PIL import Image

    return _saved(Image.new("RGBA", (1, 1), (0, 0, 0, 0)), "PNG")


def _expected_size(original: tuple[int, int], size: int) -> tuple[int, int]:
    """What Image.thumbnail((size, size)) gives: fits the box, keeps the ratio, never grows."""
    from PIL import Image

    image = Image.new("L", original)
    image.thumbnail((size, size))
    return image.size


@exercise("04.5")
def fixed_resizer(answer: Any) -> None:
    """Every kind of upload (photos, transparent PNG, GIF, a 1 px image, a 24-megapixel
    PNG, a text file) gets two decodable RGB JPEG thumbnails in the other bucket, the right
    size and colours, stored as image/jpeg; an upload sent again adds nothing; one run each."""
    fn = _resizer(
        answer, RESIZER_FUNCTION, UPLOADS_BUCKET, "the cell that deploys the fixed resizer"
    )
    config = fn.config
    output = (config.get("Environment") or {}).get("Variables", {}).get("THUMBNAIL_BUCKET")
    if output == UPLOADS_BUCKET:
        raise NotYet(
            f"THUMBNAIL_BUCKET is {UPLOADS_BUCKET}, the bucket that triggers the function: "
            f"each thumbnail would trigger it again (a recursive loop). Set it to "
            f"{THUMBNAILS_BUCKET} in the wiring cell"
        )
    run = _run_id()
    uploads = []
    known = object_keys(THUMBNAILS_BUCKET)
    for name, body, content_type, original in _tricky_set():
        key = f"{run}/{name}"
        upload, wrote = _upload_watching(
            fn, UPLOADS_BUCKET, key, body, content_type, THUMBNAILS_BUCKET, known
        )
        uploads.append(upload)
        if upload.failed:
            raise NotYet(
                f"uploading {name!r} ({content_type}) made the function fail: "
                f"{upload.first_error()}"
            )
        if original is not None:
            _all_sizes(name, key, upload, wrote)
        for size in SIZES:
            found = s3_object(THUMBNAILS_BUCKET, thumbnail_key(key, size))
            if original is None:
                if found is not None:
                    raise NotYet(f"{name!r} is not an image, yet it has a thumbnail")
                continue
            if found is None:
                raise NotYet(
                    f"no {size} px thumbnail of {name!r} in {THUMBNAILS_BUCKET!r} at "
                    f"{thumbnail_key(key, size)!r}: {_did(upload, wrote)}"
                )
            image = _image(
                found["body"], f"the {size} px thumbnail of {name!r} ({thumbnail_key(key, size)})"
            )
            wanted = _expected_size(original, size)
            if image.format != "JPEG":
                raise NotYet(f"the {size} px thumbnail of {name!r} is a {image.format}, not JPEG")
            if found["content_type"] != "image/jpeg":
                raise NotYet(
                    f"the {size} px thumbnail of {name!r} was stored with ContentType "
                    f"{found['content_type']!r}: set ContentType='image/jpeg' in put_object"
                )
            if abs(image.size[0] - wanted[0]) > 1 or abs(image.size[1] - wanted[1]) > 1:
                raise NotYet(
                    f"the {size} px thumbnail of {name!r} ({original[0]}x{original[1]}) is "
                    f"{image.size[0]}x{image.size[1]}; expected {wanted[0]}x{wanted[1]}"
                )
            _require_colours(name, body, size, image)
    name, body, content_type, _ = _tricky_set()[0]
    _reports_what_it_wrote(fn, f"{run}/{name}", name)
    # The same upload again (a retry, or S3 delivering an event twice): nothing new appears.
    before = _count(THUMBNAILS_BUCKET, f"{SIZES[0]}/{run}/") + _count(
        THUMBNAILS_BUCKET, f"{SIZES[1]}/{run}/"
    )
    uploads.append(_upload(fn, UPLOADS_BUCKET, f"{run}/{name}", body, content_type))
    after = _count(THUMBNAILS_BUCKET, f"{SIZES[0]}/{run}/") + _count(
        THUMBNAILS_BUCKET, f"{SIZES[1]}/{run}/"
    )
    if after != before:
        raise NotYet(
            f"uploading {name!r} a second time added thumbnails ({before} -> {after}): "
            "the output key must depend only on the upload's key and the size"
        )
    invocations = sum(len(upload.starts) for upload in uploads)
    if invocations != len(uploads):
        raise NotYet(
            f"{len(uploads)} uploads made {invocations} invocations: each upload should run "
            "the function exactly once (no loop, no retries)"
        )


def _all_sizes(name: str, key: str, upload: Run, wrote: set[str]) -> None:
    """Some sizes written and others not: name both (a loop that stopped early), and hold
    the function to the count its own log line reports ("<key>: N thumbnails")."""
    import re

    made = [size for size in SIZES if thumbnail_key(key, size) in wrote]
    missing = [size for size in SIZES if size not in made]
    if made and missing and not upload.failed:
        raise NotYet(
            f"for {name!r} the function wrote the {', '.join(map(str, made))} px thumbnail "
            f"and not the {', '.join(map(str, missing))} px one, without an error: the loop "
            f"over SIZES stopped after its first size (a return inside the loop?). "
            f"{upload.outcome()}"
        )
    for line in upload.printed:
        said = re.search(r"(\d+) thumbnails?\b", line)
        if said and not missing and int(said.group(1)) != len(SIZES):
            raise NotYet(
                f"the function wrote {len(SIZES)} thumbnails of {name!r}, but its log says "
                f"{line[:120]!r}: what it reports (the list written) must hold every key "
                "it put: append each output key to written after its put_object"
            )


def _reports_what_it_wrote(fn: Deployed, key: str, name: str) -> None:
    """The handler's answer lists the thumbnails it wrote: the check invokes it directly
    with the S3 event of an upload already resized (the same keys are written again), as
    a caller reading its result would (https://docs.aws.amazon.com/lambda/latest/dg/
    with-s3.html)."""
    from urllib.parse import quote_plus

    event = {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": UPLOADS_BUCKET}, "object": {"key": quote_plus(key)}},
            }
        ]
    }
    answer = fn.call(event)
    entries = answer if isinstance(answer, list) else [answer]
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("thumbnails"), list):
            wanted = sorted(thumbnail_key(key, size) for size in SIZES)
            if sorted(entry["thumbnails"]) != wanted:
                raise NotYet(
                    f"for {name!r} the function wrote {wanted}, yet it returned "
                    f"thumbnails={entry['thumbnails']!r}: what it returns must list every "
                    "key it put: append each output key to written after its put_object"
                )


#: The sticker is transparent in its corners: there its thumbnail must be white.
STICKER = "chelsea-sticker.png"
#: Photos whose average colour the check compares (small: cheap to decode here).
COLOUR_PHOTOS = ("astronaut.jpg", "coffee cup.jpg", "fusée.jpg")


def _require_colours(name: str, body: bytes, size: int, thumbnail) -> None:
    """A thumbnail in colour (RGB), the sticker's transparent corner white."""
    if thumbnail.mode == "L":
        raise NotYet(
            f"the {size} px thumbnail of {name!r} is greyscale (mode L): the photo's colours "
            "are lost. The thumbnails must be in colour, RGB: to_rgb(image) gives that"
        )
    if thumbnail.mode != "RGB":
        raise NotYet(f"the {size} px thumbnail of {name!r} is in mode {thumbnail.mode}, not RGB")
    if name == STICKER:
        corner = _pixel(thumbnail, (0.0, 0.0))
        if min(corner) < 230:
            said = f"black {corner}" if max(corner) < 30 else f"{corner}"
            raise NotYet(
                f"the {size} px thumbnail of {name!r}: its transparent corner came out "
                f"{said}, not white. That is what convert('RGB') gives: it drops the "
                "transparency and keeps whatever colour the transparent pixels hide. The "
                "resizer promises transparency pasted onto white, as the lesson's to_rgb does"
            )
    elif name in COLOUR_PHOTOS:
        wanted, found = _mean_colour(_image(body)), _mean_colour(thumbnail)
        if not _near(found, wanted, tolerance=12):
            raise NotYet(
                f"the {size} px thumbnail of {name!r} has lost its colours: on average it is "
                f"{found}, the photo {wanted}. Keep them: to_rgb(image) converts to RGB"
            )


def _count(bucket: str, prefix: str) -> int:
    return client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix).get("KeyCount", 0)
