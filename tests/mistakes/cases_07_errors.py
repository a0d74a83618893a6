"""Lesson 07, round 3 (eval-d): json.load given a str, the error caught and logged by the
function itself; the kit's pricing error for a memory size Lambda does not offer."""

from mistakes_runner import Mistake

MISTAKES = {
    "07.5": [
        Mistake(
            "r-load-not-loads: json.load twice",
            solution='envelope = json.load(record["body"])\nreturn json.load(envelope["Message"])',
            expect=["'str' object has no attribute 'read'", "json.loads(text) (with an s)"],
        ),
        Mistake(
            "json.loads for the body, json.load for the Message",
            solution='envelope = json.loads(record["body"])\nreturn json.load(envelope["Message"])',
            expect=["'str' object has no attribute 'read'", "json.loads(text) (with an s)"],
        ),
    ],
    "07.6": [
        Mistake(
            "a memory size Lambda does not offer, given to monthly_cost",
            replace=(("memory_mb=512).total", "memory_mb=100).total"),),
            expect=["Lambda Lab error PricingError from monthly_cost", "memory_mb must be"],
        ),
    ],
}
