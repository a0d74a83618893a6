"""Stale state in lesson 07: code edited after its deploy, a restarted kernel."""

from mistakes_runner import Mistake

MISTAKES = {
    "07.3": [
        Mistake(
            "signature.py fixed after the deploy (sha1 to sha256), not deployed again",
            replace=(("hashlib.sha256).hexdigest()", "hashlib.sha1).hexdigest()"),),
            edit=(("functions/webhook/signature.py", "hashlib.sha1)", "hashlib.sha256)"),),
            expect=["functions/webhook/signature.py changed since the last deploy of webhook"],
        ),
        Mistake(
            "kernel restarted: the exercise's cells run without the wiring above",
            restart=True,
            expect=["was it restarted?", "Run > Run All Above"],
        ),
    ],
}
