"""Lesson 07 walked with typical wrong answers (tests/mistakes/cases_07.py)."""

import cases_07 as cases
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


def test_the_daily_runs_cell_reads_well_with_a_failing_report():
    """Issue 14: with 7.4 failing (a Decimal given to json.dumps) the cell that lets days
    pass (then a month) ran past 600 s; it must end, and say which error the function
    raised."""
    import shutil
    import tempfile
    from pathlib import Path

    mistake = cases.MISTAKES["07.4"][0]
    cells = {index: source for index, source, _ in runner.code_cells(cases.NOTEBOOK)}
    found = next(e for e in runner.exercises(cases.NOTEBOOK).values() if e.id == "07.4")
    span = [i for i in sorted(cells) if found.first <= i <= found.check]
    sources = mistake.apply([cells[i] for i in span], span.index(found.answer))
    wrong = dict(zip(span, sources, strict=True))
    days = runner.cell_holding(cases.NOTEBOOK, "runs = sb.clock.advance(days=")
    with tempfile.TemporaryDirectory(prefix="lambdalab-demo-") as base:
        kernel = runner.start_kernel(Path(base))
        try:
            for index in sorted(i for i in cells if i <= found.check):
                run = kernel.run(runner.strip_markers(wrong.get(index, cells[index])))
                assert run.ok, f"cell {index} failed on the way: {run.error}\n{run.text}"
            run = kernel.run(runner.strip_markers(cells[days]))
        finally:
            kernel.stop()
            shutil.rmtree(base, ignore_errors=True)
    assert run.ok, f"{run.error}\n{run.text}"
    assert "not JSON serializable" in run.text, run.text
