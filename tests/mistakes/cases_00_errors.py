"""Lesson 00, round 3 (eval-c): a handler whose parameters are (context, event), and a
typo in the def whose close name the learner's own cell defines."""

from mistakes_runner import Mistake

_SWAPPED = (
    'def handler({first}, {second}):\n    return {{"greeting": f"Hello, {{event[\'name\']}}!"}}\n'
)

MISTAKES = {
    "00.1": [
        Mistake(
            "c-typo-hander: the def misspelt, the check names handler",
            cell=_SWAPPED.format(first="event", second="context").replace("handler", "hander"),
            restart=True,  # a new kernel: no handler left by an earlier attempt
            expect=["handler is not defined in this kernel, but hander is"],
        ),
        Mistake(
            "r3-swapped-params: def handler(context, event)",
            cell=_SWAPPED.format(first="context", second="event"),
            expect=["parameters are (context, event)", "write def handler(event, context)"],
        ),
        Mistake(
            "the context first, written ctx",
            cell=_SWAPPED.format(first="ctx", second="event"),
            expect=["parameters are (context, event)", "write def handler(event, context)"],
        ),
        Mistake(
            "the context first, and the name read from it with .get",
            cell=(
                "def handler(context, event):\n"
                "    name = event.get('name', 'world')\n"
                "    return {'greeting': f'Hello, {name}!'}\n"
            ),
            expect=["event first and the context second", "write def handler(event, context)"],
        ),
    ],
}
