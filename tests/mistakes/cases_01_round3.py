"""Lesson 01, round 3 of the independent evaluation (eval-c): a worker that stops before
the first item of a short batch, told apart by calling it again with Lambda's longest
timeout: a safety margin in the wrong unit (it then goes on) or a stop test true at once."""

from mistakes_runner import Mistake

MISTAKES = {
    "01.5": [
        # eval-c's case
        Mistake(
            "a margin of 300,000 (300 s) where 300 ms is meant",
            solution="""
            if context.get_remaining_time_in_millis() < 300000:
                break
            """,
            expect=["stopped before the first item with about 1,000 ms left", "milliseconds"],
        ),
        # our own
        Mistake(
            "a margin of 5 s written in milliseconds as 5 * 1000",
            solution="""
            if context.get_remaining_time_in_millis() < 5 * 1000:
                break
            """,
            expect=["its safety margin is more than 1 s", "counts milliseconds"],
        ),
        Mistake(
            "the comparison turned round: stops while there is time",
            solution="""
            if context.get_remaining_time_in_millis() > 300:
                break
            """,
            expect=["even with 900 s left", "true at once", "below the margin"],
        ),
    ],
}
