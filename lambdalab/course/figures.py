"""How a wrong figure relates to the right one: the parts of a bill, probed one at a time.

A check that only compares a learner's total with a catalogue of slips misses a slip that
the free tier hides (a duration line 1,000 times too big still comes to $0 inside the free
tier) and misnames one when two slips give the same total. The helpers here look at the
parts instead:

- :func:`factor_between` says by which known factor (1,000 for ms and s, 1,024 for MB and
  GB, Arm's price over x86's...) a part is off, only when it is off by exactly that;
- :func:`line_through` reads a straight line (price per unit, and where it starts) from
  a function called at two points above its free allowance, and checks it at a third:
  differences above the free tier cancel constant offsets;
- :func:`one_slip` names the one slip, among several, that explains every observation
  (none when two slips explain them all: a message names what the answer did, not a
  guess);
- :func:`slipped_inputs` lists an exercise's inputs with one of them slipped by a unit
  factor, so that a single figure (a bill, a percentage) can be traced back to its slip.

AWS's bill has a line per dimension (requests, GB-s of duration), each with its free
allowance: https://aws.amazon.com/lambda/pricing/
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: Factors a part of a bill is off by when a unit or a price is slipped: (factor, words
#: for a part that is ``factor`` times the right one). The words say the cause.
FACTORS: tuple[tuple[float, str], ...] = (
    (1000, "a duration in milliseconds taken as seconds (divide duration_ms by 1,000)"),
    (1 / 1000, "a duration divided by 1,000 once too often (duration_ms / 1,000 is seconds)"),
    (1024, "a memory size in MB taken as GB (divide memory_mb by 1,024)"),
    (1 / 1024, "a memory size divided by 1,024 once too often (memory_mb / 1,024 is GB)"),
    (1.024, "a GB taken as 1,000 MB (a GB here is 1,024 MB)"),
    (1 / 1.024, "1,024 MB taken as 1,000 (divide by 1,024)"),
    (1_048_576 / 1_000_000, "1,000 used twice instead of 1,024 (MB to GB)"),
    (10, "a price with one zero too few after the point"),
    (0.1, "a price with one zero too many after the point"),
    (730, "a price multiplied by 730 hours: server_monthly is already a month's price"),
    (1 / 730, "a price divided by 730 hours: server_monthly is already a month's price"),
    (1e6, "a price per million taken as a price per request (0.20 / 1,000,000 per request)"),
    (1e-6, "a price per request divided by 1,000,000 once too often"),
    (
        0.0000133334 / 0.0000166667,
        "arm64's price per GB-s ($0.0000133334) where x86's applies ($0.0000166667)",
    ),
    (
        0.0000166667 / 0.0000133334,
        "x86's price per GB-s ($0.0000166667) where arm64's applies ($0.0000133334)",
    ),
)


def factor_between(
    got: float,
    right: float,
    factors: tuple[tuple[float, str], ...] = FACTORS,
    rel_tol: float = 1e-5,
) -> tuple[float, str] | None:
    """The (factor, words) of ``factors`` such that ``got`` is ``factor`` × ``right``, or None.

    Example
    -------
    >>> factor_between(2000.0, 2.0)
    (1000, 'a duration in milliseconds taken as seconds (divide duration_ms by 1,000)')
    >>> factor_between(3.0, 2.0) is None
    True
    """
    if not (_finite(got) and _finite(right)) or right == 0 or got == 0:
        return None
    if math.isclose(got, right, rel_tol=rel_tol):
        return None
    for factor, words in factors:
        if math.isclose(got, right * factor, rel_tol=rel_tol):
            return factor, words
    return None


def times(factor: float) -> str:
    """A factor in words: "1,000 times", "1/1,024 of", "0.8 times"."""
    if factor >= 1:
        if math.isclose(factor, round(factor), rel_tol=1e-9):
            return f"{round(factor):,} times"
        return f"{factor:,.4g} times"
    inverse = 1 / factor
    if math.isclose(inverse, round(inverse), rel_tol=1e-9):
        return f"1/{round(inverse):,} of"
    return f"{factor:.4g} times"


def line_through(
    function: Callable[[float], float], x1: float, x2: float, x3: float, rel_tol: float = 1e-6
) -> tuple[float, float] | None:
    """(slope, offset) of ``function`` if it is a straight line through x1, x2 and x3.

    Called at points above a free allowance, a bill line is ``slope × x - offset``: the
    slope is the price per unit and ``offset / slope`` the allowance taken off. None when
    the three points are not on one line (a rounding, a cap, a call that failed).

    Example
    -------
    >>> slope, offset = line_through(lambda n: 0.2e-6 * (n - 1_000_000), 2e6, 3e6, 5e6)
    >>> round(slope * 1e6, 9), round(offset / slope)
    (0.2, 1000000)
    """
    try:
        y1, y2, y3 = function(x1), function(x2), function(x3)
    except Exception:  # a probe the learner's code cannot answer says nothing
        return None
    if not all(_finite(y) for y in (y1, y2, y3)):
        return None
    slope = (y2 - y1) / (x2 - x1)
    offset = slope * x1 - y1
    predicted = slope * x3 - offset
    if not math.isclose(y3, predicted, rel_tol=rel_tol, abs_tol=1e-9 * max(1.0, abs(y3))):
        return None
    return slope, offset


def one_slip(
    observations: Iterable[tuple[Any, float]],
    slips: dict[str, Callable[[Any], float]],
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-12,
) -> str | None:
    """The one slip that gives the learner's figure for every observation, or None.

    ``observations`` are (input, learner's figure) pairs; each slip computes a figure from
    an input. A slip is named only if it explains all observations and no other slip does:
    when two slips give the same figures, the check cannot tell which one the learner made.

    Example
    -------
    >>> slips = {"halved": lambda x: x / 2, "minus one": lambda x: x - 1}
    >>> one_slip([(4, 2.0), (6, 3.0)], slips)
    'halved'
    >>> one_slip([(2, 1.0)], slips) is None  # both give 1.0
    True
    """
    observations = list(observations)
    fitting = []
    for name, slip in slips.items():
        try:
            ok = all(
                math.isclose(slip(given), got, rel_tol=rel_tol, abs_tol=abs_tol)
                for given, got in observations
            )
        except Exception:  # a slip that cannot be computed for an input explains nothing
            ok = False
        if ok:
            fitting.append(name)
    return fitting[0] if len(fitting) == 1 else None


def slipped_inputs(
    inputs: dict[str, float], slips: dict[str, tuple[tuple[float, str], ...]]
) -> Iterator[tuple[str, dict[str, float]]]:
    """Each (words, inputs) with ONE input multiplied by one of its slip factors.

    ``slips`` maps an input's name to its (factor, words) pairs: ``{"duration_ms":
    ((1 / 1000, "200 ms given as 0.2 (seconds)"),)}``.

    Example
    -------
    >>> list(slipped_inputs({"requests": 7e6, "ms": 200}, {"requests": ((0.1, "a zero short"),)}))
    [('a zero short', {'requests': 700000.0, 'ms': 200})]
    """
    for name, pairs in slips.items():
        for factor, words in pairs:
            changed = dict(inputs)
            changed[name] = inputs[name] * factor
            yield words, changed


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
