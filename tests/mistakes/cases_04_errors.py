"""Lesson 04, round 3 (eval-d): next() on a generator that nothing met."""

from mistakes_runner import Mistake

_NEXT = "memory_mb = next(size for size in [128, 256, 512, 1024] if used_mb <= 0.8 * size)"

MISTAKES = {
    "04.4": [
        Mistake(
            "r-memory-size-field: the configured Memory Size, not Max Memory Used",
            solution=f"used_mb = parse_report(big_report).memory_size_mb\n{_NEXT}",
            expect=["next() raised StopIteration", "nothing met its condition"],
        ),
        Mistake(
            "the memory used in KB",
            solution=f"used_mb = parse_report(big_report).max_memory_used_mb * 1024\n{_NEXT}",
            expect=["next() raised StopIteration", "next(generator, default)"],
        ),
        Mistake(
            "80 % written 0.08",
            solution=(
                "used_mb = parse_report(big_report).max_memory_used_mb\n"
                "memory_mb = next(size for size in [128, 256, 512, 1024] if used_mb <= 0.08 * size)"
            ),
            expect=["next() raised StopIteration", "nothing met its condition"],
        ),
    ],
}
