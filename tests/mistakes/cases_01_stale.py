"""Stale state in lesson 01: code edited after its deploy, a restarted kernel."""

from mistakes_runner import Mistake

MISTAKES = {
    "01.1": [
        Mistake(
            "app.py fixed on disk after deploying the wrong greeting, not deployed again",
            solution="""
            name = event.get("name", "world")
            return {"greeting": f"Hi, {name}!"}
            """,
            edit=(("functions/greeter/app.py", "Hi, ", "Hello, "),),
            expect=[
                "functions/greeter/app.py changed since the last deploy of greeter",
                "sb.deploy('greeter', 'functions/greeter', ...)",
            ],
        ),
    ],
    "01.4": [
        Mistake(
            "kernel restarted: the deploy cell runs before the cell that sets handler_string",
            restart=True,
            order=(1,),
            expect=["handler_string is defined by a cell above", "Run > Run All Above"],
        ),
    ],
}
