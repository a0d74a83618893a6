"""Typical wrong answers to lesson 01's exercises (handlers), and what each check must say."""

from mistakes_runner import Mistake, with_themes
from snippets_01 import RESPONSE

NOTEBOOK = "01-handlers.ipynb"

MISTAKES = {
    "01.1": [
        Mistake(
            "checks what deploy returned (a dict), not the function's name",
            replace=(
                (
                    'sb.deploy("greeter", "functions/greeter")\ncheck("01.1", "greeter")',
                    'greeter = sb.deploy("greeter", "functions/greeter")\ncheck("01.1", greeter)',
                ),
            ),
            expect=["pass check() the deployed function's name, a str", "a dict"],
        ),
        Mistake(
            "crash: no default for a missing name",
            solution='return {"greeting": f"Hello, {event[\'name\']}!"}',
            expect=["for the event {}", "KeyError: 'name'", "app.py, line"],
        ),
        Mistake(
            "returns the text, not a dict",
            solution="return f\"Hello, {event.get('name', 'world')}!\"",
            expect=["returned 'Hello, Ada!'", "expected {'greeting': 'Hello, Ada!'}"],
        ),
        Mistake(
            "capital W in the default",
            solution="return {\"greeting\": f\"Hello, {event.get('name', 'World')}!\"}",
            expect=["'Hello, World!'", "expected {'greeting': 'Hello, world!'}"],
        ),
    ],
    "01.2": [
        Mistake(
            "body is a dict, not a JSON string",
            replace=(
                (
                    RESPONSE,
                    'return {"statusCode": 200, "headers": headers, "body": '
                    '{"greeting": f"Hello, {event[\'name\']}!"}}',
                ),
            ),
            expect=["API Gateway wants a string", "json.dumps"],
        ),
        Mistake(
            "crash: no 400 branch",
            replace=(('    if "name" not in event:\n', "    if False:\n"),),
            expect=["for the event {}", "KeyError: 'name'"],
        ),
    ],
    "01.3": [
        Mistake(
            "variables without 'Variables' (the issue's case)",
            solution='environment = {"GREETING": "Hej"}',
            expect=['Unknown parameter in Environment: "GREETING"', 'inside "Variables"'],
        ),
        Mistake(
            "the stub: no environment variable at all",
            solution="environment = {}",
            expect=["with GREETING=Hej it should return"],
        ),
        Mistake(
            "'Hej' written in the code",
            replace=(('word = os.environ.get("GREETING", "Hello")', 'word = "Hej"'),),
            solution='environment = {"Variables": {}}',
            expect=["GREETING=Hej, not have 'Hej' written in its code"],
        ),
        Mistake(
            "no default: crashes when GREETING is not set",
            replace=(
                ('word = os.environ.get("GREETING", "Hello")', 'word = os.environ["GREETING"]'),
            ),
            expect=["with GREETING not set", "KeyError: 'GREETING'", "a default, 'Hello'"],
        ),
    ],
    "01.4": [
        Mistake(
            "the stub: app.handler",
            solution='handler_string = "app.handler"',
            expect=["Runtime.ImportModuleError", "No module named 'app'"],
        ),
        Mistake(
            "the file name with .py",
            solution='handler_string = "orders.py.create_order"',
            expect=["Runtime.ImportModuleError"],
        ),
    ],
    "01.5": [
        Mistake(
            "no check of the time left (the stub)",
            solution="pass",
            expect=["killed at its 1 s timeout"],
        ),
        Mistake(
            "returns a list (the issue's case)",
            replace=(
                (
                    'return {"processed": results, "unprocessed": left}',
                    "return results",
                ),
            ),
            expect=["returned a list", "{'processed': [...], 'unprocessed': [...]}"],
        ),
        Mistake(
            "stops before the first item",
            solution="break",
            expect=["should be processed completely"],
        ),
        Mistake(
            "a fixed number of items, not the time left",
            solution="""
            if len(results) >= 5:
                break
            """,
            expect=["processed 5 item(s) with a 1 s timeout, and 5 with 2 s", "get_remaining_time"],
        ),
    ],
}
MISTAKES = with_themes("01", MISTAKES)

#: Cells whose output may differ between two runs of the lesson in one kernel, and why.
VARYING: dict[str, str] = {}
