"""Stale state in lesson 06: code edited after its deploy, settings left by earlier
cells (reserved concurrency, the account's limit), a restarted kernel."""

from mistakes_runner import Mistake

CHECK = 'check("06.3", "visit-counter")'

MISTAKES = {
    "06.3": [
        Mistake(
            "the increment fixed in app.py after the deploy, not deployed again",
            replace=(('":one": 1', '":one": 2'),),
            edit=(("functions/visit-counter/app.py", '":one": 2', '":one": 1'),),
            expect=[
                "functions/visit-counter/app.py changed since the last deploy of visit-counter"
            ],
        ),
        Mistake(
            "a reserved concurrency of 0 left on the function by an earlier cell",
            replace=(
                (
                    CHECK,
                    'lam.put_function_concurrency(FunctionName="visit-counter", '
                    "ReservedConcurrentExecutions=0)\n"
                    f"print({CHECK})\n"
                    'lam.delete_function_concurrency(FunctionName="visit-counter")',
                ),
            ),
            expect=["Left by an earlier cell: visit-counter has a reserved concurrency of 0"],
        ),
        Mistake(
            # invoke() is in the Setup cell (issue 23): what a restart loses is the table
            "kernel restarted: the exercise's cells run without the cell making the table",
            restart=True,
            expect=["there is no table 'counters'", "was it restarted?", "Run > Run All Above"],
        ),
        Mistake(
            "the account's concurrency limit left at 0 by an earlier cell",
            replace=(
                (CHECK, f"sb.set_account_concurrency(0)\nprint({CHECK})\nprint(sb.recover())"),
            ),
            expect=[
                "Left by an earlier cell: the account's concurrency limit is 0",
                'in the cell that starts: sb.deploy("visit-counter"',
                "The account concurrency limit is back to AWS's default",
            ],
        ),
    ],
}
