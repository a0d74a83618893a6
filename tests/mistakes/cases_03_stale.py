"""Stale state in lesson 03: code edited after its deploy, a restarted kernel."""

from mistakes_runner import Mistake

MISTAKES = {
    "03.1": [
        Mistake(
            "kernel restarted: the check runs before the cell that builds shipping_zip",
            restart=True,
            order=(1,),
            expect=["shipping_zip is defined by a cell above", "Run > Run All Above"],
        ),
    ],
    "03.5": [
        Mistake(
            "the secret's name fixed in app.py after the deploy, not deployed again",
            replace=(('SecretId="lesson03/api-token"', 'SecretId="lesson03/token"'),),
            edit=(
                (
                    "functions/token-check/app.py",
                    'SecretId="lesson03/token"',
                    'SecretId="lesson03/api-token"',
                ),
            ),
            expect=[
                "functions/token-check/app.py changed since the last deploy of token-check",
                "What the check saw",
            ],
        ),
        Mistake(
            "kernel restarted: the exercise's cells run without the secret's cell",
            restart=True,
            expect=["This kernel has run", "was it restarted?", "Run > Run All Above"],
        ),
    ],
}
