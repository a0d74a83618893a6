"""Lesson 01 as a new learner gets it wrong (issue 23, deliverable 4): what each check must
say. Each check names the event, what the function did and what was expected."""

from mistakes_runner import Mistake, indented
from snippets_01 import RESPONSE, TIME_CHECK

MISTAKES = {
    "01.1": [
        Mistake(
            "get without a default: Hello, None!",
            solution='return {"greeting": f"Hello, {event.get(\'name\')}!"}',
            expect=["for the event {}", "'Hello, None!'", "expected {'greeting': 'Hello, world!'}"],
        ),
        Mistake(
            "an empty event tested, not a missing name",
            solution="""
            name = event["name"] if event else "world"
            return {"greeting": f"Hello, {name}!"}
            """,
            expect=["KeyError: 'name'", "app.py, line", "{'id': 7}"],
        ),
        Mistake(
            "no exclamation mark",
            solution='return {"greeting": "Hello, " + event.get("name", "world")}',
            expect=["'Hello, Ada'", "'!' missing at the end"],
        ),
        Mistake(
            "the error swallowed: None for an event without a name",
            solution="""
            try:
                return {"greeting": f"Hello, {event['name']}!"}
            except Exception:
                return None
            """,
            expect=["for the event {}", "returned None", "expected {'greeting': 'Hello, world!'}"],
        ),
    ],
    "01.2": [
        Mistake(
            "statusCode as a string",
            replace=(('{"statusCode": 200,', '{"statusCode": "200",'),),
            expect=["'statusCode': '200'", "a str", "the int 200"],
        ),
        Mistake(
            "the lesson's example hard-coded in the body",
            replace=(
                (
                    'json.dumps({"greeting": f"Hello, {event[\'name\']}!"})',
                    'json.dumps({"greeting": "Hello, Ada!"})',
                ),
            ),
            expect=["{'name': 'Zoë'}", "Hello, Ada!", "Hello, Zoë!"],
        ),
        Mistake(
            "the whole response JSON-encoded",
            replace=(
                (
                    RESPONSE,
                    'return json.dumps({"statusCode": 200, "headers": headers, "body": '
                    '{"greeting": f"Hello, {event[\'name\']}!"}})',
                ),
            ),
            expect=["returned a str", "a dict"],
        ),
        Mistake(
            "a plain-text error body",
            replace=(('json.dumps({"error": "name is required"})', '"name is required"'),),
            expect=["'name is required'", "JSON with an 'error' key"],
        ),
    ],
    "01.3": [
        Mistake(
            "reads 'greeting' in lower case",
            replace=(
                (
                    'word = os.environ.get("GREETING", "Hello")',
                    'word = os.environ.get("greeting", "Hello")',
                ),
            ),
            expect=[
                "with GREETING=Hej",
                "'Hello, Ada!'",
                "should return {'greeting': 'Hej, Ada!'}",
            ],
        ),
        Mistake(
            "configures 'greeting' in lower case",
            solution='environment = {"Variables": {"greeting": "Hej"}}',
            expect=["has no GREETING", "'greeting'"],
        ),
        Mistake(
            "configures 'hej' in lower case",
            solution='environment = {"Variables": {"GREETING": "hej"}}',
            expect=["GREETING='hej'", "'Hej'"],
        ),
        Mistake(
            "Hej whenever the variable is set",
            replace=(
                (
                    'word = os.environ.get("GREETING", "Hello")',
                    'word = "Hej" if "GREETING" in os.environ else "Hello"',
                ),
            ),
            expect=["with GREETING=Hola", "'Hej, Ada!'", "expected {'greeting': 'Hola, Ada!'}"],
        ),
    ],
    "01.4": [
        Mistake(
            "parentheses after the function's name",
            solution='handler_string = "orders.create_order()"',
            expect=["Runtime.HandlerNotFound", "create_order()"],
        ),
        Mistake(
            "the folder in the handler string",
            solution='handler_string = "shop.orders.create_order"',
            expect=["Runtime.ImportModuleError", "No module named 'shop'"],
        ),
        Mistake(
            "a slash, not a dot",
            solution='handler_string = "orders/create_order"',
            expect=["'orders/create_order'", "'module.function'"],
        ),
        Mistake(
            "handler as the function's name",
            solution='handler_string = "orders.handler"',
            expect=["Runtime.HandlerNotFound", "handler"],
        ),
    ],
    "01.5": [
        Mistake(
            "the margin in seconds: 0.3, not 300",
            solution=indented(TIME_CHECK.replace("< 300", "< 0.3")),
            expect=["killed at its 1 s timeout", "milliseconds"],
        ),
        Mistake(
            "a margin shorter than one item",
            solution=indented(TIME_CHECK.replace("< 300", "< 50")),
            expect=["killed at its 1 s timeout"],
        ),
        Mistake(
            "the unprocessed items dropped",
            replace=(
                (
                    'return {"processed": results, "unprocessed": left}',
                    'return {"processed": results}',
                ),
            ),
            expect=["{'processed': [...], 'unprocessed': [...]}"],
        ),
        Mistake(
            "the method not called",
            solution=indented(TIME_CHECK.replace("millis()", "millis")),
            expect=["TypeError", "app.py, line"],
        ),
    ],
}
