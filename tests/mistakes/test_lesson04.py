"""Lesson 04 walked with typical wrong answers (tests/mistakes/cases_04.py)."""

import cases_04 as cases
import mistakes_runner as runner


def test_every_exercise_has_mistakes():
    assert runner.missing_cases(cases.NOTEBOOK, cases.MISTAKES) == []


def test_wrong_answers_are_named_and_the_lesson_recovers():
    steps = runner.run_lesson(cases.NOTEBOOK, cases.MISTAKES)
    problems = runner.lesson_problems(steps)
    assert not problems, "\n\n".join(problems)


def test_run_all_twice_in_one_kernel_gives_the_same_lesson():
    twice = runner.run_twice(cases.NOTEBOOK)
    problems = twice.problems(getattr(cases, "VARYING", {}))
    assert not problems, "\n\n".join(problems)


def _demo_after(mistake_name: str, exercise: str, demo: str) -> runner.CellRun:
    """Run the lesson up to ``exercise``'s check with a wrong answer left in, then ``demo``."""
    import shutil
    import tempfile
    from pathlib import Path

    mistake = next(m for m in cases.MISTAKES[exercise] if m.name == mistake_name)
    cells = {index: source for index, source, _ in runner.code_cells(cases.NOTEBOOK)}
    found = next(e for e in runner.exercises(cases.NOTEBOOK).values() if e.id == exercise)
    span = [i for i in sorted(cells) if found.first <= i <= found.check]
    sources = mistake.apply([cells[i] for i in span], span.index(found.answer))
    wrong = dict(zip(span, sources, strict=True))
    with tempfile.TemporaryDirectory(prefix="lambdalab-demo-") as base:
        kernel = runner.start_kernel(Path(base))
        try:
            for index in sorted(i for i in cells if i <= found.check):
                run = kernel.run(runner.strip_markers(wrong.get(index, cells[index])))
                assert run.ok, f"cell {index} failed on the way: {run.error}\n{run.text}"
            return kernel.run(
                runner.strip_markers(cells[runner.cell_holding(cases.NOTEBOOK, demo)])
            )
        finally:
            kernel.stop()
            shutil.rmtree(base, ignore_errors=True)


def test_the_gallery_cell_names_a_loop_left_in_the_resizer():
    """Issue 14: with 4.5's loop left in, the gallery cell raised a raw TimeoutError (61 s)."""
    run = _demo_after(cases.MISTAKES["04.5"][0].name, "04.5", "gallery = [")
    assert run.ok, f"{run.error}\n{run.text}"
    assert "writes into lesson04-uploads" in run.text, run.text
    assert "Recovered resizer" in run.text, run.text
