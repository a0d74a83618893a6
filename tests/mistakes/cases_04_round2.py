"""Lesson 04, wrong answers from the second independent evaluation (eval-b): a function
that does not report what it wrote, a loop that stops after its first size, a key asked
for in another way than the encoding, a test the wrong way round, a memory figure."""

from mistakes_runner import Mistake

_LOOP = (
    "for size in SIZES:\n"
    "    image.thumbnail((size, size))\n"
    "    buffer = io.BytesIO()\n"
    "    to_rgb(image).save(buffer, 'JPEG')\n"
    "    s3.put_object(Bucket=OUTPUT_BUCKET, Key=thumbnail_key(key, size),\n"
    "                  Body=buffer.getvalue(), ContentType='image/jpeg')\n"
    "    written.append(thumbnail_key(key, size))"
)

MISTAKES = {
    "04.1": [
        Mistake(
            "decodes the bucket's name, not the key",
            solution="key = unquote_plus(bucket)",
            expect=["NoSuchKey", "it asked for 'lesson04-photos'", "is not the object's key"],
        ),
        Mistake(
            "decodes as Latin-1: 'é' becomes two characters",
            solution="key = unquote_plus(key, encoding='latin-1')",
            expect=[
                "NoSuchKey",
                "caf\u00c3\u00a9",
                "is not the object's key",
                "caf%C3%A9+cr%C3%A8me.jpg",
            ],
        ),
        Mistake(
            "decodes, then turns spaces into underscores",
            solution="key = unquote_plus(key).replace(' ', '_')",
            expect=["NoSuchKey", "my_photo.jpg", "is not the object's key", "nothing else changed"],
        ),
    ],
    "04.3": [
        Mistake(
            "the test the wrong way round: photos skipped, the text file opened",
            solution=(
                "content_type = image_obj.get('ContentType', '')\n"
                "if content_type.startswith('image/'):\n"
                "    print(f'Skipping {key}: {content_type} is not an image')\n"
                "    return {'statusCode': 200}"
            ),
            expect=["opened the text file", "skipped the photo", "wrong way round"],
        ),
    ],
    "04.4": [
        Mistake(
            "reads Duration instead of Max Memory Used",
            solution=(
                "used_mb = parse_report(big_report).duration_ms\n"
                "memory_mb = next(size for size in [128, 256, 512, 1024] "
                "if used_mb <= 0.8 * size)"
            ),
            expect=["Max Memory Used was", "the smallest whose 80% is at least"],
        ),
    ],
    "04.5": [
        Mistake(
            "writes every size, never appends to written: the log says 0 thumbnails",
            solution=_LOOP.replace("\n    written.append(thumbnail_key(key, size))", ""),
            expect=["0 thumbnails", "append each output key to written"],
        ),
        Mistake(
            "returns inside the loop: only the first size",
            solution=_LOOP + "\n    return {'key': key, 'thumbnails': written}",
            expect=["wrote the 800 px thumbnail", "not the 200 px one", "inside the loop"],
        ),
    ],
}
