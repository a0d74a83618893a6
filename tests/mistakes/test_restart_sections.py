"""A kernel restart in the middle of a lesson, then its Setup cell and one section (issue 23).

After a restart the kernel forgets every name and the sandbox is new; only the files stay.
Every restart message of the kit (lambdalab.course.probe, lambdalab.course.cell_order)
tells the learner to run the lesson's Setup cell, then the cells down to where they were.
So the helpers a lesson uses far below their definition live in its Setup cell: a section
that needs nothing made by an earlier section must run after Setup alone; one that needs
an earlier section's work (a layer it published, a variable it computed) must stop with
the name of that section, never on a helper.

Each case: a kernel runs the Setup cell and the ``%%writefile`` cells above the section
(the files a learner's course folder holds by then), restarts (runner.restarted: same
files, new kernel, new sandbox), runs the Setup cell, then the section's code cells.
"""

from __future__ import annotations

import mistakes_runner as runner
import pytest

#: (notebook, the section's heading, what it needs from an earlier section): sections
#: that use Setup's helpers far below it. None: the section builds all else it needs and
#: must run through; a name: the section stops on it, with the hint naming its section.
SECTIONS = [
    ("02-triggers.ipynb", "## SNS: one message, many functions", None),
    ("02-triggers.ipynb", "## SQS: a queue of work, read in batches", None),
    ("03-packaging.ipynb", "## Layers: dependencies shared between functions", "feed"),
    ("04-image-resizer.ipynb", "## Part 1 · The article's code, as written", None),
    ("04-image-resizer.ipynb", "## Part 3 · The fixed resizer", "pillow_layer_arn"),
    ("06-pitfalls.ipynb", "## 3 · Statelessness", None),
    ("06-pitfalls.ipynb", "## 7 · Cost that sneaks up, and lock-in", None),
    ("07-use-cases.ipynb", "## 5 · Glue between services", None),
]


def section_cells(notebook: str, heading: str) -> tuple[list[str], list[str]]:
    """The ``%%writefile`` cells above the section, and the section's code cells."""
    import nbformat

    cells = nbformat.read(runner.SOLUTIONS / notebook, as_version=4).cells
    starts = [
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "markdown"
        and any(line.strip() == heading for line in cell.source.splitlines())
    ]
    assert len(starts) == 1, f"{notebook} has {len(starts)} sections headed {heading!r}"
    start = starts[0]
    end = next(
        (
            i
            for i in range(start + 1, len(cells))
            if cells[i].cell_type == "markdown"
            and any(line.startswith("## ") for line in cells[i].source.splitlines())
        ),
        len(cells),
    )
    files = [
        c.source
        for c in cells[:start]
        if c.cell_type == "code" and c.source.lstrip().startswith("%%writefile")
    ]
    section = [c.source for c in cells[start:end] if c.cell_type == "code"]
    return files, section


@pytest.mark.parametrize(
    ("notebook", "heading", "needs"), SECTIONS, ids=[h for _, h, _ in SECTIONS]
)
def test_setup_then_a_section_after_a_restart(notebook, heading, needs):
    files, section = section_cells(notebook, heading)
    assert section, f"{heading} has no code cell"
    setup = runner.strip_markers(runner.code_cells(notebook)[0][1])
    with runner.scratch_kernel("lambdalab-restart-", "must-pass") as kernel:
        for source in [setup, *files]:
            run = kernel.run(runner.strip_markers(source))
            assert run.ok, f"before the restart: {run.error}\n{run.text}"
        with runner.restarted(kernel, notebook) as fresh:
            for source in [setup, *section]:
                run = fresh.run(runner.strip_markers(source))
                if needs is not None and run.error == f"NameError: name '{needs}' is not defined":
                    assert f"{needs} is defined by a cell above in section" in run.text, run.text
                    assert "Run > Run All Above" in run.text, run.text
                    return
                assert run.ok, (
                    f"after a restart, Setup then {heading!r}: {run.error}\n"
                    f"{source[:300]}\n---\n{run.text}"
                )
    assert needs is None, f"{heading} ran through without {needs}: update SECTIONS"
