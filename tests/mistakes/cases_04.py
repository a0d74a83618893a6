"""Typical wrong answers to lesson 04's exercises (the image resizer), and what each check
must say about them: the function's own error, a loop named as the sandbox stopped it."""

from mistakes_runner import Mistake, with_themes
from snippets_04 import LOOP, NOT_AN_IMAGE

NOTEBOOK = "04-image-resizer.ipynb"

MISTAKES = {
    "04.1": [
        Mistake(
            "unquote instead of unquote_plus: the '+' stays",
            solution="from urllib.parse import unquote\nkey = unquote(key)",
            expect=["NoSuchKey", "encoding"],
        ),
        Mistake(
            "crash: decodes the str as if it were bytes",
            solution="key = key.decode('utf-8')",
            expect=["AttributeError", "has no attribute 'decode'", "lambda_function.py, line"],
        ),
        Mistake(
            "decodes twice: 'a+b.jpg' becomes 'a b.jpg'",
            solution="key = unquote_plus(unquote_plus(key))",
            expect=["NoSuchKey", "a+b.jpg"],
        ),
        Mistake(
            "turns '+' into spaces by hand: the %-escapes of 'café crème.jpg' stay",
            solution="key = key.replace('+', ' ')",
            expect=["NoSuchKey", "café crème.jpg", "URL-encodes", "%C3%A9"],
        ),
    ],
    "04.2": [
        Mistake(
            "no conversion (the stub)",
            solution="pass",
            expect=["mode RGBA", "cannot write mode RGBA as JPEG"],
        ),
        Mistake(
            "converts RGBA only: a GIF's palette mode still fails",
            solution="if image.mode == 'RGBA':\n    image = image.convert('RGB')",
            expect=["mode P", "cannot write mode P as JPEG", "lambda_function.py, line"],
        ),
        Mistake(
            "converts without keeping the result",
            solution="image.convert('RGB')",
            expect=["cannot write mode RGBA as JPEG"],
        ),
        Mistake(
            "converts every image to greyscale: JPEG takes it, the colours are gone",
            solution="image = image.convert('L')",
            expect=["mode L", "greyscale", "RGB"],
        ),
        Mistake(
            "greys the image, then converts to RGB: the mode is right, the colours are gone",
            solution="image = image.convert('L').convert('RGB')",
            expect=["lost its colours", "(220, 40, 60)"],
        ),
    ],
    "04.3": [
        Mistake(
            "no check (the stub): every text file fails three times",
            solution="pass",
            expect=["UnidentifiedImageError", "two retries"],
        ),
        Mistake(
            "raises for a non-image: retried twice for nothing",
            solution=NOT_AN_IMAGE + "    raise ValueError(f'{key} is not an image')",
            expect=["ValueError", "is not an image", "lambda_function.py, line"],
        ),
        Mistake(
            "skips silently, without a log line",
            solution=NOT_AN_IMAGE + "    return {'statusCode': 200}",
            expect=["skipped 'shopping list.txt' silently"],
        ),
        Mistake(
            "decides by the key's extension, not by ContentType",
            solution=(
                "if not key.endswith(('.jpg', '.png')):\n"
                "    print(f'Skipping {key}: not an image')\n"
                "    return {'statusCode': 200}"
            ),
            expect=["ContentType image/jpeg", "without an extension", "decide by"],
        ),
    ],
    "04.4": [
        Mistake(
            "keeps 128 MB: out of memory",
            solution="memory_mb = 128",
            expect=["at 128 MB the 24-megapixel image still fails"],
        ),
        Mistake(
            "takes the largest size",
            solution="memory_mb = 1024",
            expect=["would leave 20% headroom too"],
        ),
        Mistake(
            "a size Lambda accepts, but not one of the doublings",
            solution="memory_mb = 300",
            expect=["300 MB: pick one of 128, 256, 512, 1024"],
        ),
    ],
    "04.5": [
        Mistake(
            "the article's bug: thumbnails written into the uploads bucket (a fan-out loop)",
            solution=LOOP.replace("Bucket=OUTPUT_BUCKET", "Bucket=bucket"),
            expect=["resizer writes into lesson04-uploads", "the bucket that triggers it"],
        ),
        Mistake(
            "crash: saves transparent images as JPEG without to_rgb",
            solution=LOOP.replace("to_rgb(image).save", "image.save"),
            expect=["OSError", "cannot write mode", "app.py, line"],
        ),
        Mistake(
            "keeps the upload's extension in the thumbnail's key",
            solution=LOOP.replace("thumbnail_key(key, size)", 'f"{size}/{key}"'),
            expect=["no 200 px thumbnail of 'chelsea-sticker.png'"],
        ),
        Mistake(
            "no ContentType: S3 stores binary/octet-stream",
            solution=LOOP.replace(',\n                  ContentType="image/jpeg")', ")"),
            expect=["ContentType='image/jpeg'"],
        ),
        Mistake(
            "convert('RGB') instead of to_rgb: the sticker's transparent corners turn black",
            solution=LOOP.replace("to_rgb(image)", 'image.convert("RGB")'),
            expect=["'chelsea-sticker.png'", "black (0, 0, 0)", "drops the transparency", "white"],
        ),
        Mistake(
            "saves greyscale thumbnails",
            solution=LOOP.replace("to_rgb(image)", 'image.convert("L")'),
            expect=["'astronaut.jpg'", "greyscale (mode L)", "colours"],
        ),
    ],
}
MISTAKES = with_themes("04", MISTAKES)
