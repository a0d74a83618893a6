"""Lesson 02, round 3 (eval-c): JSON text not decoded (a str where a dict was meant), and
json.load given a str (json.loads decodes a str)."""

from mistakes_runner import Mistake

_PROCESS = 'process(json.loads(record["body"]))'
_POST = 'name = json.loads(event.get("body") or "{}").get("name", "world")'

MISTAKES = {
    "02.1": [
        Mistake(
            "json.load for the POST body",
            replace=((_POST, _POST.replace("json.loads(", "json.load(")),),
            expect=["json.load(f) reads an open file", "json.loads(text) (with an s)"],
        ),
        Mistake(
            "the POST body used as a dict, not decoded",
            replace=((_POST, 'name = (event.get("body") or {}).get("name", "world")'),),
            expect=["'str' object has no attribute 'get'", "json.loads(text) gives the dict"],
        ),
    ],
    "02.5": [
        Mistake(
            "r3-no-json-loads: the body given to process as it is",
            replace=((_PROCESS, 'process(record["body"])'),),
            expect=["'str' object has no attribute 'get'", "json.loads(text) gives the dict"],
        ),
        Mistake(
            "r3-json-load-typo: json.load(record['body'])",
            replace=((_PROCESS, 'process(json.load(record["body"]))'),),
            expect=["json.load(f) reads an open file", "json.loads(text) (with an s)"],
        ),
    ],
}
