"""Lesson 07, wrong answers from the second independent evaluation (eval-b): a status
code as text, a day computed on the string, a date object, the Message left as text."""

from mistakes_runner import Mistake

MISTAKES = {
    "07.1": [
        Mistake(
            "the status codes as strings",
            solution=(
                "item = table.get_item(Key={'id': item_id}).get('Item')\n"
                "if item is None:\n"
                "    return '404', {'error': 'not found'}\n"
                "return '200', item"
            ),
            expect=["'200'", "a status code is an int"],
        ),
    ],
    "07.4": [
        Mistake(
            "the day before, by subtracting 1 from the day's number",
            replace=(
                (
                    "run = datetime.fromisoformat(event_time)\n"
                    "    return (run - timedelta(days=1)).date().isoformat()",
                    'return event_time[:8] + f"{int(event_time[8:10]) - 1:02d}"',
                ),
            ),
            expect=["-00.json", "last day of the month before", "not 1 from the day's number"],
        ),
        Mistake(
            "a date object, not its ISO text",
            replace=(
                (
                    "return (run - timedelta(days=1)).date().isoformat()",
                    "return (run - timedelta(days=1)).date()",
                ),
            ),
            expect=["report_day returned a datetime.date", "isoformat"],
        ),
    ],
    "07.5": [
        Mistake(
            "returns the Message string, not the order",
            solution="return json.loads(record['body'])['Message']",
            expect=["order_from returned a str", "json.loads it"],
        ),
    ],
}

MISTAKES["07.3"] = [
    Mistake(
        "== instead of hmac.compare_digest: right answers, not in constant time",
        solution=(
            "if not signature:\n"
            "    return False\n"
            "return signature == 'sha256=' + hmac.new(secret, body, hashlib.sha256).hexdigest()"
        ),
        expect=["never called hmac.compare_digest", "constant time"],
    ),
]
